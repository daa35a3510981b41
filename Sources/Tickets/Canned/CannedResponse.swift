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

/// Canned response rows on the caller's connection.
enum CannedRecord {
    static let columns = "id, title, body, category, created_by, created_at, updated_at"

    static func response(_ row: Row) -> CannedResponse {
        CannedResponse(
            id: CannedResponseID(row.int64(0)), title: row.text(1), body: row.text(2),
            category: row.optionalText(3).flatMap(TicketCategory.init(rawValue:)),
            createdBy: row.optionalInt64(4).map(AgentID.init), createdAt: row.date(5), updatedAt: row.date(6))
    }

    /// Canned response `id` or `.notFound`.
    static func load(_ id: CannedResponseID, _ db: Connection) throws -> CannedResponse {
        guard let row = try db.first("SELECT \(columns) FROM canned_responses WHERE id = ?", [.integer(id.rawValue)]) else {
            throw DomainError.notFound("Canned response")
        }
        return response(row)
    }

    /// Inserts `response` (its id is ignored) and returns it with the new id.
    static func insert(_ response: CannedResponse, _ db: Connection) throws -> CannedResponse {
        let insertedID = try db.insert("""
            INSERT INTO canned_responses (title, body, category, search_text, created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.text(response.title), .text(response.body), .optional(response.category?.rawValue),
                  .text(CannedRules.searchText(title: response.title, body: response.body)),
                  .optional(response.createdBy?.rawValue), .date(response.createdAt), .date(response.updatedAt)])
        return try load(CannedResponseID(insertedID), db)
    }

    /// Writes the editable fields of `response`.
    static func update(_ response: CannedResponse, _ db: Connection) throws {
        try db.run("""
            UPDATE canned_responses SET title = ?, body = ?, category = ?, search_text = ?, updated_at = ? WHERE id = ?
            """, [.text(response.title), .text(response.body), .optional(response.category?.rawValue),
                  .text(CannedRules.searchText(title: response.title, body: response.body)), .date(response.updatedAt),
                  .integer(response.id.rawValue)])
    }

    /// Responses whose title or body contains every keyword of `query` (any case), optionally
    /// of one `category`, by title, at most `limit`.
    static func search(_ query: String, category: TicketCategory?, limit: Int, _ db: Connection) throws -> [CannedResponse] {
        var conditions: [String] = []
        var bindings: [SQLValue] = []
        for pattern in CannedRules.likePatterns(query) {
            conditions.append("search_text LIKE ? ESCAPE '\\'")
            bindings.append(.text(pattern))
        }
        if let category {
            conditions.append("category = ?")
            bindings.append(.text(category.rawValue))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try db.query("""
            SELECT \(columns) FROM canned_responses \(filter) ORDER BY title COLLATE NOCASE, id LIMIT ?
            """, bindings + [.int(limit)]).map(response)
    }
}
