import Foundation
import Mail
import Tickets

/// "Test connection" for a mailbox: logs in to the IMAP server and opens the folder(s), and
/// logs in to the SMTP server, each reporting success or the exact step that failed. Runs on
/// a thread of its own (the mail clients block), never on an event loop or Swift's task pool.
enum MailboxConnectionTest {
    struct Result: Encodable, Sendable {
        let imap: Side
        let smtp: Side
    }

    /// One server's answer: on success the TLS version and, for IMAP, what SELECT reported;
    /// on failure the stage (`name resolution`, `connect`, `timeout`, `tls`, `certificate`,
    /// `authentication`, `mailbox`, ...) and the server's own words.
    struct Side: Encodable, Sendable {
        var ok: Bool
        var tls: String?
        var stage: String?
        var error: String?
        var uidValidity: UInt32?
        var messages: Int?
        var idle: Bool?
    }

    /// Seconds allowed per network step: long enough for a slow server, short enough for
    /// an administrator waiting on the button.
    static let timeoutSeconds = 15.0

    static func run(_ details: MailboxConnectionDetails) async -> Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
            let thread = Thread {
                continuation.resume(returning: Result(imap: checkIMAP(details), smtp: checkSMTP(details)))
            }
            thread.name = "mailbox-test"
            thread.start()
        }
    }

    static func endpoint(_ server: MailServer, verify: Bool) -> MailEndpoint {
        let security: MailEndpoint.Security = switch server.security {
        case .tls: .implicitTLS
        case .starttls: .startTLS
        case .none: .none
        }
        return MailEndpoint(host: server.host, port: server.port, security: security, verifyCertificate: verify,
                            timeoutSeconds: timeoutSeconds)
    }

    private static func checkIMAP(_ d: MailboxConnectionDetails) -> Side {
        let client = IMAPClient(endpoint: endpoint(d.mailbox.imap, verify: d.mailbox.verifyCertificates))
        defer { client.logout() }
        do {
            let tls = try client.connect()
            try client.login(username: d.mailbox.imap.username, password: d.imapPassword)
            if let target = d.mailbox.moveTo { _ = try client.select(target) }
            let status = try client.select(d.mailbox.imapFolder)
            return Side(ok: true, tls: tls, uidValidity: status.uidValidity, messages: status.exists, idle: client.supportsIdle)
        } catch {
            return failure(error)
        }
    }

    private static func checkSMTP(_ d: MailboxConnectionDetails) -> Side {
        let client = SMTPClient(endpoint: endpoint(d.mailbox.smtp, verify: d.mailbox.verifyCertificates),
                                clientName: String(d.mailbox.address.split(separator: "@").last ?? "localhost"))
        do {
            let tls = try client.connect()
            try client.authenticate(username: d.mailbox.smtp.username, password: d.smtpPassword)
            client.quit()
            return Side(ok: true, tls: tls)
        } catch {
            client.quit()
            return failure(error)
        }
    }

    private static func failure(_ error: Error) -> Side {
        guard let mail = error as? MailConnectionError else { return Side(ok: false, stage: "unknown", error: "\(error)") }
        return Side(ok: false, stage: mail.kind.rawValue, error: mail.message)
    }
}
