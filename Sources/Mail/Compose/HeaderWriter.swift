/// Writes header fields: folded at blanks to lines of at most 78 characters where the content
/// allows (RFC 5322 2.1.1), non-ASCII text as RFC 2047 encoded words, and never a CR or LF
/// from a value (which would let a value inject fields).
struct HeaderWriter {
    private(set) var bytes: [UInt8] = []

    /// Appends `name: value` with `value` already ASCII, folding between its blank-separated words.
    mutating func field(_ name: String, _ value: String) {
        field(name, tokens: value.replacingLineBreaks().split(separator: " ").map(String.init))
    }

    /// Appends `name:` and `tokens` separated by single spaces, folding only between tokens. A
    /// token longer than a line stays whole (RFC 5322's hard limit is 998 characters).
    mutating func field(_ name: String, tokens: [String]) {
        var out = name + ":"
        var lineLength = out.utf8.count
        for token in tokens {
            let word = token.replacingLineBreaks()
            // Never fold right after the colon: some readers keep that blank in the value.
            if lineLength + 1 + word.utf8.count > 78 && out.utf8.count > name.utf8.count + 1 {
                out += "\r\n"
                lineLength = 0
            }
            out += " " + word
            lineLength += 1 + word.utf8.count
        }
        bytes += Array(out.utf8) + [0x0D, 0x0A]
    }

    /// Appends unstructured text (Subject): as it is when plain ASCII, else as encoded words.
    mutating func text(_ name: String, _ value: String) {
        let flat = value.replacingLineBreaks()
        let room = 78 - name.utf8.count - 2
        field(name, EncodedWords.isPlainASCII(flat) ? flat : EncodedWords.encode(flat, firstWordRoom: room).joined(separator: " "))
    }

    /// Appends an address list field.
    mutating func addresses(_ name: String, _ list: [MailAddress]) throws {
        field(name, try list.map(Self.mailbox).joined(separator: ", "))
    }

    /// One mailbox as header text: `"Name" <addr>` (quoted when it has specials), an encoded
    /// word for non-ASCII names, or a bare address.
    static func mailbox(_ address: MailAddress) throws -> String {
        guard address.isDeliverable, address.address.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw MailBuildError("\"\(address.address)\" is not an address we can send to")
        }
        guard let name = address.name?.replacingLineBreaks(), !name.isEmpty else { return address.address }
        if EncodedWords.isPlainASCII(name) {
            let specials = "()<>[]:;@\\,.\""
            let needsQuotes = name.contains { specials.contains($0) }
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return (needsQuotes ? "\"\(escaped)\"" : name) + " <\(address.address)>"
        }
        return EncodedWords.encode(name, firstWordRoom: 68).joined(separator: " ") + " <\(address.address)>"
    }

    mutating func blankLine() { bytes += [0x0D, 0x0A] }
}
