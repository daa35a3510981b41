import Foundation
import Testing

/// The storage seam (docs/architecture.md, "Storage"): SQL text lives only under
/// `Sources/Tickets/Storage/`, so a second database needs changes there and nowhere else.
/// These tests read every Swift source file of the package, take its string literals apart
/// from its code and comments, and name each literal outside the storage layer that holds
/// SQL.
@Suite("SQL placement")
struct SQLPlacementTests {
    @Test("no Swift file outside Sources/Tickets/Storage holds SQL in a string literal")
    func sqlLivesInStorage() throws {
        let offenders = try Self.sourceFiles().filter { !$0.hasPrefix("Sources/Tickets/Storage/") }
            .flatMap { path in try Self.sqlLiterals(in: path).map { "\(path):\($0.line): \($0.excerpt)" } }
        let report = offenders.joined(separator: "\n")
        #expect(offenders.isEmpty, "SQL outside Sources/Tickets/Storage (move it into a record under Storage/Records):\n\(report)")
    }

    @Test("the scan finds SQL in one-line, multi-line, interpolated and raw literals and ignores comments and prose")
    func scannerFindsSQL() {
        let source = ##"""
            // SELECT id FROM tickets in a comment is not SQL in the program
            let a = "SELECT \(columns) FROM agents WHERE id = ?"
            let b = """
                INSERT INTO contacts (name) VALUES (?)
                """
            let c = #"DELETE FROM sessions WHERE token_hash = \#(x)"#
            let d = "UPDATE api_tokens SET revoked_at = ? WHERE id = ?"
            let e = "Choose a ticket to update and set its status." /* CREATE TABLE x (id) */
            let f = "SELECT "
            let g = "tags " + "\("nested " + "WHERE id = ?")"
            """##
        let found = Self.sqlLiterals(inSource: source)
        #expect(found.map { $0.line } == [2, 3, 6, 7, 10])
    }

    /// A string literal holding SQL: the line it starts on and its first characters.
    struct Found: Equatable {
        let line: Int
        let excerpt: String
    }

    /// Statement shapes and clause fragments, upper-case as the code writes SQL (prose and
    /// protocol words such as IMAP's `SELECT` alone do not match).
    static let patterns: [NSRegularExpression] = [
        #"\bSELECT\b[\s\S]*\bFROM\b"#,
        #"\bINSERT\s+(OR\s+[A-Z]+\s+)?INTO\b"#,
        #"\bUPDATE\s+[A-Za-z_][A-Za-z_0-9]*\s+SET\b"#,
        #"\bDELETE\s+FROM\b"#,
        #"\bCREATE\s+(TABLE|(UNIQUE\s+)?INDEX|VIRTUAL\s+TABLE|TRIGGER|VIEW)\b"#,
        #"\b(WHERE|AND|OR|ON)\s+[a-z_][a-z_0-9.]*\s*(=|<>|<=|>=|<|>|\bLIKE\b|\bIN\b|\bIS\b)"#,
        #"\bORDER\s+BY\s+[a-z_]"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every `.swift` file under `Sources/`, as a path relative to the package root, sorted.
    static func sourceFiles() throws -> [String] {
        let root = packageRoot
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        var paths: [String] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            paths.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        #expect(paths.count > 100, "the scan found too few sources under \(sources.path)")
        return paths.sorted()
    }

    static func sqlLiterals(in path: String) throws -> [Found] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
        return sqlLiterals(inSource: text)
    }

    static func sqlLiterals(inSource source: String) -> [Found] {
        SwiftLiterals.scan(source).compactMap { literal in
            let range = NSRange(literal.text.startIndex..., in: literal.text)
            guard patterns.contains(where: { $0.firstMatch(in: literal.text, range: range) != nil }) else { return nil }
            let flat = literal.text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " ")
            return Found(line: literal.line, excerpt: String(flat.prefix(80)))
        }
    }
}

/// A small lexer over Swift source that yields the text of each string literal (with each
/// interpolation replaced by `_`), skipping comments: enough to tell SQL in literals from
/// SQL words in comments or code.
enum SwiftLiterals {
    struct Literal {
        let line: Int
        let text: String
    }

    private struct Open {
        let hashes: Int
        let multiline: Bool
        let line: Int
        var text: String
        /// Parentheses open inside the current interpolation (0: in the literal's text).
        var depth: Int
    }

    static func scan(_ source: String) -> [Literal] {
        let chars = Array(source.unicodeScalars)
        var literals: [Literal] = []
        var stack: [Open] = []
        var line = 1
        var i = 0
        func at(_ offset: Int) -> Unicode.Scalar? { i + offset < chars.count ? chars[i + offset] : nil }
        func matches(_ text: String, from offset: Int = 0) -> Bool {
            for (k, scalar) in text.unicodeScalars.enumerated() where at(offset + k) != scalar { return false }
            return true
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { line += 1 }
            if var open = stack.last, open.depth == 0 {
                // Inside a literal's text.
                let closer = (open.multiline ? "\"\"\"" : "\"") + String(repeating: "#", count: open.hashes)
                if c == "\\", matches(String(repeating: "#", count: open.hashes), from: 1) {
                    let next = at(1 + open.hashes)
                    if next == "(" {
                        open.text.append("_")
                        open.depth = 1
                        stack[stack.count - 1] = open
                        i += 2 + open.hashes
                        continue
                    }
                    if let next, open.hashes == 0 { open.text.unicodeScalars.append(next) }
                    if next == "\n" { line += 1 }
                    stack[stack.count - 1] = open
                    i += 2 + open.hashes
                    continue
                }
                if matches(closer) {
                    stack.removeLast()
                    literals.append(Literal(line: open.line, text: open.text))
                    i += closer.unicodeScalars.count
                    continue
                }
                open.text.unicodeScalars.append(c)
                stack[stack.count - 1] = open
                i += 1
                continue
            }
            // In code (top level or inside an interpolation).
            if matches("//") {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if matches("/*") {
                var nesting = 0
                repeat {
                    if matches("/*") { nesting += 1; i += 2 } else if matches("*/") { nesting -= 1; i += 2 } else {
                        if chars[i] == "\n" { line += 1 }
                        i += 1
                    }
                } while nesting > 0 && i < chars.count
                continue
            }
            var hashes = 0
            while at(hashes) == "#" { hashes += 1 }
            if at(hashes) == "\"" {
                let multiline = matches("\"\"\"", from: hashes)
                i += hashes + (multiline ? 3 : 1)
                stack.append(Open(hashes: hashes, multiline: multiline, line: line, text: "", depth: 0))
                continue
            }
            if var open = stack.last {
                if c == "(" { open.depth += 1 }
                if c == ")" { open.depth -= 1 }
                stack[stack.count - 1] = open
            }
            i += 1
        }
        return literals
    }
}
