import Foundation

/// What an SLA measures.
public enum SLAMetric: String, CaseIterable, Sendable, Codable {
    /// Creation to the first public agent reply.
    case firstResponse = "first_response"
    /// Each customer message (after the first response) to the next agent reply.
    case nextResponse = "next_response"
    /// Creation to Resolved (a reopened ticket resumes it).
    case resolution
}

/// A ticket's SLA standing. Stored per ticket for list filters; `onTrack`, `breaching` and
/// `breached` are the filterable values.
///
/// Rule: only targets still pending count. Resolved and Closed tickets are `met`; otherwise
/// `breached` when a pending target is past due, `paused` while Pending or On Hold, then
/// `breaching` inside the warning threshold, else `onTrack`. `none`: no policy applies.
/// A target met late keeps its own breach flag (for reports) but no longer marks the ticket.
public enum SLAStatus: String, CaseIterable, Sendable, Codable {
    case none
    case onTrack = "on_track"
    case breaching
    case breached
    case paused
    case met
}

/// One metric's recorded time within the current cycle.
public struct SLAMetricClock: Sendable, Equatable {
    /// When the current cycle started; nil while the metric does not apply (no customer
    /// message waiting for a next response, or no target in the policy).
    public internal(set) var startedAt: Date?
    /// Business milliseconds consumed in closed intervals (before `runningSince`).
    public internal(set) var consumedMillis: Int64 = 0
    /// The start of the open running interval; nil while paused, stopped or met.
    public internal(set) var runningSince: Date?
    public internal(set) var metAt: Date?
    public internal(set) var warnedAt: Date?
    public internal(set) var breachedAt: Date?

    public init() {}

    /// Started and not yet met.
    public var isPending: Bool { startedAt != nil && metAt == nil }
}

extension SLAMetric {
    /// Lower-case words for notification titles.
    public var displayName: String {
        switch self {
        case .firstResponse: "first response"
        case .nextResponse: "next response"
        case .resolution: "resolution"
        }
    }
}
