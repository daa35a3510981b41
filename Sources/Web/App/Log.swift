import Foundation
import Realtime

/// One-line log output with a UTC timestamp. Never pass secrets (passwords, tokens, cookies).
public enum Log {
    /// Guarded by `lock` (ISO8601DateFormatter is not thread-safe).
    nonisolated(unsafe) private static let formatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
    private static let lock = NSLock()

    public static func info(_ message: String) { write("info", message) }
    public static func error(_ message: String) { write("error", message) }

    /// Hands the line to the process's logger thread: a stalled stdout drops and counts
    /// lines (`realtime_log_lines_dropped_total`) instead of blocking an event loop.
    private static func write(_ level: String, _ message: String) {
        // Queued under the lock too, so lines leave in timestamp order (the queue never blocks).
        lock.withLock { _ = LogWriter.standardOutput.write("\(formatter.string(from: Date())) \(level) \(message)") }
    }
}
