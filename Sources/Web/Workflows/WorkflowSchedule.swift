import Foundation
import Synchronization
import Tickets

/// Checks the time-based workflows every `interval`, and at once when poked (the test clock
/// moved). One check at a time, off the event loops, on Swift's task pool.
final class WorkflowSchedule: Sendable {
    /// How often time triggers are checked: their unit is the hour, so a minute late is fine.
    static let interval: Duration = .seconds(60)

    private let runner: WorkflowRunner
    private let pokes: AsyncStream<Void>.Continuation
    private let stream: AsyncStream<Void>
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(runner: WorkflowRunner) {
        self.runner = runner
        (stream, pokes) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func start() {
        let stream = self.stream, pokes = self.pokes, runner = self.runner
        let checker = Task.detached {
            for await _ in stream {
                do {
                    let runs = try await runner.checkTimeTriggers()
                    if runs > 0 { Log.info("workflows: \(runs) time-triggered runs") }
                } catch {
                    Log.error("workflows: time triggers not checked: \(error)")
                }
            }
        }
        let ticker = Task.detached {
            while !Task.isCancelled {
                pokes.yield()
                try? await Task.sleep(for: Self.interval)
            }
        }
        tasks.withLock { $0 = [checker, ticker] }
    }

    /// Asks for a check now (coalesced with one already asked for).
    func poke() { pokes.yield() }

    func stop() {
        pokes.finish()
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }
}
