import Foundation
import Tickets

/// One database under measurement, opened through `Database`/`TicketService` exactly as the
/// server opens it.
struct Target {
    let name: String
    let database: Database
    let service: TicketService
    let viewer: Actor

    /// Opens `location` (attachments in `data`/attachments) and signs in agent 7 as the viewer.
    static func open(_ location: Database.Location, data: String) async throws -> Target {
        let database = try Database(location: location)
        let clock: Clock = { Date() }
        let folder = URL(fileURLWithPath: data).appendingPathComponent("attachments")
        let service = TicketService(database: database, attachments: try AttachmentStore(directory: folder), now: clock)
        let accounts = AccountService(database: database, now: clock)
        let viewer = Actor.agent(try await accounts.principal(for: AgentID(7)))
        let name = switch location { case .sqlite: "SQLite" case .postgres: "PostgreSQL" }
        return Target(name: name, database: database, service: service, viewer: viewer)
    }

    /// The server's maintenance merges full-text segments every 30 s (SQLite; their automatic
    /// merges are off, migration 27); creations of earlier runs left segments unmerged here.
    func mergeSearchIndexes() async throws {
        var steps = 0
        while try await database.mergeSearchIndexes() { steps += 1 }
        if database.dialect == .sqlite { say("\(name): full-text segments merged first in \(steps) steps, as the server's maintenance does") }
    }

    /// Prints the engine, its settings and the database's size.
    func describe() async throws {
        let facts = try await database.facts()
        say("\(name): \(facts.engine); database \(facts.bytes / 1_048_576) MiB")
    }
}

/// The `measure` command: times list pages, searches, ticket page loads and creations on one
/// database. The measurements themselves are `Cases`, shared with `compare`.
struct Measurer {
    let location: Database.Location
    let data: String
    let iterations: Int
    /// Only the measurements whose name contains this text (all when nil).
    var only: String? = nil

    func run() async throws {
        let rssStart = procStatusKiB("VmRSS")
        let target = try await Target.open(location, data: data)
        let rssOpened = procStatusKiB("VmRSS")
        say("RSS before: \(rssStart) KiB at start, \(rssOpened) KiB with the database open")
        try await target.describe()
        try await target.mergeSearchIndexes()
        let cases = Cases(iterations: iterations)
        var results: [Samples] = []
        for name in cases.names(only: only) {
            let samples = try await cases.measure(name, on: target)
            cases.report(samples)
            results.append(samples)
        }
        let rssEnd = procStatusKiB("VmRSS")
        let bytes = try await target.database.facts().bytes
        say("RSS after: \(rssEnd) KiB (peak \(procStatusKiB("VmHWM")) KiB); database \(bytes / 1_048_576) MiB")
        say(#"{"measurement":"rss","beforeKiB":\#(rssOpened),"afterKiB":\#(rssEnd),"peakKiB":\#(procStatusKiB("VmHWM")),"databaseMiB":\#(bytes / 1_048_576)}"#)
        say("")
        say("| measurement | p50 ms | p99 ms | CPU p50 ms | CPU p99 ms | load | result |")
        say("|---|---:|---:|---:|---:|---:|---|")
        for s in results {
            say(String(format: "| %@ | %.2f | %.2f | %.2f | %.2f | %.1f | %@ |", s.name, s.percentile(0.5), s.percentile(0.99),
                       s.percentile(0.5, cpu: true), s.percentile(0.99, cpu: true), s.load, s.note))
        }
    }
}

/// Every measurement by name: the list cases (`ListCases`), the search box, the ticket page,
/// and ticket creation (one caller, then `concurrentCallers` at once).
struct Cases {
    let iterations: Int
    /// Callers creating tickets at once for the throughput measurement: the server runs
    /// requests concurrently, and the writes queue on the one writer connection.
    static let concurrentCallers = 8
    static let ticketPage = "ticket page (ticket + thread + timeline)"
    static let create = "create ticket"
    static let createConcurrently = "create ticket, \(concurrentCallers) callers at once"

    /// The names of every measurement (those containing `only`, when given), in running order.
    func names(only: String?) -> [String] {
        let names = ListCases.all().map(\.name) + ListCases.searchBox.map { "search box: \($0.0)" }
            + [Self.ticketPage, Self.create, Self.createConcurrently]
        return names.filter { only.map($0.contains) ?? true }
    }

    /// Runs measurement `name` on `target`.
    func measure(_ name: String, on target: Target) async throws -> Samples {
        var samples: Samples
        if let item = ListCases.all().first(where: { $0.name == name }) {
            samples = try await list(item, target)
        } else if let (_, texts) = ListCases.searchBox.first(where: { "search box: \($0.0)" == name }) {
            samples = try await searchBox(name, texts, target)
        } else if name == Self.ticketPage {
            samples = try await ticketPages(target)
        } else if name == Self.create {
            samples = try await creations(target)
        } else {
            samples = try await concurrentCreations(target)
        }
        samples.load = loadAverage()
        return samples
    }

