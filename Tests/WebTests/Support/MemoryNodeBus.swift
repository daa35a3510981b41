import Foundation
import Synchronization
import Tickets

/// The nodes of a desk joined by memory instead of PostgreSQL, for tests: a message published
/// waits until the test calls `deliver`, which hands each one to every other node's handlers,
/// in publishing order, on the test's thread; or, `automatic`, is delivered at once from the
/// hub's own serial queue, like a real bus. A test can lose messages or silence a node.
final class MemoryBusHub: Sendable {
    private struct Message {
        let from: String
        let channel: NodeChannel
        let payload: String
    }

    private struct State {
        var pending: [Message] = []
        var handlers: [String: [NodeChannel: [@Sendable (String, String) -> Void]]] = [:]
        /// Messages from these nodes vanish (a killed node, or a cut link).
        var silenced: Set<String> = []
        /// Decides, per message, whether it is lost.
        var lose: (@Sendable (_ from: String, _ payload: String) -> Bool)?
        var published: [String: Int] = [:]
    }

    private let state = Mutex(State())
    /// Set: each message is delivered from this queue as soon as it is published.
    private let automatic: DispatchQueue?

    init(automatic: Bool = false) {
        self.automatic = automatic ? DispatchQueue(label: "memory-bus") : nil
    }

    /// A bus for a node named `nodeID` on this hub.
    func node(_ nodeID: String) -> MemoryNodeBus { MemoryNodeBus(nodeID: nodeID, hub: self) }

    /// Loses the messages `rule` picks from now on (nil: none).
    func lose(_ rule: (@Sendable (_ from: String, _ payload: String) -> Bool)?) { state.withLock { $0.lose = rule } }

    /// Drops every message of `node` from now on, as if it were killed.
    func silence(_ node: String) { state.withLock { _ = $0.silenced.insert(node) } }

    /// Payloads `node` has published so far.
    func publishedCount(_ node: String) -> Int { state.withLock { $0.published[node, default: 0] } }

    /// Waits until the automatic deliveries of what was published so far are done.
    func waitForDeliveries() { automatic?.sync {} }

    /// Delivers every pending message; returns how many there were.
    @discardableResult
    func deliver() -> Int {
        let (messages, handlers) = state.withLock { state in
            defer { state.pending = [] }
            return (state.pending, state.handlers)
        }
        for message in messages {
            for (node, channels) in handlers.sorted(by: { $0.key < $1.key }) where node != message.from {
                for handler in channels[message.channel] ?? [] { handler(message.from, message.payload) }
            }
        }
        return messages.count
    }

    fileprivate func publish(_ payload: String, on channel: NodeChannel, from node: String) {
        precondition(payload.utf8.count <= NodeBusLimits.maxPayloadBytes, "a payload over the bus limit")
        state.withLock { state in
            state.published[node, default: 0] += 1
            guard !state.silenced.contains(node), state.lose?(node, payload) != true else { return }
            state.pending.append(Message(from: node, channel: channel, payload: payload))
        }
        automatic?.async { self.deliver() }
    }

    fileprivate func subscribe(_ node: String, _ channel: NodeChannel, _ handler: @escaping @Sendable (String, String) -> Void) {
        state.withLock { $0.handlers[node, default: [:]][channel, default: []].append(handler) }
    }
}

/// One node's end of a `MemoryBusHub`.
final class MemoryNodeBus: NodeBus {
    let nodeID: String
    private let hub: MemoryBusHub

    fileprivate init(nodeID: String, hub: MemoryBusHub) {
        self.nodeID = nodeID
        self.hub = hub
    }

    func publish(_ payload: String, on channel: NodeChannel) { hub.publish(payload, on: channel, from: nodeID) }

    func subscribe(_ channel: NodeChannel, _ handler: @escaping @Sendable (String, String) -> Void) {
        hub.subscribe(nodeID, channel, handler)
    }
}
