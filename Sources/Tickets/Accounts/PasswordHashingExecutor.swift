import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs password hashing (PBKDF2, ~100 ms of one core each) on dedicated threads with a
/// bounded queue. A flood of sign-ins then costs at most `threads` cores and never occupies
/// the cooperative pool every other route runs on; work beyond `maxQueued` waiting jobs is
/// refused at once with `.throttled`, so callers get a 429 instead of a growing wait.
public final class PasswordHashingExecutor: Sendable {
    /// The executor's limits, each with its reason.
    public struct Configuration: Sendable {
        /// Hashing threads: half the cores, at least one, so hashing can never take the machine.
        public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        /// Jobs allowed to wait behind the running ones: about a second of work at ~100 ms a
        /// hash on one thread; a longer wait would only make clients time out and retry.
        public var maxQueued = 8
        /// Nice increment of the hashing threads, so request handling wins the CPU when both want it.
        public var niceness: Int32 = 10
        /// What one hash costs, for the Retry-After estimate (OWASP iterations on a 2020s core).
        public var estimatedSecondsPerJob = 0.1

        public init() {}
    }

    private final class Queue: Sendable {
        struct State {
            var jobs: [@Sendable () -> Void] = []
            /// Accepted jobs not finished yet (waiting or running).
            var admitted = 0
            var stopping = false
        }

        let state = Mutex(State())
        let available = DispatchSemaphore(value: 0)
    }

    public let configuration: Configuration
    private let queue = Queue()

    /// Starts `configuration.threads` hashing threads; they end when the executor is released.
    public init(configuration: Configuration = Configuration()) {
        precondition(configuration.threads > 0 && configuration.maxQueued >= 0)
        self.configuration = configuration
        for index in 0..<configuration.threads {
            let queue = self.queue, niceness = configuration.niceness
            let thread = Thread { Self.work(queue, niceness: niceness) }
            thread.name = "password-hash-\(index)"
            thread.start()
        }
    }

    deinit {
        queue.state.withLock { $0.stopping = true }
        for _ in 0..<configuration.threads { queue.available.signal() }
    }

    /// Jobs accepted and not finished (running or waiting).
    public var load: Int { queue.state.withLock { $0.admitted } }

    /// Runs `job` on a hashing thread and returns its result. Throws `.throttled` (with a
    /// Retry-After estimate) without running it when `threads + maxQueued` jobs are already
    /// admitted.
    public func run<T: Sendable>(_ job: @escaping @Sendable () -> T) async throws -> T {
        let capacity = configuration.threads + configuration.maxQueued
        let admitted = queue.state.withLock { state -> Bool in
            guard state.admitted < capacity else { return false }
            state.admitted += 1
            return true
        }
        guard admitted else {
            let seconds = Double(capacity) * configuration.estimatedSecondsPerJob / Double(configuration.threads)
            throw DomainError(.throttled, "The server is busy checking passwords. Try again in a moment.",
                              retryAfterSeconds: max(1, Int(seconds.rounded(.up))))
        }
        let queue = self.queue
        return await withCheckedContinuation { continuation in
            queue.state.withLock { $0.jobs.append { continuation.resume(returning: job()) } }
            queue.available.signal()
        }
    }

    private static func work(_ queue: Queue, niceness: Int32) {
        #if canImport(Glibc)
        // On Linux the nice value is per thread and `who == 0` names the calling thread
        // (setpriority(2), NOTES); failing to lower the priority is harmless.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
        while true {
            queue.available.wait()
            let job: (@Sendable () -> Void)? = queue.state.withLock { state in
                state.jobs.isEmpty ? nil : state.jobs.removeFirst()
            }
            guard let job else {
                if queue.state.withLock({ $0.stopping }) { return }
                continue
            }
            job()
            queue.state.withLock { $0.admitted -= 1 }
        }
    }
}
