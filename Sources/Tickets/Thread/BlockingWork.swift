import Dispatch

/// Blocking file work (staging attachments: copying, hashing, fsync) on threads of its own,
/// so it never holds one of the few threads of Swift's task pool that every request and the
/// event relay share. At most `width` such jobs run at once; the rest wait their turn.
public enum BlockingWork {
    /// Jobs running at once: enough to keep a disk busy, few enough to leave the CPU to requests.
    public static let width = 4
    private static let queue = DispatchQueue(label: "helpdesk.blocking-work", attributes: .concurrent)
    private static let slots = DispatchSemaphore(value: width)

    /// Runs `body` on a blocking-work thread and returns its result to the awaiting task.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                slots.wait()
                defer { slots.signal() }
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
