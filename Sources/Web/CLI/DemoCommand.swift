import Foundation
import Tickets

/// `helpdesk demo [--force] [--tickets N] --data DIR`: seeds the demo data set once.
enum DemoCommand {
    /// Most demo tickets: enough for a long export, a minute or so of seeding.
    static let maxTickets = 200_000

    static func run(_ options: inout Options) throws -> Int32 {
        let data = try options.take("--data") ?? "./data"
        let database = try options.takeDatabase()
        let force = options.takeFlag("--force")
        let count = try options.take("--tickets")
        try options.finish()
        guard let tickets = Int(count ?? "300"), (1...Self.maxTickets).contains(tickets) else {
            CommandLineInterface.printError("helpdesk: --tickets takes a number from 1 to \(Self.maxTickets)")
            return 2
        }
        let services = try Services(dataDirectory: data, database: database)
        let existing = try Blocking.run {
            try await services.tickets.list(TicketListRequest(limit: 1, includeTotal: true), for: .system).totalCount ?? 0
        }
        if existing > 0, !force {
            CommandLineInterface.printError("helpdesk: \(data) already holds \(existing) ticket(s); not adding demo data (use --force to add it anyway)")
            return 1
        }
        let seeder = DemoSeeder(database: services.database, now: services.now)
        let summary = try Blocking.run { try await seeder.seed(ticketCount: tickets) }
        // The seeder writes rows directly; start their SLA clocks under the default policy.
        let slaPolicies = SLAPolicyService(database: services.database, now: services.now)
        _ = try Blocking.run { try await slaPolicies.startMissingClocks() }
        // Neither logs events, so the report roll-up is refilled from the rows.
        try Blocking.run { try await ReportRollupConsumer.rebuild(services.database) }
        print("""
            demo data added: \(summary.agents) agents, \(summary.contacts) contacts, \(summary.tickets) tickets, \(summary.messages) messages
            the demo agents sign in with the password "\(summary.password)"
            """)
        return 0
    }
}
