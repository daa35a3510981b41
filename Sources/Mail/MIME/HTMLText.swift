import Foundation

/// Turns HTML mail into readable plain text. The result is text, never markup: scripts,
/// styles and heads are dropped with their content, tags are removed, block elements become
/// line breaks, list items get a dash, links keep their target in angle brackets when it
/// differs from their text, and character references are decoded.
public enum HTMLText {
    private static let dropWithContent: Set<String> = ["script", "style", "head", "title", "template", "noscript", "svg", "object"]
    private static let blockElements: Set<String> = [
        "p", "div", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote",
        "pre", "hr", "section", "article", "header", "footer", "address", "li", "dl", "dt", "dd",
    ]

    /// The readable text of `html`.
    public static func readableText(_ html: String) -> String {
        let scalars = Array(html.unicodeScalars)
        var out: [Unicode.Scalar] = []
        var i = 0
        var linkTarget: String?
        var linkTextStart = 0
        var preDepth = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "<" {
                if let end = tagEnd(scalars, from: i) {
                    let tag = Tag(scalars[(i + 1)..<end])
                    if tag.name == "!--" {  // a comment ends at the first "-->" after "<!--"
                        i = find(scalars, "-->", from: i + 4).map { $0 + 3 } ?? scalars.count
                        continue
                    }
                    i = end + 1
                    if !tag.closing, dropWithContent.contains(tag.name) {
                        i = find(scalars, "</" + tag.name, from: i, caseInsensitive: true)
                            .flatMap { tagEnd(scalars, from: $0) }.map { $0 + 1 } ?? scalars.count
                        continue
                    }
                    if tag.name == "pre" { preDepth += tag.closing ? -1 : 1 }
                    if tag.name == "a" {
                        if !tag.closing {
                            linkTarget = tag.attribute("href")
                            linkTextStart = out.count
                        } else if let target = linkTarget {
                            let linkText = String(String.UnicodeScalarView(out[linkTextStart...]))
                            if !target.isEmpty, !target.hasPrefix("#"), linkText.trimmingBlanks() != target,
                               !target.lowercased().hasPrefix("javascript:") {
                                out.append(contentsOf: " <\(target)>".unicodeScalars)
                            }
                            linkTarget = nil
                        }
                    }
                    if tag.name == "img", let alt = tag.attribute("alt"), !alt.isEmpty {
                        out.append(contentsOf: "[\(alt)]".unicodeScalars)
                    }
                    if blockElements.contains(tag.name), !(tag.name == "li" && tag.closing) {
                        out.append("\n")
                        if tag.name == "li", !tag.closing { out.append(contentsOf: "- ".unicodeScalars) }
                        if tag.name == "p" || tag.name == "blockquote" || tag.name.first == "h" { out.append("\n") }
                    }
                    continue
                }
            }
            if c == "&", let (decoded, next) = CharacterReference.decode(scalars, at: i) {
                out.append(contentsOf: decoded.unicodeScalars)
                i = next
                continue
            }
            if preDepth == 0, c == "\n" || c == "\r" || c == "\t" || c == " " {
                if let last = out.last, last != " " && last != "\n" { out.append(" ") }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return tidy(String(String.UnicodeScalarView(out)))
    }

    /// Trims the end of each line (leading blanks only come from `pre` or `&nbsp;`, and are
    /// meant), keeps at most one empty line in a row, drops empty lines at both ends.
    private static func tidy(_ text: String) -> String {
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.replacingNonBreakingSpaces().trimmingTrailingBlanks()
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// The index of the ">" closing the tag at `from`, honouring quoted attribute values; nil
    /// when this "<" does not open a tag (then it is text).
    private static func tagEnd(_ s: [Unicode.Scalar], from: Int) -> Int? {
        guard from + 1 < s.count else { return nil }
        let next = s[from + 1]
        guard next.properties.isAlphabetic || next == "/" || next == "!" || next == "?" else { return nil }
        var quote: Unicode.Scalar?
        var i = from + 1
        while i < s.count {
            let c = s[i]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == ">" { return i }
            i += 1
        }
        return nil
    }

    private static func find(_ s: [Unicode.Scalar], _ needle: String, from: Int, caseInsensitive: Bool = false) -> Int? {
        func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
            caseInsensitive && c.value < 0x80 ? Unicode.Scalar(asciiLower(UInt8(c.value))) : c
        }
        let n = Array(needle.unicodeScalars).map(fold)
        guard from >= 0 else { return nil }
        var i = from
        while i + n.count <= s.count {
            if (0..<n.count).allSatisfy({ fold(s[i + $0]) == n[$0] }) { return i }
            i += 1
        }
        return nil
    }

    /// A start or end tag's name and attributes.
    private struct Tag {
        let name: String
        let closing: Bool
        private let body: String

        init(_ content: ArraySlice<Unicode.Scalar>) {
            var text = String(String.UnicodeScalarView(content))
            closing = text.hasPrefix("/")
            if closing { text.removeFirst() }
            if text.hasPrefix("!--") {
                name = "!--"
            } else {
                name = String(text.prefix { !$0.isWhitespace && $0 != "/" && $0 != ">" }).lowercased()
            }
            body = text
        }

        /// The value of attribute `key` (quoted or not), with character references decoded.
        func attribute(_ key: String) -> String? {
            let lower = body.lowercased()
            var searchStart = lower.startIndex
            while let range = lower.range(of: key, range: searchStart..<lower.endIndex) {
                searchStart = range.upperBound
                let before = range.lowerBound == lower.startIndex ? " " : lower[lower.index(before: range.lowerBound)]
                guard before.isWhitespace else { continue }
                var rest = body[range.upperBound...].drop { $0.isWhitespace }
                guard rest.first == "=" else { continue }
                rest = rest.dropFirst().drop { $0.isWhitespace }
                let value: Substring
                if let q = rest.first, q == "\"" || q == "'" {
                    value = rest.dropFirst().prefix { $0 != q }
                } else {
                    value = rest.prefix { !$0.isWhitespace && $0 != ">" }
                }
                return CharacterReference.decodeAll(String(value))
            }
            return nil
        }
    }
}

extension StringProtocol {
    func replacingNonBreakingSpaces() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{00A0}" ? " " : $0 }))
    }
}
