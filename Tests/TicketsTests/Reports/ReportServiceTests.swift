import Foundation
import Testing
@testable import Tickets

/// A small help desk week whose every figure is worked out by hand below (times UTC; the
/// default "Standard" policy: Monday to Friday 09:00-17:00 UTC; first response medium 8 h,
/// high 4 h, urgent 1 h; resolution medium 48 h, high 24 h, urgent 4 h, all business time).
///
/// Previous period (Mon 2026-02-23 .. Sun 03-01):
///   T6 medium/email/general, Ada: created Wed 02-25 09:00, Ada replies 09:10, resolved Thu 02-26 09:00.
///   T7 high/web/technical, Bob: created Fri 02-27 16:00, resolved Mon 03-02 10:00 (no reply).
/// Current period (custom Mon 2026-03-02 .. Sun 03-08; "now" is Wed 03-04 12:00):
///   T1 urgent/email/billing, Ada: created Mon 09:00, Ada replies 09:30, resolved 11:00.
///   T2 high/web/technical, Bob: created Mon 10:00, Pending 11:00, Open Tue 09:00, Bob replies Tue 10:00,
///      resolved Tue 12:00 (first response 2 business hours, resolution 4).
///   T3 medium/email/billing, unassigned: created Mon 12:00, resolved 13:00, reopened 14:00, resolved
///      Wed 10:00; never answered, so its 8-hour first response breached Tue 13:00 (12-13, 14-17, Tue 9-13).
///   T4 low/chat/general, Ada: created Mon 15:00, merged into T1 at 15:30 (counts nowhere).
///   T8 low/web/other: created Mon 15:00, deleted 15:30 (counts nowhere).
///   T5 low/phone/account, Bob: created Mon 16:00, still open, no reply.
@Suite("ReportService")
struct ReportServiceTests {
    static let monday = Date(timeIntervalSince1970: 1_772_409_600)  // 2026-03-02 00:00 UTC

    final class Week: @unchecked Sendable {
        let f: Fixture
        let reports: ReportService
        var ada: Actor!, bob: Actor!
        var ids: [String: TicketID] = [:]

        init() throws {
            f = try Fixture()
            reports = ReportService(database: f.database, now: f.clock.clock)
        }

        /// Moves the clock to `day` days after Monday 2026-03-02 at `hour` (UTC).
        func at(_ day: Int, _ hour: Double) {
            let target = ReportServiceTests.monday.addingTimeInterval(Double(day) * 86_400 + hour * 3_600)
            f.clock.advance(target.timeIntervalSince(f.clock.now()))
        }

        func create(_ name: String, _ priority: TicketPriority, _ channel: TicketChannel, _ category: TicketCategory,
                    _ assignee: Actor?) async throws {
            ids[name] = try await f.ticket(name) { draft in
                draft.priority = priority
                draft.channel = channel
                draft.category = category
                draft.assigneeID = assignee?.agentID
            }.id
        }

        func status(_ name: String, _ status: TicketStatus) async throws {
            let ticket = try await f.tickets.ticket(ids[name]!, for: .system)
            _ = try await f.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(status: status), by: .system)
        }

        func reply(_ name: String, by agent: Actor) async throws {
            _ = try await f.tickets.addMessage(to: ids[name]!, NewMessage(kind: .reply, body: "On it."), by: agent)
        }

        func build() async throws {
            at(-10, 8)
            ada = try await f.agent("Ada", role: .administrator)
            bob = try await f.agent("Bob", role: .agent)
            at(-5, 9); try await create("T6", .medium, .email, .general, ada)
            at(-5, 9 + 10.0 / 60); try await reply("T6", by: ada)
            at(-4, 9); try await status("T6", .resolved)
            at(-3, 16); try await create("T7", .high, .web, .technical, bob)
            at(0, 9); try await create("T1", .urgent, .email, .billing, ada)
            at(0, 9.5); try await reply("T1", by: ada)
            at(0, 10); try await create("T2", .high, .web, .technical, bob); try await status("T7", .resolved)
            at(0, 11); try await status("T1", .resolved); try await status("T2", .pending)
            at(0, 12); try await create("T3", .medium, .email, .billing, nil)
            at(0, 13); try await status("T3", .resolved)
            at(0, 14); try await status("T3", .open)
            at(0, 15); try await create("T4", .low, .chat, .general, ada); try await create("T8", .low, .web, .other, nil)
            at(0, 15.5)
            _ = try await f.tickets.mergeTickets(into: ids["T1"]!, secondaries: [ids["T4"]!], by: .system)
            _ = try await f.tickets.deleteTicket(ids["T8"]!, by: .system)
            at(0, 16); try await create("T5", .low, .phone, .account, bob)
            at(1, 9); try await status("T2", .open)
            at(1, 10); try await reply("T2", by: bob)
            at(1, 12); try await status("T2", .resolved)
            at(2, 10); try await status("T3", .resolved)
            at(2, 12)
        }

