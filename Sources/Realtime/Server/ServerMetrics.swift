import Synchronization

/// Counters the server keeps for `/metrics`; relaxed atomics, cheap on every path.
public final class ServerMetrics: Sendable {
    private let open = Atomic<Int>(0)
    private let accepted = Atomic<Int>(0)
    private let requests = Atomic<Int>(0)
    private let messages = Atomic<Int>(0)
    private let slowConsumers = Atomic<Int>(0)
    private let protocolErrors = Atomic<Int>(0)
    private let refusedPerAddress = Atomic<Int>(0)
    private let closedForMemory = Atomic<Int>(0)
    private let acceptFailures = Atomic<Int>(0)
    private let tlsFailures = Atomic<Int>(0)
    /// The loops' iteration timings, registered by `Server.start()`.
    private let loops = Mutex<[LoopStats]>([])
    /// Where dropped log lines are counted (the process's stdout logger by default).
    private let logWriter: LogWriter

    init(logWriter: LogWriter = .standardOutput) {
        self.logWriter = logWriter
    }

    func register(_ stats: LoopStats) { loops.withLock { $0.append(stats) } }

    func connectionOpened() {
        open.add(1, ordering: .relaxed)
        accepted.add(1, ordering: .relaxed)
    }
    func connectionClosed() { open.subtract(1, ordering: .relaxed) }
    func requestHandled() { requests.add(1, ordering: .relaxed) }
    func messageReceived() { messages.add(1, ordering: .relaxed) }
    func slowConsumerDropped() { slowConsumers.add(1, ordering: .relaxed) }
    func protocolError() { protocolErrors.add(1, ordering: .relaxed) }
    func connectionRefusedForAddress() { refusedPerAddress.add(1, ordering: .relaxed) }
    func closedOverMemoryLimit() { closedForMemory.add(1, ordering: .relaxed) }
    func acceptFailed() { acceptFailures.add(1, ordering: .relaxed) }
    func tlsFailure() { tlsFailures.add(1, ordering: .relaxed) }

    /// The counters and gauges by name, in Prometheus-friendly names (names ending in
    /// `_total` are counters). The iteration histogram is in `prometheusText` only.
    public var snapshot: [(name: String, value: Int)] {
        let longest = loops.withLock { $0.map(\.longestNanoseconds).max() ?? 0 }
        return [
            ("realtime_connections_open", open.load(ordering: .relaxed)),
            ("realtime_connections_accepted_total", accepted.load(ordering: .relaxed)),
            ("realtime_connections_refused_per_address_total", refusedPerAddress.load(ordering: .relaxed)),
            ("realtime_accept_failures_total", acceptFailures.load(ordering: .relaxed)),
            ("realtime_http_requests_total", requests.load(ordering: .relaxed)),
            ("realtime_websocket_messages_received_total", messages.load(ordering: .relaxed)),
            ("realtime_slow_consumers_dropped_total", slowConsumers.load(ordering: .relaxed)),
            ("realtime_websocket_closed_over_memory_limit_total", closedForMemory.load(ordering: .relaxed)),
            ("realtime_protocol_errors_total", protocolErrors.load(ordering: .relaxed)),
            ("realtime_log_lines_dropped_total", logWriter.droppedLines),
            ("realtime_loop_iteration_max_microseconds", longest / 1_000),
            // Handshakes refused (old protocol versions, weak ciphers, plain HTTP on the TLS port) and broken records.
            ("realtime_tls_failures_total", tlsFailures.load(ordering: .relaxed)),
        ]
    }

    /// Everything above plus the loop iteration histogram (all loops together) and each
    /// loop's longest iteration, in the Prometheus text exposition format.
    public var prometheusText: String {
        var text = PrometheusText.render(snapshot)
        let all = loops.withLock { $0 }
        let bounds = LoopStats.bucketBoundsMicroseconds
        var counts = [Int](repeating: 0, count: bounds.count + 1)
        var totalNanoseconds = 0
        for stats in all {
            let histogram = stats.histogram
            for (index, count) in histogram.counts.enumerated() { counts[index] += count }
            totalNanoseconds += histogram.totalNanoseconds
        }
        let name = "realtime_loop_iteration_seconds"
        text += "# TYPE \(name) histogram\n"
        var cumulative = 0
        for (index, bound) in bounds.enumerated() {
            cumulative += counts[index]
            text += "\(name)_bucket{le=\"\(Self.seconds(microseconds: bound))\"} \(cumulative)\n"
        }
        cumulative += counts[bounds.count]
        text += "\(name)_bucket{le=\"+Inf\"} \(cumulative)\n"
        text += "\(name)_sum \(Double(totalNanoseconds) / 1e9)\n\(name)_count \(cumulative)\n"
        text += "# TYPE realtime_loop_iteration_max_seconds gauge\n"
        for (index, stats) in all.enumerated() {
            text += "realtime_loop_iteration_max_seconds{loop=\"\(index)\"} \(Double(stats.longestNanoseconds) / 1e9)\n"
        }
        return text
    }

    private static func seconds(microseconds: Int) -> String {
        let value = Double(microseconds) / 1e6
        return String(value)
    }
}
