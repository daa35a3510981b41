import Foundation
import Mail
import Realtime
import Tickets

/// Sends the outbox on a thread of its own: every `pollSeconds` it takes the due emails,
/// builds each (text + HTML alternative, attachments from the store, threading headers,
/// the signed ticket token in the subject) and submits it over SMTP from its mailbox.
/// 5xx refusals fail at once with a note on the ticket; everything else is retried on
/// `RetrySchedule` and fails after its last step.
final class MailSender: @unchecked Sendable {
    /// How often the outbox is read: an agent's reply leaves within about this long.
    static let pollSeconds = 1.0

    private let services: Services
    private let stop = NSCondition()
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    init(services: Services) {
        self.services = services
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "mail-sender"
        thread.start()
    }

    /// Stops after the email being sent, waiting up to `timeoutSeconds`.
    func shutdown(timeoutSeconds: Double = 30) {
        stop.withLock {
            stopped = true
            stop.broadcast()
        }
        _ = finished.wait(timeout: .now() + timeoutSeconds)
    }

    private var isStopped: Bool { stop.withLock { stopped } }

    private func run() {
        while !isStopped {
            do {
                let due = try Blocking.run { [services] in try await services.tickets.dueEmails(now: services.now()) }
                for email in due where !isStopped { send(email) }
            } catch {
                Log.error("mail: cannot read the outbox: \(error)")
            }
            let deadline = Date().addingTimeInterval(Self.pollSeconds)
            stop.withLock { while !stopped, stop.wait(until: deadline) {} }
        }
    }

    private func send(_ email: OutboxEmail) {
        let tickets = services.tickets
        do {
            let details = try Blocking.run { [services] in
                try await services.mailboxes.connectionDetails(MailboxID(email.mailboxID), for: .system)
            }
            let raw = try MessageBuilder().build(try outgoing(email, from: details.mailbox))
            let client = SMTPClient(endpoint: MailboxConnectionTest.endpoint(details.mailbox.smtp, verify: details.mailbox.verifyCertificates),
                                    clientName: String(details.mailbox.address.split(separator: "@").last ?? "localhost"))
            defer { client.quit() }
            try client.connect()
            try client.authenticate(username: details.mailbox.smtp.username, password: details.smtpPassword)
            _ = try client.send(envelopeFrom: details.mailbox.address, recipients: [email.toAddress], message: raw)
            try Blocking.run { [services] in try await tickets.emailSent(email.id, at: services.now()) }
        } catch let error as MailConnectionError where error.replyCode.map({ $0 >= 500 }) == true && error.kind != .authentication {
            fail(email, "\(error)")
        } catch let error as MailBuildError {
            fail(email, error.description)
        } catch {
            let attempt = email.attempts + 1
            guard let delay = RetrySchedule.delay(afterAttempt: attempt) else {
                fail(email, "\(error) (gave up after \(attempt) attempts)")
                return
            }
            Log.info("mail: email \(email.id) to ticket \(email.ticketID) failed (\(error)); retrying in \(Int(delay)) s")
            _ = try? Blocking.run { [services] in
                try await tickets.emailRetry(email.id, error: "\(error)", next: services.now().addingTimeInterval(delay))
            }
        }
    }

    private func fail(_ email: OutboxEmail, _ reason: String) {
        Log.info("mail: email \(email.id) to ticket \(email.ticketID) failed for good: \(reason)")
        do { try Blocking.run { [services] in try await services.tickets.emailFailed(email, error: reason) } } catch {
            Log.error("mail: cannot record the failure of email \(email.id): \(error)")
        }
    }

    private func outgoing(_ email: OutboxEmail, from mailbox: Mailbox) throws -> OutgoingMail {
        var mail = OutgoingMail(
            from: MailAddress(name: mailbox.displayName.isEmpty ? nil : mailbox.displayName, address: mailbox.address),
            to: [MailAddress(name: email.toName.isEmpty ? nil : email.toName, address: email.toAddress)],
            subject: email.subject, text: email.body, messageID: email.messageID, date: services.now())
        mail.html = Self.html(email.body)
        mail.inReplyTo = email.inReplyTo
        if email.automatic == true { mail.autoSubmitted = .autoReplied }
        mail.references = email.references
        let store = services.tickets.attachments
        for file in email.files {
            let data = try Data(contentsOf: store.fileURL(for: file.storageKey))
            mail.attachments.append(OutgoingAttachment(filename: file.fileName, contentType: file.contentType, data: Array(data)))
        }
        return mail
    }

    /// The reply as simple HTML: escaped, paragraphs and line breaks kept.
    static func html(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        let paragraphs = escaped.components(separatedBy: "\n\n").map { "<p>" + $0.replacingOccurrences(of: "\n", with: "<br>") + "</p>" }
        return "<!DOCTYPE html><html><body>" + paragraphs.joined(separator: "\n") + "</body></html>"
    }
}

/// When a temporarily failed email is tried again: 30 s, 2 min, 10 min, 30 min, 1 h, then
/// every 2 h up to a day after the first attempt; after that it fails with a note.
enum RetrySchedule {
    static let delays: [Double] = [30, 120, 600, 1_800, 3_600] + Array(repeating: 7_200, count: 11)

    /// Seconds to wait after failed attempt number `attempt` (1-based), or nil to give up.
    static func delay(afterAttempt attempt: Int) -> Double? {
        attempt >= 1 && attempt <= delays.count ? delays[attempt - 1] : nil
    }
}
