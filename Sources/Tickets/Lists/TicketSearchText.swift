/// What an agent types into a search box, read three ways at once: as a ticket reference
/// (`TKT-289`, `tkt-289`, `289` or `#289`), as a requester's name or email (every word typed
/// is a word of the name or the email, the last one typed the start of one), and as words of
/// subjects, descriptions and messages (`FullTextQuery`). A ticket matches when any of the
/// three does.
struct TicketSearchText: Equatable {
    /// At most this many words are matched against requesters.
    static let maxContactWords = 8

    /// The reference number, when the whole text is a reference or a number.
    let number: Int64?
    /// The whole words to find in `contact_fts`, each quoted.
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
        contactTerms = pieces.dropLast().map { "\"" + $0 + "\"" }
        contactPrefix = pieces.last.map(String.init)
        if number == nil && words == nil && contactPrefix == nil { return nil }
    }

    /// The FTS5 expression over `contact_fts`: the whole words and the last word as a prefix,
    /// all required; nil when nothing was typed.
    var contactExpression: String? {
        guard let contactPrefix else { return nil }
        return (contactTerms + ["\"" + contactPrefix + "\"*"]).joined(separator: " AND ")
    }

    /// The same with the last word replaced by `completions`, the index's words that start
    /// with it (an equivalent query FTS5 can stop early on); nil when there are none.
    func contactExpression(completions: [String]) -> String? {
        guard !completions.isEmpty else { return nil }
        let alternatives = completions.map { "\"" + $0 + "\"" }
        let last = alternatives.count == 1 ? alternatives[0] : "(" + alternatives.joined(separator: " OR ") + ")"
        return (contactTerms + [last]).joined(separator: " AND ")
    }

    /// The last word as the index spells the start of its words, when that can be looked up
    /// in the vocabulary: ASCII letters and digits, longer than the prefix index's three
    /// characters (shorter prefixes read the prefix index directly).
    var contactVocabularyPrefix: String? {
        guard let contactPrefix, contactPrefix.count > 3,
              contactPrefix.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else { return nil }
        return contactPrefix.lowercased()
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
