/// The other server nodes of the same desk, for what they must hear at once and the
/// database does not keep: who views and types where. On PostgreSQL it runs over
/// NOTIFY/LISTEN on the database every node shares; a desk on SQLite is one process, so
/// there is no other node to tell (`SoloNode`).
///
/// Delivery is best effort: a message published while a node's link to the database is
/// down is lost for that node. Users of the bus therefore publish their whole state again
/// from time to time and let the state of a node that fell silent expire.
public protocol NodeBus: AnyObject, Sendable {
    /// This process's id among the nodes, new at every start.
    var nodeID: String { get }
    /// Sends `payload` to every other node subscribed to `channel`. Never blocks the caller;
    /// the messages of one node arrive in the order it published them.
    /// `payload` is at most `NodeBusLimits.maxPayloadBytes` UTF-8 bytes (longer ones are
    /// dropped and logged: split them before).
    func publish(_ payload: String, on channel: NodeChannel)
    /// Calls `handler` for each message another node publishes on `channel` (never for this
    /// node's own), one at a time, in arrival order, on a thread of the bus's.
    func subscribe(_ channel: NodeChannel, _ handler: @escaping @Sendable (_ from: String, _ payload: String) -> Void)
}

/// What the nodes talk about.
public enum NodeChannel: String, Sendable, CaseIterable {
    /// Presence and typing (`PresenceService`).
    case presence = "helpdesk_presence"
}

public enum NodeBusLimits {
    /// PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; this leaves room for the
    /// sender's node id.
    public static let maxPayloadBytes = 7_000
}

/// The bus of a desk with one node (SQLite): nobody else to tell.
public final class SoloNode: NodeBus {
    public let nodeID: String

    public init(nodeID: String) { self.nodeID = nodeID }

    public func publish(_ payload: String, on channel: NodeChannel) {}
    public func subscribe(_ channel: NodeChannel, _ handler: @escaping @Sendable (String, String) -> Void) {}
}
