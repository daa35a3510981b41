import Foundation

/// A threshold crossed by a running SLA, emitted by the scheduler at its instant, already
/// written to the audit log; the Web layer forwards it to live rooms and notification feeds.
public enum SLAEvent: Sendable, Equatable {
    case warning(TicketID, SLAMetric, at: Date)
    case breached(TicketID, SLAMetric, at: Date)

    /// The ticket concerned.
    public var ticketID: TicketID {
        switch self {
        case .warning(let id, _, _), .breached(let id, _, _): id
        }
    }
}

/// One wake-up timer. The Web layer backs it with an event-loop timer; tests use a manual
/// one. The scheduler keeps at most one wake-up armed: a later `schedule` replaces the
/// earlier. `fire` must be called once at or after `deadline` (late is fine, early is
/// harmless but wasted).
public protocol SLATimer: AnyObject, Sendable {
    /// Arms the wake-up at `deadline`, replacing any armed one.
    func schedule(at deadline: Date, _ fire: @escaping @Sendable () async -> Void)
}

/// Counters proving the scheduler's work is proportional to changes, not to all tickets.
public struct SLASchedulerStatistics: Sendable, Equatable {
    /// Full rebuilds from the database (`load()`), expected once per start.
    public internal(set) var loads = 0
    /// Rows read by `load()`.
    public internal(set) var rowsLoaded = 0
    /// Rows read by `refresh`, one per changed ticket.
    public internal(set) var rowsRefreshed = 0
    /// Tickets ticked by `fireDue` (one write each).
    public internal(set) var ticketsFired = 0
    /// Entries currently in the heap (live and stale).
    public internal(set) var heapEntries = 0
}
