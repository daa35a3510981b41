import Foundation
import Tickets

/// The `compare` command: every measurement on SQLite and on PostgreSQL in the same run,
/// case by case (each case on one database right after the other, the order alternating),
/// so both see the same moment of a shared machine's load. Prints each case's figures, the
/// ratios PostgreSQL / SQLite, the load average and whether both answered alike.
struct Comparison {
    let sqlite: Database.Location
    let postgres: Database.Location
    let data: String
    let iterations: Int
    var only: String? = nil

    func run() async throws {
        let targets = [try await Target.open(sqlite, data: data), try await Target.open(postgres, data: data)]
        for target in targets {
            try await target.describe()
            try await target.mergeSearchIndexes()
        }
        let cases = Cases(iterations: iterations)
        var rows: [(Samples, Samples)] = []
        for (index, name) in cases.names(only: only).enumerated() {
            var measured: [String: Samples] = [:]
            for target in index % 2 == 0 ? targets : targets.reversed() {
                let samples = try await cases.measure(name, on: target)
                cases.report(samples, engine: target.name)
                measured[target.name] = samples
            }
            rows.append((measured["SQLite"]!, measured["PostgreSQL"]!))
        }
        say("")
        say("| measurement | SQLite p50 / p99 ms | PostgreSQL p50 / p99 ms | PG/SQLite p50 | PG/SQLite p99 | load | results |")
        say("|---|---:|---:|---:|---:|---:|---|")
        for (s, p) in rows {
            let load = String(format: "%.1f-%.1f", min(s.load, p.load), max(s.load, p.load))
            // Creations make different tickets on each side; every other case must answer alike.
            let results = s.note == p.note ? "same: \(s.note)" : "SQLite: \(s.note); PostgreSQL: \(p.note)"
            say(String(format: "| %@ | %.2f / %.2f | %.2f / %.2f | %.2f | %.2f | %@ | %@ |", s.name,
                       s.percentile(0.5), s.percentile(0.99), p.percentile(0.5), p.percentile(0.99),
                       p.percentile(0.5) / s.percentile(0.5), p.percentile(0.99) / s.percentile(0.99), load, results))
        }
    }
}
