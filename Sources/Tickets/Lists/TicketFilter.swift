import Foundation

/// Whose tickets: a specific agent, the viewer (`me`), nobody (`none`) or anybody (`any`).
public enum AssigneeFilter: Sendable, Equatable {
    case agent(AgentID)
    case me
    case unassigned
    case anyone

    /// Parses the API form: an agent id, `me`, `none` or `any`. Nil for anything else.
    public init?(apiValue: String) {
        switch apiValue {
        case "me": self = .me
        case "none": self = .unassigned
        case "any": self = .anyone
        default:
            guard let id = Int64(apiValue), id > 0 else { return nil }
            self = .agent(AgentID(id))
        }
    }
}

/// Ticket list filters; empty sets and nil values do not filter. All given filters must match.
public struct TicketFilter: Sendable, Equatable {
    public var statuses: Set<TicketStatus> = []
    public var priorities: Set<TicketPriority> = []
    public var categories: Set<TicketCategory> = []
    public var channels: Set<TicketChannel> = []
    public var assignee: AssigneeFilter?
    public var tag: String?
    public var requesterID: ContactID?
    public var createdFrom: Date?
    /// Exclusive upper bound.
    public var createdBefore: Date?
    public var updatedFrom: Date?
    /// Exclusive upper bound.
    public var updatedBefore: Date?
    /// Full-text words matched against subjects, descriptions and messages (all words; each a
    /// whole word except the last one typed, which is a prefix; text in double quotes exact,
    /// `"two words"` as a phrase; see `FullTextQuery`). A list page searches the
    /// newest `maxTextMatches` matching tickets and the tickets of the newest `maxTextMatches`
    /// matching messages, so a common word costs no more than a rare one; bulk commands and
    /// export use every match.
    public var text: String?
    /// SLA standing (`onTrack`, `breaching`, `breached`; also `paused`, `met`). `none` matches
    /// tickets without SLA state.
    public var slaStatuses: Set<SLAStatus> = []

    /// How many of the newest matching tickets (and messages) a list page's search considers.
    public static let maxTextMatches = 250

    public init() {}
}

/// The built-in list presets.
public enum TicketPreset: String, Sendable, CaseIterable {
    /// Assigned to the viewer and still being worked: Open, In Progress, Pending, On Hold.
    case myOpen = "my_open"
    /// Urgent, nobody assigned, not yet Resolved or Closed.
    case urgentUnassigned = "urgent_unassigned"
    /// Breaching or Breached, not yet Resolved or Closed.
    case slaBreaching = "sla_breaching"

    public var displayName: String {
        switch self {
        case .myOpen: "My Open Tickets"
        case .urgentUnassigned: "Urgent Unassigned"
        case .slaBreaching: "SLA Breaching"
        }
    }

    /// The filter the preset stands for.
    public var filter: TicketFilter {
        var filter = TicketFilter()
        filter.statuses = Set(TicketStatus.allCases.filter(\.isActive))
        switch self {
        case .myOpen:
            filter.assignee = .me
        case .urgentUnassigned:
            filter.assignee = .unassigned
            filter.priorities = [.urgent]
        case .slaBreaching:
            filter.slaStatuses = [.breaching, .breached]
        }
        return filter
    }
}

/// What to sort a list by. Each sort key has an index ending in (key, id).
public enum TicketSortField: String, Sendable, CaseIterable {
    case updated, created, priority, due, reference
}

/// A sort field and direction. Ties are broken by ticket id in the same direction.
public struct TicketSort: Sendable, Equatable {
    public var field: TicketSortField
    public var descending: Bool

    public init(_ field: TicketSortField = .updated, descending: Bool = true) {
        self.field = field
        self.descending = descending
    }
}

/// One list request: filters, sort, page size and the cursor from the previous page.
public struct TicketListRequest: Sendable {
    public static let maxLimit = 200
    public var filter: TicketFilter
    public var sort: TicketSort
    public var limit: Int
    /// The `nextCursor` of the previous page; nil for the first page.
    public var cursor: String?
    /// Whether to count the matches. The count stops at `totalCap`: a page shows "1,000+"
    /// rather than paying for a scan of a million rows on every page. Skip it when not shown.
    public var includeTotal: Bool

    /// Counting stops here; past it `TicketPage.totalIsCapped` is true.
    public static let totalCap = 1_000

    public init(filter: TicketFilter = TicketFilter(), sort: TicketSort = TicketSort(), limit: Int = 50,
                cursor: String? = nil, includeTotal: Bool = true) {
        self.filter = filter
        self.sort = sort
        self.limit = limit
        self.cursor = cursor
        self.includeTotal = includeTotal
    }
}

/// One page of a list.
public struct TicketPage: Sendable {
    public let tickets: [Ticket]
    /// Pass back as `cursor` for the next page; nil on the last page.
    public let nextCursor: String?
    /// The number of tickets matching the filter, at most `TicketListRequest.totalCap` (nil when
    /// not requested). With a full-text query it counts among the searched matches only.
    public let totalCount: Int?
    /// True when more than `totalCount` tickets match: show "1,000+", not "1,000".
    public let totalIsCapped: Bool
    /// The SLA of each ticket on the page that has one, at the time of the query. Kept
    /// beside the tickets so `Ticket` itself stays unchanged.
    public internal(set) var sla: [TicketID: SLASummary] = [:]
}
