import Foundation
import Testing
@testable import Tickets

@Suite("PostgreSQL report queries", .enabled(if: PostgresTestServer.url != nil, PostgresTestServer.skipReason))
struct PostgresReportQueriesTests {
    /// Rows every report query reads: tickets of every status, priority and channel, some
    /// resolved, answered or merged, SLA clocks met and breached, rated surveys; the same
    /// rows written to a fresh SQLite database and a fresh PostgreSQL one.
    static func rows() -> [(String, [SQLValue])] {
        var rows: [(String, [SQLValue])] = [
            ("INSERT INTO agents (id, name, email, password_hash, role_id, created_at) VALUES (?, ?, ?, 'h', 3, 0)",
             [.integer(10), .text("Ada"), .text("ada@x.io")]),
            ("INSERT INTO agents (id, name, email, password_hash, role_id, created_at) VALUES (?, ?, ?, 'h', 3, 0)",
             [.integer(11), .text("Bob"), .text("bob@x.io")]),
            ("INSERT INTO contacts (id, name, email, created_at) VALUES (1, 'C', 'c@x.io', 0)", []),
        ]
        let statuses = ["open", "pending", "in_progress", "on_hold", "resolved", "closed"]
        let priorities = ["urgent", "high", "medium", "low"]
        let channels = TicketChannel.allCases.map(\.rawValue)
        let hour: Int64 = 3_600_000
        for n in 1...24 {
            let id = Int64(n)
            let status = statuses[n % statuses.count]
            let created = Int64(n) * 5 * hour
            let done = status == "resolved" || status == "closed"
            let merged: SQLValue = n == 7 ? .integer(1) : .null
            rows.append(("""
                INSERT INTO tickets (id, number, subject, description, status, priority, priority_rank, category, channel,
                    requester_id, assignee_id, created_at, updated_at, first_response_at, resolved_at, merged_into_id)
                VALUES (?, ?, 's', 'd', ?, ?, ?, 'general', ?, 1, ?, ?, ?, ?, ?, ?)
                """, [.integer(id), .integer(id), .text(status), .text(priorities[n % 4]), .integer(Int64(n % 4)),
                      .text(channels[n % channels.count]), n % 3 == 0 ? .null : .integer(10 + Int64(n % 2)),
                      .integer(created), .integer(created + hour), n % 2 == 0 ? .integer(created + Int64(n) * 60_000) : .null,
                      done ? .integer(created + Int64(n) * hour) : .null, merged]))
            if n % 3 != 1 {
                rows.append(("""
                    INSERT INTO sla_state (ticket_id, policy_id, sla_status, generation, fr_consumed_ms, fr_met_at, fr_breached_at,
                        res_consumed_ms, res_met_at, res_breached_at) VALUES (?, 1, 'met', 1, ?, ?, ?, ?, ?, ?)
                    """, [.integer(id), .integer(Int64(n) * 1000), n % 2 == 0 ? .integer(created + 1) : .null,
                          n % 4 == 0 ? .integer(created + 2) : .null, .integer(Int64(n) * 7000),
                          done ? .integer(created + 3) : .null, n % 5 == 0 ? .integer(created + 4) : .null]))
            }
            if done || n == 7 {
                rows.append(("""
                    INSERT INTO csat_surveys (ticket_id, token_hash, nonce, status, resolved_by_agent_id, created_at, expires_at,
                        rating, answered_at, question) VALUES (?, ?, ?, 'answered', ?, 0, 0, ?, ?, 'q')
                    """, [.integer(id), .blob([UInt8(n)]), .blob([UInt8(n)]), n % 2 == 0 ? .integer(10) : .null,
                          .integer(Int64(n % 5) + 1), .integer(created + 2 * hour)]))
            }
        }
        return rows
    }

    /// Every query's answer for one period, comparable (rows in a fixed order).
    struct Answers: Equatable {
        let created: String, resolved: DurationTotal, createdCount: Int, resolvedCount: Int
        let status: [String: Int], priority: [String: Int], category: [String: Int], channel: [String: Int]
        let createdByChannel: [String: Int], resolvedByAgent: [Int64: DurationTotal], resolvedByChannel: [String: DurationTotal]
        let sla: [SLAComplianceRow], ratings: RatingTotal, ratingCounts: [Int]
        let summaryTotal: RatingTotal, summaryDistribution: [Int], summaryByAgent: [Int64: RatingTotal], summaryBuckets: [RatingTotal]
        let ratingsByAgent: [Int64: RatingTotal]

        init(created: (total: Int, open: Int, firstResponse: DurationTotal), resolved: DurationTotal, createdCount: Int,
             resolvedCount: Int, distribution: ReportQueries.Distribution, createdByChannel: [String: Int],
             resolvedByAgent: [(Int64?, DurationTotal)], resolvedByChannel: [String: DurationTotal], sla: [SLAComplianceRow],
             ratings: (RatingTotal, [Int]), summary: ReportQueries.RatingSummary, ratingsByAgent: [(Int64?, RatingTotal)]) {
            self.created = "\(created.total) \(created.open) \(created.firstResponse)"
            self.resolved = resolved
            self.createdCount = createdCount
            self.resolvedCount = resolvedCount
            (status, priority, category, channel) = (distribution.status, distribution.priority, distribution.category, distribution.channel)
            self.createdByChannel = createdByChannel
            self.resolvedByAgent = Dictionary(uniqueKeysWithValues: resolvedByAgent.map { ($0.0 ?? 0, $0.1) })
            self.resolvedByChannel = resolvedByChannel
            self.sla = sla.sorted { ($0.priority?.rawValue ?? "") < ($1.priority?.rawValue ?? "") }
            (self.ratings, ratingCounts) = ratings
            (summaryTotal, summaryDistribution, summaryBuckets) = (summary.total, summary.distribution, summary.perBucket)
            summaryByAgent = Dictionary(uniqueKeysWithValues: summary.byAgent.map { ($0.key ?? 0, $0.value) })
            self.ratingsByAgent = Dictionary(uniqueKeysWithValues: ratingsByAgent.map { ($0.0 ?? 0, $0.1) })
        }
    }

