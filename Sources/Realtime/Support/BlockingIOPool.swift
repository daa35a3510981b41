import CSystem
import Foundation
import Synchronization

/// A few threads of their own for the blocking disk reads of file bodies, so an event
/// loop never waits on a disk (a cold page cache, a network file system).
final class BlockingIOPool: Sendable {
    /// The pool file bodies are read on. Four threads keep a disk's queue busy and leave
    /// the cores to the loops; reads are 64 KiB pieces, so none holds a thread for long.
    static let shared = BlockingIOPool(threads: 4)

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in run() }
            thread.name = "blocking-io-\(index)"
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    /// Runs `job` on one of the pool's threads, in submission order when a thread is free.
    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    private func run() {
        // This thread may start before `Server.start()` masks the shutdown signals.
        _ = csys_block_shutdown_signals()
        while true {
            available.wait()
            let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            job?()
        }
    }
}
