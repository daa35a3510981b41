/// This process's link to the other server nodes of the desk: the `NodeBus`, the wake-ups of
/// the event relay when another node commits, and which node is the leader, the one that runs
/// the work that must happen once for the whole desk (the SLA scheduler, email, workflows,
/// notifications, webhooks, the periodic chores).
///
/// On PostgreSQL (`PostgresNodeLink`) the leader is the node that holds an advisory lock on
/// its link's session; when that node dies its session ends, the lock is free, and another
/// node takes it within `PostgresNodeLink.retrySeconds`. On SQLite (`SoloNode`) the one
/// process is always the leader.
public protocol NodeLink: NodeBus {
    /// True while this node is the leader.
    var isLeader: Bool { get }
    /// Starts the link and returns once the first bid for the leadership is decided (won,
    /// refused, or the database could not be reached; the link keeps trying). `leadership`
    /// is called with true when this node becomes the leader and with false when it stops
    /// being it (its session broke): one call at a time, alternating, on the link's thread,
    /// and it must not block.
    func start(leadership: @escaping @Sendable (Bool) -> Void)
    /// Stops the link. A leader gives the leadership up (without a `leadership(false)` call).
    func stop()
}

extension SoloNode: NodeLink {
    public var isLeader: Bool { true }
    public func start(leadership: @escaping @Sendable (Bool) -> Void) { leadership(true) }
    public func stop() {}
}

extension Database {
    /// The link between this process and the other nodes on the same database: over
    /// PostgreSQL when the database is there, else a `SoloNode`. `nodeID` names this process
    /// among them; `log` receives a line when the link breaks or recovers.
    public func nodeLink(nodeID: String, log: @escaping @Sendable (String) -> Void) -> any NodeLink {
        switch location {
        case .sqlite: SoloNode(nodeID: nodeID)
        case .postgres(let url): PostgresNodeLink(url: url, nodeID: nodeID, eventsCommitted: eventsCommitted, log: log)
        }
    }
}
