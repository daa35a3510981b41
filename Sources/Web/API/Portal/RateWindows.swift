/// Fixed-window hit counters per key, pure (the caller passes the time) and bounded: past
/// `maxKeys` keys the finished windows are dropped, and if every window is still running
/// the table starts over (a flood of fresh keys must not grow memory without end).
struct RateWindows: Sendable, Equatable {
    /// Hits allowed per key per window.
    let limit: Int
    let windowSeconds: Double
    let maxKeys: Int
    private var windows: [String: Window] = [:]

    private struct Window: Sendable, Equatable {
        var start: Double
        var count: Int
    }

    init(limit: Int, windowSeconds: Double, maxKeys: Int = 10_000) {
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.maxKeys = maxKeys
    }

    /// Counts one hit of `key` at `now`. Returns nil when it is within the limit, else the
    /// whole seconds until the key's window ends (for `Retry-After`).
    mutating func hit(_ key: String, now: Double) -> Int? {
        var window = windows[key].flatMap { now - $0.start < windowSeconds ? $0 : nil } ?? Window(start: now, count: 0)
        window.count += 1
        if windows[key] == nil, windows.count >= maxKeys { prune(now: now) }
        windows[key] = window
        return window.count > limit ? retryAfter(window, now: now) : nil
    }

    /// Nil when `key` may still be hit at `now`, else the seconds until it may.
    func blocked(_ key: String, now: Double) -> Int? {
        guard let window = windows[key], now - window.start < windowSeconds, window.count >= limit else { return nil }
        return retryAfter(window, now: now)
    }

    private func retryAfter(_ window: Window, now: Double) -> Int {
        max(1, Int((window.start + windowSeconds - now).rounded(.up)))
    }

    private mutating func prune(now: Double) {
        windows = windows.filter { now - $0.value.start < windowSeconds }
        if windows.count >= maxKeys { windows = [:] }
    }
}
