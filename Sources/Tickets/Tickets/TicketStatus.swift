/// The six ticket statuses. Raw values are the stable API/database names.
public enum TicketStatus: String, CaseIterable, Codable, Sendable {
    case open
    case pending
    case inProgress = "in_progress"
    case onHold = "on_hold"
    case resolved
    case closed

    /// The name shown to people.
    public var displayName: String {
        switch self {
        case .open: "Open"
        case .pending: "Pending"
        case .inProgress: "In Progress"
        case .onHold: "On Hold"
        case .resolved: "Resolved"
        case .closed: "Closed"
        }
    }

    /// Pending and On Hold pause the SLA clock.
    public var pausesSLA: Bool {
        switch self {
        case .pending, .onHold: true
        case .open, .inProgress, .resolved, .closed: false
        }
    }

    /// The statuses counted as "not done" by presets and reports.
    public var isActive: Bool {
        switch self {
        case .open, .pending, .inProgress, .onHold: true
        case .resolved, .closed: false
        }
    }

    /// The transition table. A mature help desk allows most moves (the Kanban board drags
    /// between any columns); the one rule: a Closed ticket is archived and can only be
    /// reopened (to Open), never moved straight to another working or resolved state.
    /// Staying in the same status is not a transition.
    public func canTransition(to next: TicketStatus) -> Bool {
        guard next != self else { return false }
        switch self {
        case .open, .pending, .inProgress, .onHold, .resolved: return true
        case .closed: return next == .open
        }
    }
}

/// Urgency. `rank` orders Urgent first and is what the list sorts and indexes on.
public enum TicketPriority: String, CaseIterable, Codable, Sendable {
    case urgent, high, medium, low

    public var displayName: String {
        switch self {
        case .urgent: "Urgent"
        case .high: "High"
        case .medium: "Medium"
        case .low: "Low"
        }
    }

    /// 0 for Urgent through 3 for Low.
    public var rank: Int {
        switch self {
        case .urgent: 0
        case .high: 1
        case .medium: 2
        case .low: 3
        }
    }
}

/// Routing and reporting category.
public enum TicketCategory: String, CaseIterable, Codable, Sendable {
    case general, billing, technical, account
    case featureRequest = "feature_request"
    case bugReport = "bug_report"
    case other

    public var displayName: String {
        switch self {
        case .general: "General"
        case .billing: "Billing"
        case .technical: "Technical"
        case .account: "Account"
        case .featureRequest: "Feature Request"
        case .bugReport: "Bug Report"
        case .other: "Other"
        }
    }
}

/// How the request arrived.
public enum TicketChannel: String, CaseIterable, Codable, Sendable {
    case email, web, phone, chat, `internal`

    public var displayName: String {
        switch self {
        case .email: "Email"
        case .web: "Web"
        case .phone: "Phone"
        case .chat: "Chat"
        case .internal: "Internal"
        }
    }
}
