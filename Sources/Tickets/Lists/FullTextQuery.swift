/// Turns user search text into a safe FTS5 MATCH expression. Every word becomes a quoted
/// string used as a prefix (`"print"*`), and text between a balanced pair of double quotes
/// becomes an exact phrase (`"password reset"`); terms are joined by implicit AND. FTS5
/// operators typed by the user (`NEAR(`, `*`, `-`, `OR`, `:`, `^`) end up inside quoted
/// strings, so they are plain text and can never break the query. An unbalanced quote is an
/// ordinary separator. Words without a letter or digit are dropped (the tokenizer drops them too).
enum FullTextQuery {
    static let maxWords = 16

    /// The MATCH expression, or nil when nothing searchable remains.
    static func expression(_ input: String) -> String? {
        let parts = input.split(separator: "\"", omittingEmptySubsequences: false)
        var terms: [String] = []
        var budget = maxWords
        for (index, part) in parts.enumerated() where budget > 0 {
            // Odd parts sit between quotes; the last part has no closing quote after it.
            let quoted = index % 2 == 1 && index < parts.count - 1
            let words = Array(part.split(whereSeparator: { $0.isWhitespace })
                .filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }.prefix(budget))
            budget -= words.count
            if quoted, words.count > 1 {
                terms.append("\"" + words.joined(separator: " ") + "\"")
            } else {
                terms += words.map { "\"" + $0 + "\"*" }
            }
        }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }
}
