/// User search text parsed into safe FTS5 MATCH expressions. Every word is a whole term
/// (`"printer"`), except the last word typed, which is a prefix (`"print"*`) so that results
/// follow the user while typing; text between a balanced pair of double quotes is exact (a
/// phrase `"password reset"`, or one whole word); all terms must match (AND). FTS5 operators
/// typed by the user (`NEAR(`, `*`, `-`, `OR`, `:`, `^`) end up inside quoted strings, so they
/// are plain text and can never break the query. An unbalanced quote is an ordinary separator.
/// Words without a letter or digit are dropped (the tokenizer drops them too).
struct FullTextQuery: Equatable {
    static let maxWords = 16

    /// The whole terms and phrases, each as a quoted FTS5 string.
    private(set) var terms: [String] = []
    /// The last word typed when it is outside quotes: matched as a prefix.
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
            if let previous = prefix { terms.append(Self.quoted(previous)) }
            prefix = nil
            if quoted {
                terms.append(Self.quoted(words.joined(separator: " ")))
            } else {
                terms += words.dropLast().map { Self.quoted(String($0)) }
                prefix = String(words[words.count - 1])
            }
        }
        if terms.isEmpty && prefix == nil { return nil }
    }

    /// The MATCH expression, the last word as an FTS5 prefix query (every term of the index
    /// starting with it).
    var expression: String {
        Self.conjunction(terms + (prefix.map { [Self.quoted($0) + "*"] } ?? []))
    }

    /// The prefix as the index spells the start of its terms, when the tokenizer keeps the
    /// word as one token equal to it up to case (ASCII letters and digits only); nil otherwise.
    var indexPrefix: String? {
        guard let prefix, prefix.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic
                                                             || ("0"..."9").contains($0) })
        else { return nil }
        return prefix.lowercased()
    }

    /// The MATCH expression with the prefix replaced by `completions`, the index terms that
    /// start with `indexPrefix` (an equivalent query that FTS5 can stop early on, newest
    /// first, where a prefix query first merges every matching term's full list of rows).
    /// Nil when there are none: nothing can match.
    func expression(completions: [String]) -> String? {
        guard prefix != nil else { return expression }
        guard !completions.isEmpty else { return nil }
        let alternatives = completions.map(Self.quoted)
        let last = alternatives.count == 1 ? alternatives[0] : "(" + alternatives.joined(separator: " OR ") + ")"
        return Self.conjunction(terms + [last])
    }

    /// An FTS5 string: the text in double quotes, inner double quotes doubled.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func conjunction(_ parts: [String]) -> String { parts.joined(separator: " AND ") }
}
