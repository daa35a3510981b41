/// Turns user search text into a safe FTS5 MATCH expression: every word becomes a quoted
/// string (inner `"` doubled) used as a prefix, words joined by implicit AND. FTS5 operators
/// typed by the user (`NEAR(`, `*`, `-`, `OR`, `:`, `^`) are thus plain text and can never
/// break the query. Words without a letter or digit are dropped (the tokenizer drops them too).
enum FullTextQuery {
    static let maxWords = 16

    /// The MATCH expression, or nil when nothing searchable remains.
    static func expression(_ input: String) -> String? {
        let words = input.split(whereSeparator: { $0.isWhitespace })
            .filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }
            .prefix(maxWords)
        guard !words.isEmpty else { return nil }
        return words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }.joined(separator: " ")
    }
}