    @Test("every report query gives PostgreSQL's answer equal to SQLite's over whole and partial periods")
    func sameAnswersAsSQLite() async throws {
        let fixture = try Fixture(onSQLite: true)
        let rows = Self.rows()
        try await fixture.database.write { db in for (sql, bindings) in rows { try db.run(sql, bindings) } }
        let postgres = try PostgresTestDatabase()
        try postgres.psql(PostgresSchema.baseline + "\n" + rows.map { PsqlConnection.inline($0.0, $0.1) + ";" }.joined(separator: "\n"),
                          atomic: true)
        let pg = PsqlConnection(url: postgres.url)
        let hour = 3_600.0
        let periods = [ReportPeriod(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 200 * hour)),
                       ReportPeriod(start: Date(timeIntervalSince1970: 33 * hour), end: Date(timeIntervalSince1970: 77 * hour)),
                       ReportPeriod(start: Date(timeIntervalSince1970: 500 * hour), end: Date(timeIntervalSince1970: 600 * hour))]
        for period in periods {
            let buckets = [ReportPeriod(start: period.start, end: Date(timeIntervalSince1970: 50 * hour)),
                           ReportPeriod(start: Date(timeIntervalSince1970: 50 * hour), end: period.end)]
            let expected = try await fixture.database.read { db in try Self.answers(period, buckets: buckets, db) }
            let found = try Self.answers(period, buckets: buckets, pg)
            #expect(found == expected, "\(period)")
        }
        #expect(try ReportQueries.createdCount(periods[0], pg) == 23)
        #expect(try ReportQueries.ratings(periods[0], pg).0.count == 8)
    }

    /// Every report query's answer for `period` on `db`.
    static func answers(_ period: ReportPeriod, buckets: [ReportPeriod], _ db: Connection) throws -> Answers {
        try Answers(created: ReportQueries.created(period, db), resolved: ReportQueries.resolved(period, db),
                    createdCount: ReportQueries.createdCount(period, db), resolvedCount: ReportQueries.resolvedCount(period, db),
                    distribution: ReportQueries.distribution(period, db), createdByChannel: ReportQueries.createdByChannel(period, db),
                    resolvedByAgent: ReportQueries.resolvedByAgent(period, db),
                    resolvedByChannel: ReportQueries.resolvedByChannel(period, db), sla: ReportQueries.sla(period, db),
                    ratings: ReportQueries.ratings(period, db), summary: ReportQueries.ratingSummary(period, buckets: buckets, db),
                    ratingsByAgent: ReportQueries.ratingsByAgent(period, db))
    }

    /// Rows as text, NULL spelled out (SQLite's integers and PostgreSQL's text compare alike).
    static func text(_ rows: [Row]) -> [[String]] { rows.map { row in row.values.indices.map { row.optionalText($0) ?? "NULL" } } }

    @Test("the report roll-ups (ReportRollup's portable SQL) fill and refresh to the same rows on both databases")
    func sameRollups() async throws {
        let fixture = try Fixture(onSQLite: true)
        let rows = Self.rows()
        let postgres = try PostgresTestDatabase()
        try postgres.psql(PostgresSchema.baseline + "\n" + rows.map { PsqlConnection.inline($0.0, $0.1) + ";" }.joined(separator: "\n"),
                          atomic: true)
        let pg = PsqlConnection(url: postgres.url)
        let daily = "SELECT day, measure, key, n, total FROM report_daily ORDER BY day, measure, key"
        let facts = "SELECT \(ReportRollup.factColumns) FROM report_facts ORDER BY ticket_id"
        let changes = "UPDATE tickets SET status = 'resolved', resolved_at = created_at + 99 WHERE id IN (1, 2, 3)"
        let expected = try await fixture.database.write { db in
            for (sql, bindings) in rows { try db.run(sql, bindings) }
            try ReportRollup.fill(db)
            let filled = (Self.text(try db.query(daily)), Self.text(try db.query(facts)))
            try db.run(changes)
            try ReportRollup.refresh([1, 2, 3], db)
            return [filled.0, filled.1, Self.text(try db.query(daily)), Self.text(try db.query(facts))]
        }
        try ReportRollup.fill(pg)
        let filled = (Self.text(try pg.query(daily)), Self.text(try pg.query(facts)))
        try pg.run(changes)
        try ReportRollup.refresh([1, 2, 3], pg)
        let found = [filled.0, filled.1, Self.text(try pg.query(daily)), Self.text(try pg.query(facts))]
        #expect(!expected[0].isEmpty)
        #expect(found == expected)
    }
}
