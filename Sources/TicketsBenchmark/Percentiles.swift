import Foundation

/// Latency samples of one measurement, in milliseconds.
struct Samples {
    let name: String
    var millis: [Double] = []
    /// The process's CPU time (user + system) of each sample: on a shared machine wall time
    /// includes waiting for a core, CPU time is the call's own cost.
    var cpuMillis: [Double] = []
    var note: String = ""
    /// The one-minute load average when the measurement ended (`loadAverage`).
    var load: Double = .nan

    /// Adds a sample that began at wall time `since` with the process CPU time `cpu`.
    mutating func record(since: Double, cpu: Double) {
        millis.append(nowMillis() - since)
        cpuMillis.append(processCPUMillis() - cpu)
    }

    /// The value at quantile `q` (0...1) by nearest rank (of the CPU times when `cpu`).
    func percentile(_ q: Double, cpu: Bool = false) -> Double {
        let values = cpu ? cpuMillis : millis
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// Monotonic wall time in milliseconds.
func nowMillis() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
}

/// The `key` line of /proc/self/status in KiB (VmRSS, VmHWM).
func procStatusKiB(_ key: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
    }
    return -1
}

/// Prints `line` and flushes, so progress shows in a log file as it happens.
func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// The one-minute load average (/proc/loadavg): on a shared machine, how many tasks wanted
/// the cores while a figure was taken.
func loadAverage() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return .nan }
    return Double(text.split(separator: " ").first ?? "") ?? .nan
}

/// User plus system CPU time of this process so far, in milliseconds.
func processCPUMillis() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
}
