/// What an agent types into a search box, read three ways at once: as a ticket reference
/// (`TKT-289`, `tkt-289`, `289` or `#289`), as a requester's name or email (every word typed
/// is a word of the name or the email, the last one typed the start of one), and as words of
/// subjects, descriptions and messages (`FullTextQuery`). A ticket matches when any of the
/// three does (the exact meaning: `TicketListPlanning`).
struct TicketSearchText: Equatable {
    /// At most this many words are matched against requesters.
    static let maxContactWords = 8
    /// A list page's search considers the tickets of at most this many matching requesters
    /// (the newest contacts first): enough for a name typed in full, bounded for one letter.
    static let maxContacts = 20

    /// The reference number, when the whole text is a reference or a number.
    let number: Int64?
    /// The whole words to find in a requester's name or email.
    let contactTerms: [String]
    /// The last word, matched as the start of a word of the name or email.
    let contactPrefix: String?
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
        contactTerms = pieces.dropLast().map(String.init)
        contactPrefix = pieces.last.map(String.init)
        if number == nil && words == nil && contactPrefix == nil { return nil }
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