        func range() async throws -> ReportRange {
            try await reports.range(.custom, from: LocalDate(iso: "2026-03-02"), to: LocalDate(iso: "2026-03-08"), for: .system)
        }
    }

    static let hour: Int64 = 3_600_000

    @Test("overview: created, still open, resolved and the calendar-time averages, beside the previous week")
    func overview() async throws {
        let week = try Week()
        try await week.build()
        let o = try await week.reports.overview(try await week.range(), for: .system)
        #expect(o.totalTickets == Comparison(current: 4, previous: 2))       // T1 T2 T3 T5 | T6 T7
        #expect(o.openTickets == Comparison(current: 1, previous: 0))        // T5
        #expect(o.resolvedTickets == Comparison(current: 4, previous: 1))    // T1 T7 T2 T3 | T6
        // 2 h + 66 h + 26 h + 46 h over 4 | 24 h
        #expect(o.resolution.current == DurationTotal(count: 4, totalMillis: 140 * Self.hour))
        #expect(o.resolution.current.averageSeconds == 126_000)
        #expect(o.resolution.previous == DurationTotal(count: 1, totalMillis: 24 * Self.hour))
        // T1 30 min, T2 24 h | T6 10 min
        #expect(o.firstResponse.current == DurationTotal(count: 2, totalMillis: Self.hour / 2 + 24 * Self.hour))
        #expect(o.firstResponse.previous == DurationTotal(count: 1, totalMillis: 600_000))
    }

    @Test("trends: created and resolved per local day, and the distribution of the tickets created")
    func trends() async throws {
        let week = try Week()
        try await week.build()
        let t = try await week.reports.trends(try await week.range(), interval: .day, for: .system)
        #expect(t.volume.map(\.created) == [4, 0, 0, 0, 0, 0, 0])
        #expect(t.volume.map(\.resolved) == [2, 1, 1, 0, 0, 0, 0])  // T1 T7 | T2 | T3 (its Monday resolution was undone)
        #expect(t.byStatus.map(\.1) == [1, 0, 0, 0, 3, 0])
        #expect(t.byPriority.map(\.1) == [1, 1, 1, 1])
        #expect(Dictionary(uniqueKeysWithValues: t.byCategory.map { ($0.0, $0.1) })
                == [.general: 0, .billing: 2, .technical: 1, .account: 1, .featureRequest: 0, .bugReport: 0, .other: 0])
        let weeks = try await week.reports.trends(try await week.range(), interval: .week, for: .system)
        #expect(weeks.volume.map(\.created) == [4] && weeks.volume.map(\.resolved) == [4])
    }

    @Test("agent performance: resolved tickets by current assignee, most first, unassigned as its own row")
    func agents() async throws {
        let week = try Week()
        try await week.build()
        let rows = try await week.reports.agents(try await week.range(), for: .system)
        #expect(rows.map(\.name) == ["Bob", "Ada", "Unassigned"])
        #expect(rows.map(\.resolution) == [DurationTotal(count: 2, totalMillis: 92 * Self.hour),   // T7 66 h, T2 26 h
                                           DurationTotal(count: 1, totalMillis: 2 * Self.hour),    // T1
                                           DurationTotal(count: 1, totalMillis: 46 * Self.hour)])  // T3
        #expect(rows[0].agentID == week.bob.agentID && rows[2].agentID == nil)
    }

    @Test("SLA compliance per priority from the clocks: pauses and nights excluded, a reopened breach stays")
    func sla() async throws {
        let week = try Week()
        try await week.build()
        let s = try await week.reports.sla(try await week.range(), for: .system)
        let byPriority = Dictionary(uniqueKeysWithValues: s.rows.map { ($0.priority!, $0) })
        #expect(byPriority[.urgent]!.firstResponsePercent == 100 && byPriority[.urgent]!.resolutionPercent == 100)
        #expect(byPriority[.urgent]!.businessFirstResponse == DurationTotal(count: 1, totalMillis: Self.hour / 2))
        #expect(byPriority[.high]!.businessFirstResponse == DurationTotal(count: 1, totalMillis: 2 * Self.hour))
        #expect(byPriority[.high]!.businessResolution == DurationTotal(count: 1, totalMillis: 4 * Self.hour))
        let medium = byPriority[.medium]!
        #expect((medium.firstResponseDecided, medium.firstResponseMet, medium.firstResponsePercent) == (1, 0, 0))
        #expect((medium.resolutionDecided, medium.resolutionMet) == (1, 1))
        #expect(medium.businessResolution == DurationTotal(count: 1, totalMillis: 13 * Self.hour))  // 1 + 3 + 8 + 1
        let low = byPriority[.low]!                                                                // T5 waits within target
        #expect((low.firstResponseDecided, low.resolutionDecided, low.firstResponsePercent) == (0, 0, nil))
        #expect((s.overall.current.firstResponseDecided, s.overall.current.firstResponseMet) == (3, 2))
        #expect((s.overall.current.resolutionDecided, s.overall.current.resolutionMet) == (3, 3))
        // T6 met both; T7's first response is still undecided (2 business hours of 4), its resolution met
        #expect((s.overall.previous.firstResponseDecided, s.overall.previous.firstResponseMet) == (1, 1))
        #expect((s.overall.previous.resolutionDecided, s.overall.previous.resolutionMet) == (2, 2))
        #expect(s.overall.previous.businessResolution == DurationTotal(count: 2, totalMillis: 10 * Self.hour))  // 8 + 2
    }

    @Test("channels: volume created and resolution of the tickets resolved, every channel listed")
    func channels() async throws {
        let week = try Week()
        try await week.build()
        let rows = try await week.reports.channels(try await week.range(), for: .system)
        #expect(rows.map(\.channel) == TicketChannel.allCases)
        #expect(rows.map(\.created) == [2, 1, 1, 0, 0])  // email T1 T3, web T2, phone T5
        #expect(rows.map(\.resolution) == [DurationTotal(count: 2, totalMillis: 48 * Self.hour),   // T1 2 h, T3 46 h
                                           DurationTotal(count: 2, totalMillis: 92 * Self.hour),   // T7, T2
                                           DurationTotal(), DurationTotal(), DurationTotal()])
    }

    @Test("reports need reports.view: an agent without it is refused, a supervisor is not")
    func permission() async throws {
        let f = try Fixture()
        let reports = ReportService(database: f.database, now: f.clock.clock)
        let agent = try await f.agent("Ann", role: .agent)
        #expect(await domainError(.forbidden) { _ = try await reports.range(.last7Days, for: agent) } != nil)
        let range = try await reports.range(.last7Days, for: .system)
        #expect(await domainError(.forbidden) { _ = try await reports.overview(range, for: agent) } != nil)
        #expect(await domainError(.forbidden) { _ = try await reports.fullReport(range, interval: .day, for: agent) } != nil)
        let supervisor = try await f.agent("Sue", role: .supervisor)
        #expect(try await reports.overview(range, for: supervisor).totalTickets.current == 0)
    }

    @Test("ranges are in the account's time zone, the default SLA policy's zone")
    func accountZone() async throws {
        let f = try Fixture()
        let reports = ReportService(database: f.database, now: f.clock.clock)
        let policies = SLAPolicyService(database: f.database, now: f.clock.clock)
        let standard = try await policies.policies(for: .system)[0]
        var draft = SLAPolicyDraft(name: standard.name, firstResponse: standard.firstResponse, resolution: standard.resolution,
                                   isDefault: true)
        draft.timeZoneID = "Asia/Kolkata"
        _ = try await policies.update(standard.id, draft, by: .system)
        let range = try await reports.range(.last7Days, for: .system)
        #expect(range.timeZoneID == "Asia/Kolkata")
        #expect(Int(range.current.start.timeIntervalSince1970) % 86_400 == 86_400 - 19_800)  // midnight at UTC+5:30
    }

    @Test("the report queries read the covering indexes, never the table", .enabled(if: !TestDatabase.isPostgres, "SQLite's query plans"))
    func plans() async throws {
        let f = try Fixture()
        for sql in ["SELECT COUNT(*), TOTAL(first_response_at - created_at) FROM tickets INDEXED BY tickets_report_created WHERE created_at >= 0 AND created_at < 1 AND merged_into_id IS NULL",
                    "SELECT COUNT(*), TOTAL(resolved_at - created_at) FROM tickets INDEXED BY tickets_report_resolved WHERE resolved_at >= 0 AND resolved_at < 1 AND merged_into_id IS NULL"] {
            let plan = try await f.database.read { db in try db.query("EXPLAIN QUERY PLAN " + sql).map { $0.text(3) } }
            #expect(plan.contains { $0.contains("COVERING INDEX") }, "\(plan)")
        }
    }
}
