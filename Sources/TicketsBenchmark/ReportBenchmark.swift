import Foundation
import Tickets

/// The `reports` command: on a generated database (data ends 2026-01-01), starts missing SLA
/// clocks (so the SLA section joins a clock per ticket, as on a live desk), answers about 30 %
/// of the resolved tickets' CSAT surveys when none are (the generator writes none), refills
/// the report roll-up (the backfill and the loader log no events), then times each report
/// section and the full report for a 90-day and a 365-day custom range, each call twice per
/// iteration: through the plain queries ("plain", the code before the roll-up) and through
/// the roll-up ("rollup"), interleaved so both see the same machine load. Each iteration moves
/// the range back by 0-29 days. Besides wall time it reports the process's CPU time per call
/// (user + system): on a shared machine the wall time includes waiting for a core.
struct ReportBenchmark {
    let path: String
    let iterations: Int
    /// Only the cases whose name contains this (nil: all).
    var only: String? = nil
    static let lastDay = LocalDate(iso: "2025-12-31")!

    func run() async throws {
        var began = nowMillis()
        let database = try Database(path: path)
        say(String(format: "open (migrations, roll-up fill when new): %.1f s", (nowMillis() - began) / 1000))
        let clock: Clock = { Date(timeIntervalSince1970: 1_767_225_600) }
        began = nowMillis()
        let backfilled = try await SLAPolicyService(database: database, now: clock).startMissingClocks()
        say(String(format: "backfill: started %d clocks in %.1f s", backfilled, (nowMillis() - began) / 1000))
        began = nowMillis()
        let rated = try await BulkLoader.answerSurveys(database)
        say(String(format: "csat: %d answered surveys (%.1f s)", rated, (nowMillis() - began) / 1000))
        if backfilled > 0 {
            began = nowMillis()
            try await ReportRollupConsumer.rebuild(database)
            say(String(format: "roll-up rebuild: %.1f s", (nowMillis() - began) / 1000))
        }
        let plain = ReportService(database: database, now: clock, useRollup: false)
        let rollup = ReportService(database: database, now: clock)
        for days in [90, 365] {
            let interval: ReportInterval = days > 90 ? .week : .day
            for (name, body) in Self.cases(interval) where only.map({ name.contains($0) }) ?? true {
                var samples = [Samples(name: "plain"), Samples(name: "rollup")], cpu = [Samples(name: "plain"), Samples(name: "rollup")]
                for iteration in 0..<iterations {
                    let to = LocalDate(dayNumber: Self.lastDay.dayNumber - iteration % 30)
                    let range = try ReportRange.resolve(.custom, from: LocalDate(dayNumber: to.dayNumber - days + 1), to: to,
                                                        zone: .gmt, now: clock())
                    for (index, service) in [plain, rollup].enumerated() {
                        let (started, startedCPU) = (nowMillis(), processCPUMillis())
                        try await body(service, range)
                        samples[index].millis.append(nowMillis() - started)
                        cpu[index].millis.append(processCPUMillis() - startedCPU)
                    }
                }
                for index in 0..<2 {
                    say(#"{"measurement":"report","case":"\#(name) \#(days) days","source":"\#(samples[index].name)","p50Millis":\#(samples[index].percentile(0.5)),"p99Millis":\#(samples[index].percentile(0.99)),"cpuP50Millis":\#(cpu[index].percentile(0.5)),"cpuP99Millis":\#(cpu[index].percentile(0.99))}"#)
                }
            }
        }
    }

    static func cases(_ interval: ReportInterval) -> [(String, (ReportService, ReportRange) async throws -> Void)] {
        [
            ("overview", { _ = try await $0.overview($1, for: .system) }),
            ("trends", { _ = try await $0.trends($1, interval: interval, for: .system) }),
            ("agents", { _ = try await $0.agents($1, for: .system) }),
            ("sla", { _ = try await $0.sla($1, for: .system) }),
            ("csat", { _ = try await $0.csat($1, interval: interval, for: .system) }),
            ("channels", { _ = try await $0.channels($1, for: .system) }),
            ("full report", { _ = try await $0.fullReport($1, interval: interval, for: .system) }),
        ]
    }
}
