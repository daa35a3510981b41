import Foundation
import Mail
import Tickets

/// The work one server node does for the whole desk, whose effects must happen once: the
/// event-log consumers notifications, sla, email-outbox, surveys, reports (the roll-ups) and
/// workflows (on a relay of their own), the SLA timer, the workflow schedule, the webhook
/// sender, email in and out (`MailRuntime`, when the server has a public URL for its links)
/// and the periodic chores (`Maintenance`).
///
/// The node that holds the leadership (`NodeLink`) runs one set. A node may lose the
/// leadership (its link to PostgreSQL broke) and win it back, so each term of office builds
/// a new set and a finished one is never restarted. Every consumer starts from its stored
/// cursor, so a new leader goes on where the last one stored its progress: the consumers
/// are idempotent over what the old leader handled in its last second (`EventConsumer`),
/// and the SLA scheduler reloads every deadline and its fired warnings and breaches.
final class LeaderDuties: Sendable {
    let relay: EventRelay
    let sla: SLARuntime
    let maintenance: Maintenance
    private let workflowSchedule: WorkflowSchedule
    private let webhookSender: WebhookSender
    private let mail: MailRuntime?
    private let consumers: [any EventConsumer]

    /// `mailPublicURL` starts the portal and survey links in emails; nil runs no email (tests).
    init(services: Services, eventRetentionDays: Int, mailPublicURL: String?) {
        let database = services.database
        relay = EventRelay(database: database, now: services.now, log: { Log.error($0) })
        sla = SLARuntime(services: services)
        let workflows = WorkflowRunner(database: database, tokenKey: services.mailboxes.credentialKey, now: services.now,
                                       makeMessageID: { MessageBuilder.newMessageID(domain: $0) })
        workflowSchedule = WorkflowSchedule(runner: workflows)
        webhookSender = WebhookSender(services: services)
        mail = mailPublicURL.map { MailRuntime(services: services, publicURL: $0) }
        let outbox = EmailOutboxConsumer(database: database, tokenKey: services.mailboxes.credentialKey,
                                         makeMessageID: { MessageBuilder.newMessageID(domain: $0) })
        consumers = [NotificationConsumer(database: database), sla, outbox, SurveyConsumer(surveys: services.surveys),
                     ReportRollupConsumer(database: database), workflows]
        let names = consumers.map(\.name)
        maintenance = Maintenance(services: services, consumers: { names }, eventRetention: Double(eventRetentionDays) * 86_400)
    }

    /// Loads the SLA deadlines and arms the timer (before the sla consumer starts, so no
    /// refresh races the load), starts the relay, the chores, the schedule, the webhook
    /// sender and email. Returns how many SLA deadlines were loaded.
    func start() async throws -> Int {
        let deadlines = try await sla.start()
        try await relay.start(consumers)
        maintenance.start()
        workflowSchedule.start()
        webhookSender.start()
        if let mail {
            let mailboxes = try await mail.start()
            if mailboxes > 0 { Log.info("mail: watching \(mailboxes) mailbox\(mailboxes == 1 ? "" : "es")") }
        }
        return deadlines
    }

    /// Stops everything `start` started: the relay after its batches in hand (storing every
    /// cursor), then the SLA timer for good, the chores, the schedule, and, off Swift's task
    /// pool since they wait for their threads, the webhook sender and email.
    func stop() async {
        await relay.stop()
        sla.stop()
        maintenance.stop()
        workflowSchedule.stop()
        let webhookSender = self.webhookSender, mail = self.mail
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                mail?.stop()
                webhookSender.shutdown()
                done.resume()
            }
        }
    }

    /// The server clock jumped (the test clock): re-measure the SLA timer, check the time triggers.
    func clockChanged() {
        sla.timer.clockChanged()
        workflowSchedule.poke()
    }
}
