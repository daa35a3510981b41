import Foundation

public struct CannedResponseID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// A pre-written reply shared across the account. `body` may hold placeholders
/// (`{{requester.name}}`...) filled in by `CannedTemplate` when inserted into a ticket.
public struct CannedResponse: Sendable, Equatable {
    public static let maxTitleLength = 200
    public static let maxBodyLength = 20_000

    public let id: CannedResponseID
    public var title: String
    public var body: String
    public var category: TicketCategory?
    public let createdBy: AgentID?
    public let createdAt: Date
    public var updatedAt: Date
}

/// The fields of a new canned response, or the changes to one (nil: leave as is; for
/// `category`, `.some(nil)` clears it).
public struct CannedResponseDraft: Sendable {
    public var title: String?
    public var body: String?
    public var category: TicketCategory??

    public init(title: String? = nil, body: String? = nil, category: TicketCategory?? = nil) {
        self.title = title
        self.body = body
        self.category = category
    }
}

/// Validation of canned responses and the keyword search pattern.
enum CannedRules {
    static let maxTitleLength = CannedResponse.maxTitleLength
    static let maxBodyLength = CannedResponse.maxBodyLength
    /// Keywords used from a search query at most (the rest are ignored).
    static let maxKeywords = 8

    /// A trimmed title, or `.validation("title")`.
    static func title(_ raw: String) throws -> String {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextLimit.check(title, field: "title", max: maxTitleLength)
        guard !title.isEmpty else {
            throw DomainError.validation("title", "Enter a title (up to \(maxTitleLength) characters).")
        }
        return title
    }

    /// The body (kept as written), or `.validation("body")` when empty or too long.
    static func body(_ raw: String) throws -> String {
        try TextLimit.check(raw, field: "body", max: maxBodyLength)
        guard !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, raw.count <= maxBodyLength else {
            throw DomainError.validation("body", "Write a body (up to \(maxBodyLength) characters).")
        }
        return raw
    }

    /// The text searched by keyword: title and body, lower-cased with Unicode rules (SQLite's
    /// `LIKE` folds ASCII only, so the stored text and the pattern are folded here).
    static func searchText(title: String, body: String) -> String {
        (title + "\n" + body).lowercased()
    }

    /// The lower-cased keywords of `query`, each as a `LIKE` pattern with `%`, `_` and `\`
    /// escaped (use with `ESCAPE '\'`).
    static func likePatterns(_ query: String) -> [String] {
        query.lowercased().split(whereSeparator: { $0.isWhitespace }).prefix(maxKeywords).map { word in
            var escaped = ""
            for character in word {
                if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return "%" + escaped + "%"
        }
    }
}
