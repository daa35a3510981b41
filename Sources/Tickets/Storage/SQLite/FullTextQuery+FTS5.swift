/// The FTS5 MATCH expressions of parsed search text. Every term becomes a quoted FTS5
/// string (`"printer"`, inner quotes doubled), so FTS5 operators typed by the user (`NEAR(`,
/// `*`, `-`, `OR`, `:`, `^`) are plain text and can never break the query.
extension FullTextQuery {
    /// The MATCH expression, the last word as an FTS5 prefix query (every term of the index
    /// starting with it).
    var expression: String {
        FTS5.conjunction(terms.map(FTS5.quoted) + (prefix.map { [FTS5.quoted($0) + "*"] } ?? []))
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
        guard let last = FTS5.alternatives(completions) else { return nil }
        return FTS5.conjunction(terms.map(FTS5.quoted) + [last])
    }
}

extension TicketSearchText {
    /// The FTS5 expression over `contact_fts`: the whole words and the last word as a prefix,
    /// all required; nil when nothing was typed.
    var contactExpression: String? {
        guard let contactPrefix else { return nil }
        return FTS5.conjunction(contactTerms.map(FTS5.quoted) + [FTS5.quoted(contactPrefix) + "*"])
    }

    /// The same with the last word replaced by `completions`, the index's words that start
    /// with it (an equivalent query FTS5 can stop early on); nil when there are none.
    func contactExpression(completions: [String]) -> String? {
        guard let last = FTS5.alternatives(completions) else { return nil }
        return FTS5.conjunction(contactTerms.map(FTS5.quoted) + [last])
    }

    /// The last word as the index spells the start of its words, when that can be looked up
    /// in the vocabulary: ASCII letters and digits, longer than the prefix index's three
    /// characters (shorter prefixes read `contact_fts`'s prefix index directly).
    var contactVocabularyPrefix: String? {
        guard let contactPrefix, contactPrefix.count > 3,
              contactPrefix.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else { return nil }
        return contactPrefix.lowercased()
    }
}

/// FTS5 query syntax helpers.
enum FTS5 {
    /// An FTS5 string: the text in double quotes, inner double quotes doubled.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// All of `parts` (AND).
    static func conjunction(_ parts: [String]) -> String { parts.joined(separator: " AND ") }

    /// Any of `terms` as whole terms (OR, parenthesised when several); nil when empty.
    static func alternatives(_ terms: [String]) -> String? {
        guard !terms.isEmpty else { return nil }
        let quoted = terms.map(quoted)
        return quoted.count == 1 ? quoted[0] : "(" + quoted.joined(separator: " OR ") + ")"
    }
}
