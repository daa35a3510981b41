import Foundation

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

    /// Responses whose title or body contains every keyword of `query` (any case: the stored
    /// search text and the patterns are both lower-cased), optionally of one `category`, by
    /// title (ASCII letters in any case together), at most `limit`.
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
            SELECT \(columns) FROM canned_responses \(filter) ORDER BY lower(title), id LIMIT ?
            """, bindings + [.int(limit)]).map(response)
    }

    /// Deletes response `id`.
    static func delete(_ id: CannedResponseID, _ db: Connection) throws {
        try db.run("DELETE FROM canned_responses WHERE id = ?", [.integer(id.rawValue)])
    }
}
