import Foundation
import Testing
@testable import Tickets

@Suite("ReportCSV")
struct ReportCSVTests {
    @Test("the complete report is one long table: a figure per row with the previous period beside it")
    func rows() async throws {
        let week = try ReportServiceTests.Week()
        try await week.build()
        let csv = try await week.reports.exportCSV(try await week.range(), interval: .day, for: .system)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "Section,Group,Item,Measure,This period,Previous period")
        #expect(lines.contains("Range,,Days,From,2026-03-02,"))
        #expect(lines.contains("Overview,,Total tickets,Tickets,4,2"))
        #expect(lines.contains("Overview,,Average resolution time,Hours,35.00,24.00"))      // 140 h / 4 | 24 h
        #expect(lines.contains("Overview,,Average first response time,Hours,12.25,0.17"))   // 24.5 h / 2 | 10 min
        #expect(lines.contains("Trends,Volume by day,2026-03-03,Resolved,1,"))
        #expect(lines.contains("Trends,By category,Billing,Tickets,2,"))
        #expect(lines.contains("Agent performance,,Bob,Average resolution hours,46.00,"))
        #expect(lines.contains("SLA compliance,,Medium,First response %,0.00,"))
        #expect(lines.contains("SLA compliance,,Low,First response %,,"))                   // nothing decided: empty
        #expect(lines.contains("SLA compliance,,All priorities,First response %,66.67,100.00"))
        #expect(lines.contains("Channels,,Phone,Average resolution hours,,"))
        #expect(lines.last == "")
        #expect(!csv.hasPrefix(CSVWriter.byteOrderMark))
        #expect(try await week.reports.exportCSV(try await week.range(), interval: .day, byteOrderMark: true, for: .system)
                .hasPrefix(CSVWriter.byteOrderMark))
    }

    @Test("an agent name that looks like a formula is neutralised, one with a comma is quoted")
    func neutralised() async throws {
        let f = try Fixture()
        let reports = ReportService(database: f.database, now: f.clock.clock)
        for (name, email) in [("=HYPERLINK(\"http://x\")", "eve@example.com"), ("Lee, Ann", "ann@example.com")] {
            let agent = try await f.accounts.createAgent(name: name, email: email, password: "correct horse", role: .agent, by: .system)
            let ticket = try await f.ticket { $0.assigneeID = agent.id }
            _ = try await f.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(status: .resolved), by: .system)
        }
        let csv = try await reports.exportCSV(try await reports.range(.last7Days, for: .system), interval: .day, for: .system)
        #expect(csv.contains("Agent performance,,\"'=HYPERLINK(\"\"http://x\"\")\",Tickets handled,1,"))
        #expect(csv.contains("Agent performance,,\"Lee, Ann\",Tickets handled,1,"))
    }
}
