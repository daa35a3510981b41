import Foundation

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

    private static func write(_ level: String, _ message: String) {
        lock.lock()
        defer { lock.unlock() }
        let line = "\(formatter.string(from: Date())) \(level) \(message)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
