import Foundation

/// What happened to a ticket, as the SLA clock sees it.
public enum SLAClockEvent: Sendable, Equatable {
    case statusChanged(TicketStatus)
    case priorityChanged(TicketPriority)
    /// The ticket moves to another policy (or the policy's targets were edited).
    case policyChanged(SLAPolicy)
    /// A public reply by an agent. Notes and system messages never reach the clock.
    case agentReplied
    /// A reply by the requester.
    case customerReplied
    /// Time passed: report thresholds crossed up to `now` (the scheduler's wake-up).
    case tick
}

/// What the clock reports back, with the exact instant it happened.
public enum SLAClockAction: Sendable, Equatable {
    case warning(SLAMetric, at: Date)
    case breached(SLAMetric, at: Date)
    case met(SLAMetric, at: Date)
}

/// The SLA clock of one ticket: a pure state machine (`event(_:at:policy:)`, no clock
/// reads, no I/O). Rules:
/// - every metric pauses while the ticket is Pending or On Hold and resumes on return to
///   Open or In Progress; Resolved and Closed stop them;
/// - first response is met by the first public agent reply;
/// - resolution is met by Resolved (or Closed); reopening resumes it with the time already
///   consumed, and time spent paused or resolved is never counted, so a reopened ticket
///   does not breach for it;
/// - next response starts at a customer message once the first response is met (a second
///   message while one waits does not restart it) and is met by the next agent reply;
/// - at every event the open interval is folded into `consumedMillis` under the calendar
///   then in force, so a priority or policy change keeps the time consumed and only the
///   targets (and the calendar from now on) change. A new target already exceeded
///   breaches at the change.
/// When a warning and a breach are crossed in the same step only the breach is reported.
public struct SLAClock: Sendable, Equatable {
    static let millisPerSecond: Int64 = 1_000
    /// Rounding slack when comparing a crossing instant with `now`.
    static let toleranceSeconds: TimeInterval = 0.001

    public internal(set) var policyID: SLAPolicyID
    public internal(set) var priority: TicketPriority
    public internal(set) var ticketStatus: TicketStatus
    public internal(set) var firstResponse = SLAMetricClock()
    public internal(set) var nextResponse = SLAMetricClock()
    public internal(set) var resolution = SLAMetricClock()

    /// A clock started at ticket creation under `policy`.
    public init(policy: SLAPolicy, status: TicketStatus, priority: TicketPriority, at now: Date) {
        policyID = policy.id
        self.priority = priority
        ticketStatus = status
        firstResponse.startedAt = now
        resolution.startedAt = now
        if !status.isActive { resolution.metAt = now }
        updateRunning(now)
    }

    init(policyID: SLAPolicyID, priority: TicketPriority, ticketStatus: TicketStatus, metrics: [SLAMetricClock]) {
        self.policyID = policyID
        self.priority = priority
        self.ticketStatus = ticketStatus
        (firstResponse, nextResponse, resolution) = (metrics[0], metrics[1], metrics[2])
    }

    /// One metric's state.
    public internal(set) subscript(metric: SLAMetric) -> SLAMetricClock {
        get {
            switch metric {
            case .firstResponse: firstResponse
            case .nextResponse: nextResponse
            case .resolution: resolution
            }
        }
        set {
            switch metric {
            case .firstResponse: firstResponse = newValue
            case .nextResponse: nextResponse = newValue
            case .resolution: resolution = newValue
            }
        }
    }

