import Synchronization

/// Server-wide accounting of request bodies: bytes held in memory by bodies still
/// arriving, and bytes in spooled body files (until the handler drops the file).
final class BodyBudget: Sendable {
    private let memory = Atomic<Int>(0)
    private let disk = Atomic<Int>(0)
    let maxMemoryBytes: Int
    let maxDiskBytes: Int

    init(maxMemoryBytes: Int, maxDiskBytes: Int) {
        self.maxMemoryBytes = maxMemoryBytes
        self.maxDiskBytes = maxDiskBytes
    }

    /// Takes `count` bytes of the memory share; false (nothing taken) when it would pass the cap.
    func takeMemory(_ count: Int) -> Bool { take(count, from: memory, max: maxMemoryBytes) }
    func releaseMemory(_ count: Int) { if count > 0 { memory.subtract(count, ordering: .relaxed) } }
    /// Takes `count` bytes of the disk share; false (nothing taken) when it would pass the cap.
    func takeDisk(_ count: Int) -> Bool { take(count, from: disk, max: maxDiskBytes) }
    func releaseDisk(_ count: Int) { if count > 0 { disk.subtract(count, ordering: .relaxed) } }

    var memoryBytes: Int { memory.load(ordering: .relaxed) }
    var diskBytes: Int { disk.load(ordering: .relaxed) }

    private func take(_ count: Int, from counter: borrowing Atomic<Int>, max: Int) -> Bool {
        guard count > 0 else { return true }
        if counter.add(count, ordering: .relaxed).newValue <= max { return true }
        counter.subtract(count, ordering: .relaxed)
        return false
    }
}
