import Foundation
import Mail
import Tickets

/// The survey email, decided and written when it is due: sent only while its survey is
/// pending, never to an address the loop rules protect (RFC 3834: our own mailboxes, system
/// and no-reply senders; a requester whose own email to the ticket was automatic), at most
/// `SlidingWindowLimiter.autoReplies()` automatic emails per recipient in its window, and
/// carrying the survey link `<publicURL>/survey#<token>` and the ticket's portal link.
struct SurveyMail {
    let services: Services
    let publicURL: String

    enum Decision: Equatable {
        case send(text: String, html: String)
        /// Not sent, for this reason (recorded on the outbox row).
        case skip(String)
    }

    /// What to do with survey email `email` of survey `surveyID` now.
    func decide(_ email: OutboxEmail, surveyID: Int64) async throws -> Decision {
        guard let (survey, token) = try await services.surveys.surveyForEmail(surveyID) else { return .skip("the survey is gone") }
        guard survey.status == .pending else { return .skip("the survey was \(survey.status.rawValue) before its email was due") }
        guard let token else { return .skip("the survey link cannot be made: the server's link key changed") }
        let ours = Set(try await services.mailboxes.list(for: .system).map { $0.address.lowercased() })
        if let refusal = LoopGuard.automaticMailRefusal(to: MailAddress(address: email.toAddress), ourAddresses: ours) {
            return .skip("no automatic email to \(refusal)")
        }
        if let refusal = try await automaticSender(email, ours: ours) { return .skip("the requester's email was automatic: \(refusal)") }
        let cap = SlidingWindowLimiter.autoReplies()
        let recent = try await services.tickets.automaticEmailsSent(to: email.toAddress, since: services.now().addingTimeInterval(-cap.windowSeconds))
        if recent >= cap.limit {
            return .skip("\(cap.limit) automatic emails went to \(email.toAddress) in the last \(Int(cap.windowSeconds / 3600)) hours")
        }
        let ticket = try await services.tickets.ticket(survey.ticketID, for: .system)
        let link = "\(publicURL)/survey#\(token)"
        // Like every email to the requester, it also carries the ticket's portal link.
        let portal = try await services.portal.ensureAccessLink(for: ticket.id, by: .system).value.token.map { "\(publicURL)/portal#\($0)" }
        return .send(text: MailSender.text(Self.text(survey, ticket, link: link), portal: portal),
                     html: Self.html(survey, ticket, link: link, portal: portal))
    }

    /// The loop rule a recent email of the requester's on the ticket trips (it was itself
    /// automatic: an out-of-office, a list, a bounce), or nil. An original that no longer
    /// parses says nothing about automation and is passed over.
    private func automaticSender(_ email: OutboxEmail, ours: Set<String>) async throws -> AutoReplySuppression? {
        let keys = try await services.tickets.inboundOriginals(ticket: TicketID(email.ticketID), from: email.toAddress)
        for key in keys {
            guard let data = try? Data(contentsOf: services.tickets.attachments.fileURL(for: key)),
                  let message = try? MailMessage.parse(Array(data)) else { continue }
            if let refusal = LoopGuard.autoReplySuppression(for: message, ourAddresses: ours) { return refusal }
        }
        return nil
    }

    private static let until: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "d MMMM yyyy, HH:mm 'UTC'"
        return f
    }()

    static func text(_ survey: Survey, _ ticket: Ticket, link: String) -> String {
        """
        \(survey.question)

        Rate the help you received on "\(ticket.subject)" (\(ticket.reference)), from 1 to 5 stars:
        \(link)

        You can change your answer until the survey closes on \(until.string(from: survey.expiresAt)).

        """
    }

    static func html(_ survey: Survey, _ ticket: Ticket, link: String, portal: String?) -> String {
        let e = MailSender.escape
        return "<!DOCTYPE html><html><body><p>\(e(survey.question))</p>"
            + "<p>Rate the help you received on &ldquo;\(e(ticket.subject))&rdquo; (\(e(ticket.reference))), from 1 to 5 stars:</p>"
            + "<p><a href=\"\(e(link))\">Rate the help you received</a></p>"
            + "<p>You can change your answer until the survey closes on \(e(until.string(from: survey.expiresAt))).</p>"
            + (portal.map { "\n<p><a href=\"\(e($0))\">\(MailSender.portalLinkText)</a></p>" } ?? "") + "</body></html>"
    }
}
