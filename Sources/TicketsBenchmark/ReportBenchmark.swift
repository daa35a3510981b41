import Foundation
import Tickets

/// The `reports` command: on a generated database (data ends 2026-01-01), starts missing SLA
/// clocks (so the SLA section joins a clock per ticket, as on a live desk), then times each
/// report section and the full report for a 90-day and a 365-day custom range. Each iteration
/// moves the range back by 0-29 days, so repeated runs do not read identical pages only.
/// Besides wall time it reports the process's CPU time per call (user + system): on a shared
/// machine the wall time includes waiting for a core, the CPU time is the query's own cost.
struct ReportBenchmark {
    let path: String
    let iterations: Int
    static let lastDay = LocalDate(iso: "2025-12-31")!

    func run() async throws {
        let database = try Database(path: path)
        let clock: Clock = { Date(timeIntervalSince1970: 1_767_225_600) }
        let began = nowMillis()
        let backfilled = try await SLAPolicyService(database: database, now: clock).startMissingClocks()
        say(String(format: "backfill: started %d clocks in %.1f s", backfilled, (nowMillis() - began) / 1000))
        let reports = ReportService(database: database, now: clock)
        for days in [90, 365] {
            let interval: ReportInterval = days > 90 ? .week : .day
            let cases: [(String, (ReportRange) async throws -> Void)] = [
                ("overview", { _ = try await reports.overview($0, for: .system) }),
                ("trends", { _ = try await reports.trends($0, interval: interval, for: .system) }),
                ("agents", { _ = try await reports.agents($0, for: .system) }),
                ("sla", { _ = try await reports.sla($0, for: .system) }),
                ("channels", { _ = try await reports.channels($0, for: .system) }),
                ("full report", { _ = try await reports.fullReport($0, interval: interval, for: .system) }),
            ]
            for (name, body) in cases {
                var samples = Samples(name: "\(name) \(days) days")
                var cpu = Samples(name: "cpu")
                for iteration in 0..<iterations {
                    let to = LocalDate(dayNumber: Self.lastDay.dayNumber - iteration % 30)
                    let range = try ReportRange.resolve(.custom, from: LocalDate(dayNumber: to.dayNumber - days + 1), to: to,
                                                        zone: .gmt, now: clock())
                    let (started, startedCPU) = (nowMillis(), processCPUMillis())
                    try await body(range)
                    samples.millis.append(nowMillis() - started)
                    cpu.millis.append(processCPUMillis() - startedCPU)
                }
                say(#"{"measurement":"report","case":"\#(samples.name)","p50Millis":\#(samples.percentile(0.5)),"p99Millis":\#(samples.percentile(0.99)),"cpuP50Millis":\#(cpu.percentile(0.5)),"cpuP99Millis":\#(cpu.percentile(0.99))}"#)
            }
        }
    }
}
