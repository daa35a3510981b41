import Synchronization

/// Counters the server keeps for `/metrics`; relaxed atomics, cheap on every path.
public final class ServerMetrics: Sendable {
    private let open = Atomic<Int>(0)
    private let accepted = Atomic<Int>(0)
    private let requests = Atomic<Int>(0)
    private let messages = Atomic<Int>(0)
    private let slowConsumers = Atomic<Int>(0)
    private let protocolErrors = Atomic<Int>(0)
    private let tlsFailures = Atomic<Int>(0)

    func connectionOpened() {
        open.add(1, ordering: .relaxed)
        accepted.add(1, ordering: .relaxed)
    }
    func connectionClosed() { open.subtract(1, ordering: .relaxed) }
    func requestHandled() { requests.add(1, ordering: .relaxed) }
    func messageReceived() { messages.add(1, ordering: .relaxed) }
    func slowConsumerDropped() { slowConsumers.add(1, ordering: .relaxed) }
    func protocolError() { protocolErrors.add(1, ordering: .relaxed) }
    func tlsFailure() { tlsFailures.add(1, ordering: .relaxed) }

    /// The counters by name, in Prometheus-friendly names.
    public var snapshot: [(name: String, value: Int)] {
        [
            ("realtime_connections_open", open.load(ordering: .relaxed)),
            ("realtime_connections_accepted_total", accepted.load(ordering: .relaxed)),
            ("realtime_http_requests_total", requests.load(ordering: .relaxed)),
            ("realtime_websocket_messages_received_total", messages.load(ordering: .relaxed)),
            ("realtime_slow_consumers_dropped_total", slowConsumers.load(ordering: .relaxed)),
            ("realtime_protocol_errors_total", protocolErrors.load(ordering: .relaxed)),
            // Handshakes refused (old protocol versions, weak ciphers, plain HTTP on the TLS port) and broken records.
            ("realtime_tls_failures_total", tlsFailures.load(ordering: .relaxed)),
        ]
    }
}
