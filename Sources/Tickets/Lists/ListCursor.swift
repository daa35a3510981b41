/// The opaque keyset cursor: the sort it belongs to and the last row's (key, id).
/// Encoded as URL-safe base64 of `v1|field|dir|key|id`.
struct ListCursor: Equatable {
    let sort: TicketSort
    let key: Int64
    let id: Int64

    /// The opaque string form.
    var encoded: String {
        Encoding.base64URL(Array("v1|\(sort.field.rawValue)|\(sort.descending ? "d" : "a")|\(key)|\(id)".utf8))
    }

    /// Decodes `text` made for `sort`. Throws `.validation("cursor")` when malformed or made
    /// for a different sort.
    static func decode(_ text: String, for sort: TicketSort) throws -> ListCursor {
        let invalid = DomainError.validation("cursor", "This cursor is invalid or belongs to another sort order.")
        guard let bytes = Encoding.fromBase64URL(text) else { throw invalid }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "|").map(String.init)
        guard parts.count == 5, parts[0] == "v1", let field = TicketSortField(rawValue: parts[1]),
              parts[2] == "d" || parts[2] == "a", let key = Int64(parts[3]), let id = Int64(parts[4]) else { throw invalid }
        let cursorSort = TicketSort(field, descending: parts[2] == "d")
        guard cursorSort == sort else { throw invalid }
        return ListCursor(sort: sort, key: key, id: id)
    }
}
