import Realtime
import Synchronization

/// A response body written by a task off the event loop and sent as it is written (chunked):
/// the task `write`s pieces, the loop takes them through `next()`. At most `maxBufferedBytes`
/// wait in between; past that `write` suspends until the socket has taken them, so a slow
/// client holds back the producer instead of growing its memory.
final class StreamedBody: HTTPBodyStream {
    /// Bytes waiting for the socket before the producer pauses: four of the loop's 64 KiB pieces.
    static let maxBufferedBytes = 256 * 1024

    private struct State {
        var pieces: [[UInt8]] = []
        var buffered = 0
        var finished = false
        var failed = false
        var cancelled = false
        var wake: (@Sendable () -> Void)?
        var waiting: CheckedContinuation<Void, Error>?
    }

    private let state = Mutex(State())

    /// The client left: what `write` throws from then on.
    struct Cancelled: Error {}

    // MARK: the loop's side

    func next() -> [UInt8]? {
        let (piece, resume): ([UInt8]?, CheckedContinuation<Void, Error>?) = state.withLock { s in
            if s.pieces.isEmpty { return (s.finished ? nil : [], nil) }
            var piece: [UInt8] = []
            while let first = s.pieces.first, piece.isEmpty || piece.count + first.count <= 64 * 1024 {
                piece += first
                s.pieces.removeFirst()
            }
            s.buffered -= piece.count
            let resume = s.buffered < Self.maxBufferedBytes ? s.waiting : nil
            if resume != nil { s.waiting = nil }
            return (piece, resume)
        }
        resume?.resume()
        return piece
    }

    func attach(wake: @escaping @Sendable () -> Void) {
        let ready = state.withLock { s in
            s.wake = wake
            return !s.pieces.isEmpty || s.finished
        }
        if ready { wake() }
    }

    func cancel() {
        let waiting = state.withLock { s in
            s.cancelled = true
            s.wake = nil
            s.pieces.removeAll()
            defer { s.waiting = nil }
            return s.waiting
        }
        waiting?.resume(throwing: Cancelled())
    }

    var failed: Bool { state.withLock { $0.failed } }

    // MARK: the producer's side

    /// Queues `bytes` and wakes the loop; suspends while too much waits. Throws `Cancelled`
    /// once the client has gone.
    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        let (wake, full) = try state.withLock { s -> ((@Sendable () -> Void)?, Bool) in
            if s.cancelled { throw Cancelled() }
            s.pieces.append(bytes)
            s.buffered += bytes.count
            return (s.wake, s.buffered >= Self.maxBufferedBytes)
        }
        wake?()
        guard full else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let resumeNow: Result<Void, Error>? = state.withLock { s in
                if s.cancelled { return .failure(Cancelled()) }
                if s.buffered < Self.maxBufferedBytes { return .success(()) }
                s.waiting = continuation
                return nil
            }
            if let resumeNow { continuation.resume(with: resumeNow) }
        }
    }

    /// Ends the body: completely, or (`failed`) cut, so the client sees it incomplete.
    func finish(failed: Bool = false) {
        let wake = state.withLock { s in
            s.finished = true
            s.failed = failed
            defer { s.wake = nil }  // the loop polls once more and then lets go of the body
            return s.wake
        }
        wake?()
    }
}
