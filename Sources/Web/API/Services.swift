import Foundation
import Mail
import Tickets

/// The domain services the API calls, opened once at start-up over one data folder.
public final class Services: Sendable {
    public let dataDirectory: String
    public let database: Database
    public let accounts: AccountService
    public let tickets: TicketService
    public let notifications: NotificationService
    public let slaPolicies: SLAPolicyService
    public let cannedResponses: CannedResponseService
    public let assignmentRules: AssignmentRuleService
    public let mailboxes: MailboxService
    public let reports: ReportService
    /// Requester access links (the key in `<data>/access-link.key`).
    public let portal: PortalService
    /// CSAT surveys (tokens derived with the access link key).
    public let surveys: SurveyService
    /// The proof-of-work captcha of every public form (challenges live in memory).
    public let captcha: ProofOfWork
    /// Workflows and their run log (run by `WorkflowRunner`, a consumer of the event log).
    public let workflows: WorkflowService
    /// Webhooks and their delivery log (secrets sealed with the mailbox credential key).
    public let webhooks: WebhookService
    public let now: Clock

    /// Opens (creating and migrating if needed) the database, `<data>/attachments/`, the mailbox
    /// credential key `<data>/mail-credentials.key` and the access link key
    /// `<data>/access-link.key`. The database is `database` (a PostgreSQL one) when given,
    /// else `<data>/helpdesk.sqlite`.
    public init(dataDirectory: String, database location: Database.Location? = nil, now: @escaping Clock = { Date() }) throws {
        self.dataDirectory = dataDirectory
        self.now = now
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        database = try Database(location: location ?? .sqlite(path: dataDirectory + "/helpdesk.sqlite"))
        accounts = AccountService(database: database, now: now)
        let attachments = try AttachmentStore(directory: URL(fileURLWithPath: dataDirectory).appendingPathComponent("attachments"))
        tickets = TicketService(database: database, attachments: attachments, now: now)
        notifications = NotificationService(database: database, now: now)
        slaPolicies = SLAPolicyService(database: database, now: now)
        cannedResponses = CannedResponseService(database: database, now: now)
        assignmentRules = AssignmentRuleService(database: database, now: now)
        mailboxes = MailboxService(database: database, key: try CredentialKey.loadOrCreate(directory: dataDirectory), now: now)
        reports = ReportService(database: database, now: now)
        let linkKey = try AccessLinkKey.loadOrCreate(at: dataDirectory + "/" + AccessLinkKey.fileName)
        portal = PortalService(tickets: tickets, key: linkKey, now: now)
        captcha = ProofOfWork(now: now)
        surveys = SurveyService(database: database, key: linkKey, now: now)
        workflows = WorkflowService(database: database, tokenKey: mailboxes.credentialKey, now: now)
        webhooks = WebhookService(database: database, key: mailboxes.credentialKey, now: now, validateURL: { HTTPPostClient.refusal(of: $0) })
    }
}
