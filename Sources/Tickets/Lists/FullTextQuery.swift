/// User search text parsed into terms: every word is a whole term (`printer`), except the
/// last word typed, which is a prefix (`print`) so that results follow the user while typing;
/// text between a balanced pair of double quotes is exact (a phrase `password reset`, or one
/// whole word); all terms must match (AND). An unbalanced quote is an ordinary separator.
/// Words without a letter or digit are dropped (the tokenizers drop them too). Operators of
/// a database's query syntax typed by the user are plain text here: each storage turns the
/// terms into its own safe query (SQLite: `FullTextQuery+FTS5.swift`).
struct FullTextQuery: Equatable {
    static let maxWords = 16

    /// The whole terms and phrases as typed (a phrase's words joined by one space).
    private(set) var terms: [String] = []
    /// The last word typed when it is outside quotes: matched as the start of a word.
    private(set) var prefix: String?

    /// Parses `input`; nil when nothing searchable remains.
    init?(_ input: String) {
        let parts = input.split(separator: "\"", omittingEmptySubsequences: false)
        var budget = Self.maxWords
        for (index, part) in parts.enumerated() where budget > 0 {
            // Odd parts sit between quotes; the last part has no closing quote after it.
            let quoted = index % 2 == 1 && index < parts.count - 1
            let words = Array(part.split(whereSeparator: { $0.isWhitespace })
                .filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }.prefix(budget))
            guard !words.isEmpty else { continue }
            budget -= words.count
            if let previous = prefix { terms.append(previous) }
            prefix = nil
            if quoted {
                terms.append(words.joined(separator: " "))
            } else {
                terms += words.dropLast().map(String.init)
                prefix = String(words[words.count - 1])
            }
        }
        if terms.isEmpty && prefix == nil { return nil }
    }
}
