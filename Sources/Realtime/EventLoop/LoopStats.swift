import Synchronization

/// How long one loop's iterations take (from epoll_wait returning to the end of the
/// iteration's writes and close callbacks): the longest, and a histogram. Written only by
/// the loop's own thread (relaxed atomics on its own counters, so no line is shared
/// between loops); read by `/metrics`.
public final class LoopStats: Sendable {
    /// Bucket upper bounds in microseconds. A healthy iteration takes tens of microseconds;
    /// anything past 10 ms is a loop that something blocked (disk, a lock, a big compress).
    public static let bucketBoundsMicroseconds: [Int] = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000, 100_000, 1_000_000]

    /// Iterations at or under each bound, plus one last bucket for the rest (not cumulative).
    private let buckets: [Counter]
    private let maxNanoseconds = Atomic<Int>(0)
    private let totalNanoseconds = Atomic<Int>(0)

    init() {
        buckets = (0...Self.bucketBoundsMicroseconds.count).map { _ in Counter() }
    }

    /// Records one iteration of `nanoseconds` (loop thread only).
    func record(nanoseconds: Int) {
        let micro = nanoseconds / 1_000
        var index = 0
        while index < Self.bucketBoundsMicroseconds.count, micro > Self.bucketBoundsMicroseconds[index] { index += 1 }
        buckets[index].value.add(1, ordering: .relaxed)
        totalNanoseconds.add(nanoseconds, ordering: .relaxed)
        if nanoseconds > maxNanoseconds.load(ordering: .relaxed) { maxNanoseconds.store(nanoseconds, ordering: .relaxed) }
    }

    /// The longest iteration so far, in nanoseconds.
    public var longestNanoseconds: Int { maxNanoseconds.load(ordering: .relaxed) }

    /// Iterations per bucket (not cumulative; the last is over the largest bound), and the
    /// time they took in total.
    public var histogram: (counts: [Int], totalNanoseconds: Int) {
        (buckets.map { $0.value.load(ordering: .relaxed) }, totalNanoseconds.load(ordering: .relaxed))
    }

    /// An atomic in a box: atomics cannot be copied, so an array holds references to them.
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }
}
