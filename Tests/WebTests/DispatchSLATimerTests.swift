import Foundation
import Testing
import Tickets
@testable import Web

/// A clock tests move by hand.
private final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    func now() -> Date { Date().addingTimeInterval(lock.withLock { offset }) }
    func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
}

/// Waits for `count` fires of the names sent to the returned callback, or fails after the watchdog.
private func fires(_ count: Int, within seconds: Double = 5, _ body: (@escaping @Sendable (String) -> Void) -> Void) async -> [String] {
    let (stream, continuation) = AsyncStream<String>.makeStream()
    body { continuation.yield($0) }
    let watchdog = Task {
        try await Task.sleep(for: .seconds(seconds))
        continuation.finish()
    }
    var seen: [String] = []
    for await name in stream {
        seen.append(name)
        if seen.count == count { break }
    }
    watchdog.cancel()
    return seen
}

@Suite struct DispatchSLATimerTests {
    @Test("a wake-up armed shortly ahead fires once")
    func firesAtTheDeadline() async {
        let clock = ManualClock()
        let timer = DispatchSLATimer(now: clock.now)
        let seen = await fires(1) { fired in timer.schedule(at: clock.now().addingTimeInterval(0.02)) { fired("a") } }
        #expect(seen == ["a"])
        #expect(timer.deadline == nil)
    }

    @Test("a later schedule replaces the armed one")
    func replaces() async {
        let clock = ManualClock()
        let timer = DispatchSLATimer(now: clock.now)
        let seen = await fires(1) { fired in
            timer.schedule(at: clock.now().addingTimeInterval(3_600)) { fired("hour") }
            timer.schedule(at: clock.now().addingTimeInterval(0.01)) { fired("soon") }
        }
        #expect(seen == ["soon"])
    }

    @Test("after the server clock jumps past the deadline, clockChanged fires it without waiting")
    func clockJump() async {
        let clock = ManualClock()
        let timer = DispatchSLATimer(now: clock.now)
        let seen = await fires(1) { fired in
            timer.schedule(at: clock.now().addingTimeInterval(3_600)) { fired("jumped") }
            clock.advance(3_601)
            timer.clockChanged()
        }
        #expect(seen == ["jumped"])
    }
}
