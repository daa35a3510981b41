import Foundation
import Tickets

/// TicketsBenchmark generate --data DIR [--database URL] [--tickets N] [--messages N] [--seed N]
/// TicketsBenchmark measure --data DIR [--database URL] [--iterations N] [--only TEXT]
/// TicketsBenchmark compare --data DIR --database URL [--iterations N] [--only TEXT]
/// TicketsBenchmark sla --data DIR [--iterations N]
/// TicketsBenchmark relay --data DIR [--tickets N]
/// TicketsBenchmark reports --data DIR [--iterations N] [--only TEXT]
/// TicketsBenchmark workflows --data DIR [--tickets N] [--rounds N] [--only with|without]
let usage = """
    usage: TicketsBenchmark generate --data DIR [--database URL] [--tickets 1000000] [--messages 5000000] [--seed 1]
           TicketsBenchmark measure --data DIR [--database URL] [--iterations 200] [--only TEXT]   (TEXT: part of a case name)
           TicketsBenchmark compare --data DIR --database URL [--iterations 200] [--only TEXT]   (SQLite in DIR vs PostgreSQL, case by case)
           TicketsBenchmark sla --data DIR [--iterations 200]   (starts missing SLA clocks first)
           TicketsBenchmark relay --data DIR [--tickets 20000]   (a fresh folder: the event relay's throughput)
           TicketsBenchmark reports --data DIR [--iterations 50] [--only TEXT]   (starts missing SLA clocks first)
           TicketsBenchmark workflows --data DIR [--tickets 3000] [--rounds 3] [--only with|without]   (a fresh folder: 100 workflows' cost per event and on creation, without/with alternated --rounds times; --only: one creation phase, for a profiler)
    --database postgres://...: that PostgreSQL database instead of DIR/helpdesk.sqlite (DIR then holds
    only attachments); it must exist and, for generate, hold no tickets.
    (see benchmarks/TICKETS.md)
    """

func option(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first, let data = option("data", arguments) else {
    print(usage)
    exit(2)
}
let path = URL(fileURLWithPath: data).appendingPathComponent("helpdesk.sqlite").path
do {
    let sqlite = Database.Location.sqlite(path: path)
    let database = try option("database", arguments).map { url in
        guard case .postgres = try Database.Location(url) else {
            print("--database takes a postgres:// URL (SQLite lives in --data)")
            exit(2)
        }
        return try Database.Location(url)
    }
    switch command {
    case "generate":
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        guard database != nil || !FileManager.default.fileExists(atPath: path) else {
            print("\(path) exists; generate into a fresh folder")
            exit(1)
        }
        try Generator(location: database ?? sqlite, tickets: Int(option("tickets", arguments) ?? "") ?? 1_000_000,
                      messages: Int(option("messages", arguments) ?? "") ?? 5_000_000,
                      seed: UInt64(option("seed", arguments) ?? "") ?? 1).run()
    case "measure":
        try await Measurer(location: database ?? sqlite, data: data,
                           iterations: Int(option("iterations", arguments) ?? "") ?? 200, only: option("only", arguments)).run()
    case "compare":
        guard let database else {
            print("compare needs --database postgres://...")
            exit(2)
        }
        try await Comparison(sqlite: sqlite, postgres: database, data: data,
                             iterations: Int(option("iterations", arguments) ?? "") ?? 200, only: option("only", arguments)).run()
    case "relay":
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        guard !FileManager.default.fileExists(atPath: path) else {
            print("\(path) exists; measure the relay in a fresh folder")
            exit(1)
        }
        try await RelayBenchmark(path: path, tickets: Int(option("tickets", arguments) ?? "") ?? 20_000).run()
    case "workflows":
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        guard !FileManager.default.fileExists(atPath: path) else {
            print("\(path) exists; measure the workflows in a fresh folder")
            exit(1)
        }
        let only = option("only", arguments)
        guard only == nil || only == "with" || only == "without" else {
            print("--only takes with or without")
            exit(2)
        }
        try await WorkflowBenchmark(path: path, tickets: Int(option("tickets", arguments) ?? "") ?? 3_000, only: only,
                                    rounds: max(1, Int(option("rounds", arguments) ?? "") ?? 3)).run()
    case "reports":
        try await ReportBenchmark(path: path, iterations: Int(option("iterations", arguments) ?? "") ?? 50,
                                  only: option("only", arguments)).run()
    case "sla":
        try await SLABenchmark(path: path, iterations: Int(option("iterations", arguments) ?? "") ?? 200).run()
    default:
        print(usage)
        exit(2)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
