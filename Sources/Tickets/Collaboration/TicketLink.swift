import Foundation

public struct TicketLinkID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// What a link points at: a record of another module, or another ticket.
public enum TicketLinkKind: String, CaseIterable, Codable, Sendable {
    case issue, task, incident
    /// A related ticket; the link is shown on both tickets.
    case ticket
}

/// A link as seen from one ticket. For `.ticket` links, `linkedTicket` is the other ticket
/// (whichever side created the link) and `title` its reference and subject.
public struct TicketLink: Sendable, Equatable, Codable {
    public static let maxTitleLength = 200
    public static let maxURLLength = 2_000
    public static let maxStatusTextLength = 100

    public struct LinkedTicket: Sendable, Equatable, Codable {
        public let id: TicketID
        public let reference: String
        public let subject: String
        public let status: TicketStatus
    }

    public let id: TicketLinkID
    public let kind: TicketLinkKind
    public let title: String
    public let url: String?
    /// An external record's status as its own system words it; nil for none (and for ticket links).
    public let statusText: String?
    public let linkedTicket: LinkedTicket?
    public let createdBy: AgentID?
    public let createdAt: Date
}

/// A link to add: an external record (`kind` issue, task or incident with a title and an
/// optional http(s) URL) or a related ticket (`kind` ticket with `ticketID`).
public struct NewTicketLink: Sendable {
    public var kind: TicketLinkKind
    public var title: String?
    public var url: String?
    public var ticketID: TicketID?
    public var statusText: String?

    public init(kind: TicketLinkKind, title: String? = nil, url: String? = nil, ticketID: TicketID? = nil, statusText: String? = nil) {
        self.kind = kind
        self.title = title
        self.url = url
        self.ticketID = ticketID
        self.statusText = statusText
    }
}

/// Link validation.
enum TicketLinkRules {
    static let maxTitleLength = TicketLink.maxTitleLength
    static let maxURLLength = TicketLink.maxURLLength
    static let maxLinksPerTicket = 100

    /// A trimmed title, or `.validation("title")`.
    static func title(_ raw: String?) throws -> String {
        let title = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try TextLimit.check(title, field: "title", max: maxTitleLength)
        guard !title.isEmpty else {
            throw DomainError.validation("title", "Enter a title (up to \(maxTitleLength) characters).")
        }
        return title
    }

    /// An absolute http or https URL with a host (nil or empty: none), or `.validation("url")`.
    static func url(_ raw: String?) throws -> String? {
        guard let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        try TextLimit.check(text, field: "url", max: maxURLLength)
        guard text.count <= maxURLLength, !text.contains(where: { $0.isWhitespace || $0.isNewline }),
              let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw DomainError.validation("url", "Use an http or https URL.")
        }
        return text
    }

    /// A trimmed status text (nil or empty: none), or `.validation("statusText")`.
    static func statusText(_ raw: String?) throws -> String? {
        guard let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        try TextLimit.check(text, field: "statusText", max: TicketLink.maxStatusTextLength)
        return text
    }
}
