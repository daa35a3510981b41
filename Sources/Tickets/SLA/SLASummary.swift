import Foundation

/// One metric of a ticket's SLA as shown to people, evaluated at a given instant.
public struct SLAMetricSummary: Sendable, Equatable {
    public let metric: SLAMetric
    /// The target in business seconds.
    public let targetSeconds: Int
    /// Business seconds consumed so far in the current cycle.
    public let consumedSeconds: Int
    /// When the target falls due while running; nil while paused, stopped, met or not started.
    public let dueAt: Date?
    /// True while the metric's clock runs.
    public let running: Bool
    public let metAt: Date?
    /// Met within the target.
    public var met: Bool { metAt != nil && breachedAt == nil }
    public let breachedAt: Date?
    public var breached: Bool { breachedAt != nil }
}

/// A ticket's SLA, shipped alongside the ticket (`TicketPage.sla`, `TicketService.slaSummary`)
/// rather than inside `Ticket`, so the ticket's `Equatable`/`Codable` shape is unchanged.
public struct SLASummary: Sendable, Equatable {
    public let ticketID: TicketID
    public let policyID: SLAPolicyID
    public let status: SLAStatus
    /// The earliest `dueAt` of the running metrics.
    public let nearestDueAt: Date?
    /// The metrics that apply in their current cycle (next response only once started).
    public let metrics: [SLAMetricSummary]
}

extension SLAClock {
    /// The ticket-level status at `now` (see `SLAStatus` for the rule), counting thresholds
    /// crossed since the last event even if no tick has recorded them yet.
    public func status(at now: Date, policy: SLAPolicy) -> SLAStatus {
        guard ticketStatus.isActive else { return .met }
        let calendar = policy.calendar
        var breaching = false
        for metric in SLAMetric.allCases where self[metric].isPending {
            guard let target = policy.targetMillis(metric, priority) else { continue }
            if self[metric].breachedAt != nil || isReached(metric, target, now, calendar) { return .breached }
            if self[metric].warnedAt != nil || isReached(metric, policy.warningMillis(target: target), now, calendar) {
                breaching = true
            }
        }
        if ticketStatus.pausesSLA { return .paused }
        return breaching ? .breaching : .onTrack
    }

    /// The next instant a running metric crosses its warning or breach threshold; nil when
    /// nothing runs or every threshold is already recorded. The scheduler keys on this.
    public func nextDeadline(policy: SLAPolicy) -> Date? {
        let calendar = policy.calendar
        var best: Date?
        for metric in SLAMetric.allCases where self[metric].runningSince != nil && self[metric].isPending {
            guard let target = policy.targetMillis(metric, priority) else { continue }
            var thresholds: [Int64] = []
            if self[metric].warnedAt == nil { thresholds.append(policy.warningMillis(target: target)) }
            if self[metric].breachedAt == nil { thresholds.append(target) }
            for threshold in thresholds {
                guard let at = crossing(metric, threshold, calendar, now: .distantPast) else { continue }
                best = best.map { min($0, at) } ?? at
            }
        }
        return best
    }

    /// The summary at `now` for ticket `id`.
    public func summary(for id: TicketID, at now: Date, policy: SLAPolicy) -> SLASummary {
        let calendar = policy.calendar
        var metrics: [SLAMetricSummary] = []
        for metric in SLAMetric.allCases {
            let state = self[metric]
            guard state.startedAt != nil, let target = policy.targetMillis(metric, priority) else { continue }
            let open = state.runningSince.map { calendar.businessSeconds(from: $0, to: max($0, now)) } ?? 0
            let consumed = Int(state.consumedMillis / Self.millisPerSecond) + Int(open)
            metrics.append(SLAMetricSummary(
                metric: metric, targetSeconds: Int(target / Self.millisPerSecond), consumedSeconds: consumed,
                dueAt: state.runningSince == nil ? nil : crossing(metric, target, calendar, now: now),
                running: state.runningSince != nil, metAt: state.metAt, breachedAt: state.breachedAt))
        }
        let nearest = metrics.compactMap(\.dueAt).min()
        return SLASummary(ticketID: id, policyID: policyID, status: status(at: now, policy: policy),
                          nearestDueAt: nearest, metrics: metrics)
    }

    private func isReached(_ metric: SLAMetric, _ threshold: Int64, _ now: Date, _ calendar: BusinessCalendar) -> Bool {
        guard let at = crossing(metric, threshold, calendar, now: now) else { return false }
        return at.timeIntervalSince(now) <= Self.toleranceSeconds
    }
}