    /// Prints one JSON line for `s`.
    func report(_ s: Samples, engine: String? = nil) {
        let name = s.name.replacingOccurrences(of: "\"", with: "'")
        let engineField = engine.map { #""engine":"\#($0)","# } ?? ""
        // JSON has no NaN: a figure not taken (CPU time of concurrent callers) is null.
        func number(_ value: Double) -> String { value.isNaN ? "null" : String(format: "%.3f", value) }
        say(#"{\#(engineField)"measurement":"\#(name)","p50ms":\#(number(s.percentile(0.5))),"p99ms":\#(number(s.percentile(0.99))),"#
            + #""cpuP50ms":\#(number(s.percentile(0.5, cpu: true))),"cpuP99ms":\#(number(s.percentile(0.99, cpu: true))),"#
            + #""n":\#(s.millis.count),"load":\#(number(s.load)),"result":"\#(s.note)"}"#)
    }

    private func list(_ item: ListCase, _ target: Target) async throws -> Samples {
        var samples = Samples(name: item.name)
        var random = SeededGenerator(seed: 7)
        for iteration in 0..<(iterations + 3) {
            let request = item.request(&random)
            let (began, beganCPU) = (nowMillis(), processCPUMillis())
            var page = try await target.service.list(request, for: target.viewer)
            if item.secondPage, let cursor = page.nextCursor {
                var next = request
                next.cursor = cursor
                let (timed, timedCPU) = (nowMillis(), processCPUMillis())
                page = try await target.service.list(next, for: target.viewer)
                if iteration >= 3 { samples.record(since: timed, cpu: timedCPU) }
            } else if iteration >= 3 {
                samples.record(since: began, cpu: beganCPU)
            }
            samples.note = "rows \(page.tickets.count), total \(page.totalCount.map(String.init) ?? "-")\(page.totalIsCapped ? "+" : "")"
        }
        return samples
    }

    /// The search box's answer (`TicketService.search`, 10 tickets) for each of `texts` in turn.
    private func searchBox(_ name: String, _ texts: [String], _ target: Target) async throws -> Samples {
        var samples = Samples(name: name)
        var found = 0
        for iteration in 0..<(iterations + 3) {
            let (began, beganCPU) = (nowMillis(), processCPUMillis())
            let result = try await target.service.search(texts[iteration % texts.count], limit: 10, for: target.viewer)
            if iteration >= 3 { samples.record(since: began, cpu: beganCPU) }
            found += result.tickets.count
        }
        samples.note = "\(found / (iterations + 3)) tickets on average"
        return samples
    }

    private func ticketPages(_ target: Target) async throws -> Samples {
        let (service, viewer) = (target.service, target.viewer)
        var samples = Samples(name: Self.ticketPage)
        var random = SeededGenerator(seed: 11)
        let maxID = try await service.list(TicketListRequest(sort: TicketSort(.created), limit: 1, includeTotal: false),
                                           for: viewer).tickets.first?.id.rawValue ?? 1
        var messages = 0
        for iteration in 0..<(iterations + 3) {
            let id = TicketID(Int64.random(in: 1...maxID, using: &random))
            let (began, beganCPU) = (nowMillis(), processCPUMillis())
            async let ticket = service.ticket(id, for: viewer)
            async let thread = service.thread(of: id, for: viewer)
            async let timeline = service.timeline(id, for: viewer)
            let loaded = try await (ticket, thread, timeline)
            if iteration >= 3 { samples.record(since: began, cpu: beganCPU) }
            messages += loaded.1.count
        }
        samples.note = "\(messages / (iterations + 3)) messages on average"
        return samples
    }

    /// A ticket as a busy agent files it: a known requester's email, tags, an assignee.
    private static func draft(_ iteration: Int, _ random: inout SeededGenerator) -> NewTicket {
        let text = TextGenerator()
        var draft = NewTicket(subject: text.sentence(6, &random), description: text.sentence(30, &random),
                              requester: .email(name: "Bench", email: "contact\(Int.random(in: 1...20_000, using: &random))@customer\(iteration % 500).example"))
        draft.priority = .high
        draft.tags = ["benchmark", "vip"]
        draft.assigneeID = AgentID(Int64.random(in: 1...50, using: &random))
        return draft
    }

    /// One caller creating tickets one after another; the note gives the rate.
    private func creations(_ target: Target) async throws -> Samples {
        var samples = Samples(name: Self.create)
        var random = SeededGenerator(seed: 13)
        var started = nowMillis()
        for iteration in 0..<(iterations + 3) {
            let draft = Self.draft(iteration, &random)
            let (began, beganCPU) = (nowMillis(), processCPUMillis())
            _ = try await target.service.createTicket(draft, by: target.viewer)
            if iteration >= 3 { samples.record(since: began, cpu: beganCPU) } else { started = nowMillis() }
        }
        let rate = Double(iterations) / ((nowMillis() - started) / 1000)
        samples.note = String(format: "%.0f tickets/s; createTicket: contact, counter, ticket, tags, search index, audit, event, commit", rate)
        return samples
    }

    /// `concurrentCallers` tasks creating `iterations` tickets each at once; the samples are
    /// each call's wall time (queueing for the writer included), the note the overall rate.
    private func concurrentCreations(_ target: Target) async throws -> Samples {
        let (service, viewer, count) = (target.service, target.viewer, iterations)
        let started = nowMillis()
        let perCaller = try await withThrowingTaskGroup(of: [Double].self) { group in
            for caller in 0..<Self.concurrentCallers {
                group.addTask {
                    var random = SeededGenerator(seed: 17 + UInt64(caller))
                    var millis: [Double] = []
                    for iteration in 0..<count {
                        let draft = Self.draft(iteration, &random)
                        let began = nowMillis()
                        _ = try await service.createTicket(draft, by: viewer)
                        millis.append(nowMillis() - began)
                    }
                    return millis
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let seconds = (nowMillis() - started) / 1000
        var samples = Samples(name: Self.createConcurrently)
        samples.millis = perCaller.flatMap { $0 }
        samples.cpuMillis = samples.millis.map { _ in .nan }
        samples.note = String(format: "%.0f tickets/s (%d tickets in %.1f s)", Double(samples.millis.count) / seconds,
                              samples.millis.count, seconds)
        return samples
    }
}
