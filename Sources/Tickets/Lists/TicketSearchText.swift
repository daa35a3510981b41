/// What an agent types into a search box, read three ways at once: as a ticket reference
/// (`TKT-289`, `tkt-289`, `289` or `#289`), as the start of a requester's name or email
/// (every word typed must start a word of the name or the email), and as words of subjects,
/// descriptions and messages (`FullTextQuery`). A ticket matches when any of the three does.
struct TicketSearchText: Equatable {
    /// At most this many words are matched against requesters.
    static let maxContactWords = 8

    /// The reference number, when the whole text is a reference or a number.
    let number: Int64?
    /// The FTS5 expression over `contact_fts`: every word a quoted prefix, all required.
    let contactExpression: String?
    /// The words, when any remain.
    let words: FullTextQuery?

    /// Parses `input`; nil when nothing searchable remains.
    init?(_ input: String) {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        number = Self.referenceNumber(trimmed)
        words = FullTextQuery(trimmed)
        // The tokenizer splits names and addresses at every character that is not a letter
        // or digit ("ada.lovelace@example.com" is ada, lovelace, example, com), so the
        // query is split the same way and each piece must start a token of the contact.
        let pieces = trimmed.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).prefix(Self.maxContactWords)
        contactExpression = pieces.isEmpty ? nil
            : pieces.map { "\"" + $0 + "\"*" }.joined(separator: " AND ")
        if number == nil && words == nil && contactExpression == nil { return nil }
    }

    /// `TKT-289` (any case), `#289` or `289`: the number; nil for anything else.
    static func referenceNumber(_ text: String) -> Int64? {
        if let number = TicketReference.parse(text) { return number }
        let digits = text.hasPrefix("#") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let number = Int64(digits), number > 0 else { return nil }
        return number
    }
}
