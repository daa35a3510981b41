import Foundation
import Tickets

/// The `measure` command: opens the database through `Database`/`TicketService` exactly as
/// the server does and times list pages, searches, ticket page loads and creations.
struct Measurer {
    let path: String
    let iterations: Int
    /// Only the measurements whose name contains this text (all when nil).
    var only: String? = nil

    func run() async throws {
        let rssStart = procStatusKiB("VmRSS")
        let database = try Database(path: path)
        let clock: Clock = { Date() }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("attachments")
        let service = TicketService(database: database, attachments: try AttachmentStore(directory: folder), now: clock)
        let accounts = AccountService(database: database, now: clock)
        let viewer = Actor.agent(try await accounts.principal(for: AgentID(7)))
        let rssOpened = procStatusKiB("VmRSS")
        say("RSS before: \(rssStart) KiB at start, \(rssOpened) KiB with the database open")
        // The server's maintenance merges full-text segments every 30 s (their automatic merges
        // are off, migration 27); creations of earlier runs left segments unmerged here.
        var steps = 0
        while try await database.mergeSearchIndexes() { steps += 1 }
        say("full-text segments merged first in \(steps) steps, as the server's maintenance does")
        var results: [Samples] = []
        let cases = ListCases.all().filter { only.map($0.name.contains) ?? true }
        for item in cases {
            var samples = Samples(name: item.name)
            var random = SeededGenerator(seed: 7)
            for iteration in 0..<(iterations + 3) {
                let request = item.request(&random)
                let (began, beganCPU) = (nowMillis(), processCPUMillis())
                var page = try await service.list(request, for: viewer)
                if item.secondPage, let cursor = page.nextCursor {
                    var next = request
                    next.cursor = cursor
                    let (timed, timedCPU) = (nowMillis(), processCPUMillis())
                    page = try await service.list(next, for: viewer)
                    if iteration >= 3 { samples.record(since: timed, cpu: timedCPU) }
                } else if iteration >= 3 {
                    samples.record(since: began, cpu: beganCPU)
                }
                samples.note = "rows \(page.tickets.count), total \(page.totalCount.map(String.init) ?? "-")\(page.totalIsCapped ? "+" : "")"
            }
            report(samples)
            results.append(samples)
        }
        for (name, texts) in ListCases.searchBox where only.map("search box: \(name)".contains) ?? true {
            results.append(try await searchBox(name, texts, service, viewer))
        }
        if only.map("ticket page".contains) ?? true { results.append(try await ticketPages(service, viewer)) }
        if only.map("create ticket".contains) ?? true { results.append(try await creations(service, viewer)) }
        let rssEnd = procStatusKiB("VmRSS")
        say("RSS after: \(rssEnd) KiB (peak \(procStatusKiB("VmHWM")) KiB); database \(fileMiB(path)) MiB")
        say(#"{"measurement":"rss","beforeKiB":\#(rssOpened),"afterKiB":\#(rssEnd),"peakKiB":\#(procStatusKiB("VmHWM")),"databaseMiB":\#(fileMiB(path))}"#)
        say("")
        say("| measurement | p50 ms | p99 ms | CPU p50 ms | CPU p99 ms | result |")
        say("|---|---:|---:|---:|---:|---|")
        for s in results {
            say(String(format: "| %@ | %.2f | %.2f | %.2f | %.2f | %@ |", s.name, s.percentile(0.5), s.percentile(0.99),
                       s.percentile(0.5, cpu: true), s.percentile(0.99, cpu: true), s.note))
        }
    }

    /// The search box's answer (`TicketService.search`, 10 tickets) for each of `texts` in turn.
    private func searchBox(_ name: String, _ texts: [String], _ service: TicketService, _ viewer: Actor) async throws -> Samples {
        var samples = Samples(name: "search box: \(name)")
        var found = 0
        for iteration in 0..<(iterations + 3) {
            let (began, beganCPU) = (nowMillis(), processCPUMillis())
            let result = try await service.search(texts[iteration % texts.count], limit: 10, for: viewer)
            if iteration >= 3 { samples.record(since: began, cpu: beganCPU) }
            found += result.tickets.count
        }
        samples.note = "\(found / (iterations + 3)) tickets on average"
        report(samples)
        return samples
    }

    private func ticketPages(_ service: TicketService, _ viewer: Actor) async throws -> Samples {
        var samples = Samples(name: "ticket page (ticket + thread + timeline)")
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
        report(samples)
        return samples
    }

    private func creations(_ service: TicketService, _ viewer: Actor) async throws -> Samples {
        var samples = Samples(name: "create ticket")
        var random = SeededGenerator(seed: 13)
        let text = TextGenerator()
        for iteration in 0..<(iterations + 3) {
            var draft = NewTicket(subject: text.sentence(6, &random), description: text.sentence(30, &random),
                                  requester: .email(name: "Bench", email: "contact\(Int.random(in: 1...20_000, using: &random))@customer\(iteration % 500).example"))
            draft.priority = .high
            draft.tags = ["benchmark", "vip"]
            draft.assigneeID = AgentID(Int64.random(in: 1...50, using: &random))
            let (began, beganCPU) = (nowMillis(), processCPUMillis())
            _ = try await service.createTicket(draft, by: viewer)
            if iteration >= 3 { samples.record(since: began, cpu: beganCPU) }
        }
        samples.note = "through createTicket (contact, counter, ticket, tags, FTS, audit, commit)"
        report(samples)
        return samples
    }

    private func report(_ s: Samples) {
        let name = s.name.replacingOccurrences(of: "\"", with: "'")
        say(String(format: #"{"measurement":"%@","p50ms":%.3f,"p99ms":%.3f,"cpuP50ms":%.3f,"cpuP99ms":%.3f,"n":%d,"result":"%@"}"#,
                     name, s.percentile(0.5), s.percentile(0.99), s.percentile(0.5, cpu: true), s.percentile(0.99, cpu: true),
                     s.millis.count, s.note))
    }

    private func fileMiB(_ path: String) -> Int {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return size / 1_048_576
    }
}
