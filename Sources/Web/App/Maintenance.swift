import Foundation
import Synchronization
import Tickets

/// The server's periodic chores in one place (like Redis's `serverCron`): each runs on its
/// own schedule from one timer, one at a time, on a dispatch queue of their own: off the
/// event loops, and off Swift's task pool, since the attachment sweep does blocking file
/// I/O (database calls are awaited from that thread through `Blocking.run`).
///
/// | chore | every | what |
/// |---|---|---|
/// | sessions | 10 min | expired sign-in sessions deleted |
/// | events | 10 min | events every consumer has passed and older than the retention window deleted |
/// | attachments | 1 h | attachment files no message refers to (older than a day) deleted |
/// | optimize | 1 h | `PRAGMA optimize` refreshes the query planner's statistics |
/// | search-index | 30 s | full-text segments merged in small steps (their automatic merges are off, migration 27) |
final class Maintenance: @unchecked Sendable {
    struct Chore {
        let name: String
        let interval: TimeInterval
        /// Runs on the maintenance queue; returns a line to log, if any.
        let run: @Sendable () throws -> String?
    }

    /// How long events are kept after every consumer has passed them (default 30 days).
    let eventRetention: TimeInterval
    private let chores: [Chore]
    private let now: Clock
    private let queue = DispatchQueue(label: "helpdesk.maintenance")
    private var timer: DispatchSourceTimer?
    private var lastRun: [String: Date] = [:]
    /// Runs per chore and failures, for `/metrics`.
    private let counts = Mutex<[String: (runs: Int, failures: Int)]>([:])

    /// How often the timer looks for due chores.
    static let tickSeconds = 30
    /// Merge steps per tick at most (256 pages each): ~64 MiB of index rewritten, far more
    /// than 30 s of ticket writes add, so segments never pile up between ticks.
    static let maxSearchMergeSteps = 64

    init(services: Services, consumers: @escaping @Sendable () -> [String], eventRetention: TimeInterval) {
        self.eventRetention = eventRetention
        now = services.now
        let now = services.now
        chores = [
            Chore(name: "sessions", interval: 600) {
                let purged = try Blocking.run { try await services.accounts.purgeExpiredSessions() }
                return purged > 0 ? "purged \(purged) expired sessions" : nil
            },
            Chore(name: "events", interval: 600) {
                let before = now().addingTimeInterval(-eventRetention), names = consumers()
                let pruned = try Blocking.run { try await services.database.pruneEvents(consumers: names, olderThan: before) }
                return pruned > 0 ? "pruned \(pruned) events from the log" : nil
            },
            Chore(name: "attachments", interval: 3_600) {
                // A day's grace: an upload is stored before its message row commits.
                let store = services.tickets.attachments
                let (stored, temporary) = store.files(modifiedBefore: now().addingTimeInterval(-86_400))
                let referenced = try Blocking.run { try await services.tickets.referencedStorageKeys(stored) }
                var deleted = 0
                for key in stored where !referenced.contains(key) {
                    if (try? store.remove(storageKey: key)) != nil { deleted += 1 }
                }
                for file in temporary where (try? FileManager.default.removeItem(at: file)) != nil { deleted += 1 }
                return deleted > 0 ? "deleted \(deleted) orphaned attachment files" : nil
            },
            Chore(name: "search-index", interval: TimeInterval(Self.tickSeconds)) {
                // Each step is its own short write of at most 256 pages, so ticket writes
                // interleave; the bound keeps one tick from holding the queue for long.
                var steps = 0
                while steps < Self.maxSearchMergeSteps, try Blocking.run({ try await services.database.mergeSearchIndexes() }) {
                    steps += 1
                }
                // Quiet unless merging could not keep up with the writes.
                return steps == Self.maxSearchMergeSteps ? "full-text segments still to merge after \(steps) steps" : nil
            },
            Chore(name: "optimize", interval: 3_600) {
                try Blocking.run { try await services.database.optimize() }
                return nil
            },
        ]
    }

    /// Starts the timer; the first chores run one tick after start.
    func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .seconds(Self.tickSeconds), repeating: .seconds(Self.tickSeconds))
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
    }

    func stop() {
        timer?.cancel()
    }

    /// Runs every chore now, in order, on the maintenance queue (tests).
    func runAll() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                for chore in chores { run(chore) }
                done.resume()
            }
        }
    }

    /// `helpdesk_maintenance_runs_total{chore}` and `..._failures_total{chore}` lines.
    var metrics: [(String, Int)] {
        counts.withLock { $0 }.sorted { $0.key < $1.key }.flatMap { name, count in
            [("helpdesk_maintenance_runs_total{chore=\"\(name)\"}", count.runs),
             ("helpdesk_maintenance_failures_total{chore=\"\(name)\"}", count.failures)]
        }
    }

    private func tick() {
        let at = now()
        let due = chores.filter { chore in lastRun[chore.name].map { at.timeIntervalSince($0) >= chore.interval } ?? true }
        guard !due.isEmpty else { return }
        for chore in due { lastRun[chore.name] = at }
        for chore in due { run(chore) }
    }

    private func run(_ chore: Chore) {
        do {
            if let line = try chore.run() { Log.info("maintenance: \(line)") }
            counts.withLock { $0[chore.name, default: (0, 0)].runs += 1 }
        } catch {
            counts.withLock { $0[chore.name, default: (0, 0)].failures += 1 }
            Log.error("maintenance: \(chore.name) failed: \(error)")
        }
    }
}
