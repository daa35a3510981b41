import Foundation

/// What the scheduler keeps per ticket: the next warning or breach instant (nil: nothing
/// to wait for) and the `sla_state` generation it was computed at.
public struct SLADeadline: Sendable, Equatable {
    public let ticketID: TicketID
    /// Milliseconds since 1970, rounded up so firing at it never comes early.
    public let dueMillis: Int64?
    public let generation: Int64

    /// `date` in milliseconds since 1970, rounded up.
    static func millisRoundedUp(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * Double(SLAClock.millisPerSecond)).rounded(.up))
    }
}
