import CSystem
import Foundation
import Glibc
import Synchronization

/// Log lines written to a file descriptor by one thread of their own, so the threads that
/// log (the event loops above all) never wait on the output: a stalled or slow stdout
/// (a full pipe, a paused terminal, a log shipper that stopped reading) fills a bounded
/// buffer, and lines past it are dropped and counted instead of blocking the caller.
public final class LogWriter: Sendable {
    /// The process's standard output, used by `Server.log` by default and by the app's log.
    public static let standardOutput = LogWriter(fd: STDOUT_FILENO)

    /// Bytes of lines waiting for the writer thread before new lines are dropped: about
    /// ten thousand access-log lines, seconds of a busy server's output.
    public static let defaultMaxBufferedBytes = 1 << 20

    private struct State {
        var pending: [UInt8] = []
        var dropped = 0
        /// The writer thread waits for a signal (set when it found nothing to write).
        var writerIdle = true
        var writerStarted = false
    }

    private let fd: Int32
    private let maxBufferedBytes: Int
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled by the writer each time it finds the buffer empty (for `flush`).
    private let idle = DispatchSemaphore(value: 0)
    private let flushWaiters = Atomic<Int>(0)

    /// A writer for `fd` (not closed by the writer) holding at most `maxBufferedBytes`.
    public init(fd: Int32, maxBufferedBytes: Int = LogWriter.defaultMaxBufferedBytes) {
        self.fd = fd
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// Lines dropped because the buffer was full (the output did not keep up).
    public var droppedLines: Int { state.withLock { $0.dropped } }

    /// Queues `line` (a newline is added) for the writer thread; never blocks on the output.
    /// Returns false when the line was dropped because the buffer is full.
    @discardableResult
    public func write(_ line: String) -> Bool {
        var line = line
        let (accepted, signal, start) = line.withUTF8 { bytes in
            state.withLock { state -> (Bool, Bool, Bool) in
                guard state.pending.count + bytes.count + 1 <= maxBufferedBytes else {
                    state.dropped += 1
                    return (false, false, false)
                }
                state.pending.append(contentsOf: bytes)
                state.pending.append(UInt8(ascii: "\n"))
                let signal = state.writerIdle
                state.writerIdle = false
                let start = !state.writerStarted
                state.writerStarted = true
                return (true, signal, start)
            }
        }
        if start { startWriter() }
        if signal { wake.signal() }
        return accepted
    }

    /// Waits up to `timeoutSeconds` until every accepted line has been written (at exit,
    /// and in tests). Returns false when the output did not take them in time.
    @discardableResult
    public func flush(timeoutSeconds: Double = 2) -> Bool {
        let deadline = DispatchTime.now() + timeoutSeconds
        while true {
            flushWaiters.add(1, ordering: .relaxed)
            defer { flushWaiters.subtract(1, ordering: .relaxed) }
            if state.withLock({ $0.writerIdle }) { return true }
            if idle.wait(timeout: deadline) == .timedOut { return false }
        }
    }

    private func startWriter() {
        let thread = Thread { [self] in run() }
        thread.name = "log-writer"
        thread.stackSize = 256 << 10
        thread.start()
        if self === LogWriter.standardOutput {
            // Lines logged just before `exit` (such as "stopped") still reach the output.
            atexit { LogWriter.standardOutput.flush() }
        }
    }

    private func run() {
        // This thread may start before `Server.start()` masks the shutdown signals.
        _ = csys_block_shutdown_signals()
        while true {
            wake.wait()
            while let batch = takePending() { writeAll(batch) }
            if flushWaiters.load(ordering: .relaxed) > 0 { idle.signal() }
        }
    }

    /// The buffered bytes, or nil (marking the writer idle) when there are none.
    private func takePending() -> [UInt8]? {
        state.withLock { state in
            guard !state.pending.isEmpty else {
                state.writerIdle = true
                return nil
            }
            let batch = state.pending
            state.pending = []
            state.pending.reserveCapacity(min(batch.count, 64 << 10))
            return batch
        }
    }

    /// Blocking writes on this thread only. A failed output (closed pipe) loses the batch:
    /// there is nowhere left to report it.
    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