    /// Applies `event` at `now`. `policy` is the policy in force BEFORE the event (the clock's
    /// `policyID`); `.policyChanged` carries the new one. Returns the thresholds crossed and
    /// targets met, in order.
    public mutating func event(_ event: SLAClockEvent, at now: Date, policy: SLAPolicy) -> [SLAClockAction] {
        precondition(policy.id == policyID, "SLAClock.event needs the policy in force")
        var actions = cross(now, policy)
        settle(now, policy)
        var rules = policy
        switch event {
        case .tick:
            break
        case .statusChanged(let status):
            ticketStatus = status
            if status.isActive, resolution.metAt != nil { resolution.metAt = nil }
            if !status.isActive, resolution.isPending { actions.append(meet(.resolution, now)) }
        case .priorityChanged(let next):
            priority = next
        case .policyChanged(let next):
            policyID = next.id
            rules = next
            if next.nextResponse == nil { nextResponse = SLAMetricClock() }
        case .agentReplied:
            if firstResponse.isPending {
                actions.append(meet(.firstResponse, now))
            } else if nextResponse.isPending {
                actions.append(meet(.nextResponse, now))
            }
        case .customerReplied:
            if rules.nextResponse != nil, firstResponse.metAt != nil, !nextResponse.isPending {
                nextResponse = SLAMetricClock()
                nextResponse.startedAt = now
            }
        }
        updateRunning(now)
        return actions + cross(now, rules)
    }

    /// Folds each open interval into `consumedMillis`, restarting it at `now`.
    private mutating func settle(_ now: Date, _ policy: SLAPolicy) {
        let calendar = policy.calendar
        for metric in SLAMetric.allCases {
            guard let since = self[metric].runningSince else { continue }
            let seconds = calendar.businessSeconds(from: since, to: now)
            self[metric].consumedMillis += Int64((seconds * Double(Self.millisPerSecond)).rounded())
            self[metric].runningSince = now
        }
    }

    /// Runs pending metrics while the ticket is worked on; stops everything else.
    private mutating func updateRunning(_ now: Date) {
        let runs = ticketStatus.isActive && !ticketStatus.pausesSLA
        for metric in SLAMetric.allCases {
            self[metric].runningSince = runs && self[metric].isPending ? (self[metric].runningSince ?? now) : nil
        }
    }

    private mutating func meet(_ metric: SLAMetric, _ now: Date) -> SLAClockAction {
        self[metric].metAt = now
        self[metric].runningSince = nil
        return .met(metric, at: now)
    }

    /// Records warnings and breaches of pending metrics reached by `now`.
    private mutating func cross(_ now: Date, _ policy: SLAPolicy) -> [SLAClockAction] {
        var actions: [SLAClockAction] = []
        let calendar = policy.calendar
        for metric in SLAMetric.allCases where self[metric].isPending {
            guard let target = policy.targetMillis(metric, priority) else { continue }
            if self[metric].breachedAt == nil, let at = reached(metric, target, by: now, calendar) {
                self[metric].breachedAt = at
                if self[metric].warnedAt == nil { self[metric].warnedAt = at }
                actions.append(.breached(metric, at: at))
            } else if self[metric].warnedAt == nil,
                      let at = reached(metric, policy.warningMillis(target: target), by: now, calendar) {
                self[metric].warnedAt = at
                actions.append(.warning(metric, at: at))
            }
        }
        return actions
    }

    private func reached(_ metric: SLAMetric, _ threshold: Int64, by now: Date, _ calendar: BusinessCalendar) -> Date? {
        guard let at = crossing(metric, threshold, calendar, now: now) else { return nil }
        return at.timeIntervalSince(now) <= Self.toleranceSeconds ? at : nil
    }

    /// When `metric` reaches `threshold` consumed milliseconds: its interval start when already
    /// there, the calendar's deadline while running, nil while stopped short of it.
    func crossing(_ metric: SLAMetric, _ threshold: Int64, _ calendar: BusinessCalendar, now: Date) -> Date? {
        let state = self[metric]
        guard let since = state.runningSince else { return state.consumedMillis >= threshold ? now : nil }
        guard threshold > state.consumedMillis else { return since }
        let seconds = Double(threshold - state.consumedMillis) / Double(Self.millisPerSecond)
        return calendar.deadline(adding: seconds, from: since)
    }
}
