import Foundation

/// A mailbox (RFC 5322 section 3.4): an address and an optional display name.
public struct MailAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The display name, decoded (encoded words, quoted strings), or nil.
    public let name: String?
    /// The addr-spec, as written (local parts are case-sensitive in principle).
    public let address: String

    public init(name: String? = nil, address: String) {
        let trimmed = name?.trimmingBlanks()
        self.name = trimmed?.isEmpty == false ? trimmed : nil
        self.address = address
    }

    /// The address lower-cased, for matching senders to contacts and to our own mailboxes.
    public var normalized: String { address.lowercased() }

    /// The local part (before the last "@").
    public var localPart: String {
        guard let at = address.lastIndex(of: "@") else { return address }
        return String(address[..<at])
    }

    /// The domain (after the last "@"), lower-cased, or "".
    public var domain: String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return String(address[address.index(after: at)...]).lowercased()
    }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address }

    /// Whether `address` looks like an addr-spec we can send to: one "@", a non-empty local part
    /// and a domain with a dot or a bracketed literal, no blanks or control characters.
    public var isDeliverable: Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count >= 2, let domain = parts.last, !domain.isEmpty,
              !parts.dropLast().joined(separator: "@").isEmpty else { return false }
        guard address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "<" && $0 != ">" && $0 != "," })
        else { return false }
        return domain.contains(".") || domain.hasPrefix("[")
    }

    /// Parses an address list (To, Cc, From, Reply-To): mailboxes separated by commas, groups
    /// (`team: a@x, b@y;`) flattened, display names decoded. Entries without an address are
    /// dropped; at most `limit` addresses are returned.
    public static func parseList(_ header: String, limit: Int = 1_000) -> [MailAddress] {
        var result: [MailAddress] = []
        for entry in splitTopLevel(header) {
            guard result.count < limit else { break }
            if let address = parseMailbox(entry) { result.append(address) }
        }
        return result
    }

    /// Splits at commas, semicolons and group colons outside quotes, comments and angle brackets.
    private static func splitTopLevel(_ header: String) -> [String] {
        var entries: [String] = []
        var current: [UInt8] = []
        var scanner = StructuredScanner(header)
        var inAngle = false
        while let c = scanner.peek {
            switch c {
            case UInt8(ascii: "\""):
                let quoted = scanner.readQuotedString().replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "\"", with: "\\\"")
                current += Array("\"\(quoted)\"".utf8)
                continue
            case UInt8(ascii: "("):
                current += Array("(\(scanner.readComment()))".utf8)
                continue
            case UInt8(ascii: "<"): inAngle = true
            case UInt8(ascii: ">"): inAngle = false
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                guard !inAngle else { break }
                entries.append(String(decoding: current, as: UTF8.self))
                current.removeAll()
                scanner.advance()
                continue
            case UInt8(ascii: ":"):
                guard !inAngle, !current.contains(UInt8(ascii: "@")) else { break }
                current.removeAll()  // a group's display name: its members follow
                scanner.advance()
                continue
            default: break
            }
            current.append(c)
            scanner.advance()
        }
        entries.append(String(decoding: current, as: UTF8.self))
        return entries
    }

    /// One mailbox: `name <addr>`, `addr (comment name)`, or a bare `addr`.
    private static func parseMailbox(_ text: String) -> MailAddress? {
        if let open = text.lastIndex(of: "<") {
            let inside = text[text.index(after: open)...]
            let address = String(inside.prefix { $0 != ">" }).trimmingBlanks()
            guard !address.isEmpty else { return nil }
            return MailAddress(name: displayName(String(text[..<open])), address: stripRoute(address))
        }
        var scanner = StructuredScanner(text)
        var address: [UInt8] = []
        var comment = ""
        while let c = scanner.peek {
            if c == UInt8(ascii: "(") { comment += scanner.readComment(); continue }
            if c == UInt8(ascii: "\"") { address += Array("\"\(scanner.readQuotedString())\"".utf8); continue }
            if c != 0x20 && c != 0x09 && c != 0x0D && c != 0x0A { address.append(c) }
            scanner.advance()
        }
        let addressText = String(decoding: address, as: UTF8.self)
        guard addressText.contains("@") else { return nil }
        return MailAddress(name: comment.isEmpty ? nil : EncodedWords.decode(comment), address: addressText)
    }

    /// The display name: quoted strings unquoted, comments dropped, encoded words decoded.
    private static func displayName(_ text: String) -> String? {
        var scanner = StructuredScanner(text)
        var name = ""
        while let c = scanner.peek {
            if c == UInt8(ascii: "\"") {
                // Encoded words inside quotes are not RFC 2047, but clients send them.
                name += EncodedWords.decode(scanner.readQuotedString())
                continue
            }
            if c == UInt8(ascii: "(") { _ = scanner.readComment(); continue }
            name += scanner.readRaw { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "(") }
        }
        let decoded = EncodedWords.decode(name).trimmingBlanks()
        return decoded.isEmpty ? nil : decoded
    }

    /// Drops an obsolete source route (`@a,@b:user@host`, RFC 5322 4.4).
    private static func stripRoute(_ address: String) -> String {
        guard address.hasPrefix("@"), let colon = address.firstIndex(of: ":") else { return address }
        return String(address[address.index(after: colon)...])
    }
}

/// Message identifiers (RFC 5322 section 3.6.4) from Message-ID, In-Reply-To and References.
public enum MessageIDs {
    /// The ids in `header`, without angle brackets, in order, at most `limit`. Text outside
    /// brackets (phrases in old In-Reply-To fields) is ignored; an unbracketed lone token
    /// with an "@" is accepted because some clients send them.
    public static func parse(_ header: String?, limit: Int = 200) -> [String] {
        guard let header else { return [] }
        var ids: [String] = []
        var rest = Substring(header)
        while ids.count < limit, let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: ">") else { break }
            let id = after[..<close].filter { !$0.isWhitespace }
            if !id.isEmpty { ids.append(String(id)) }
            rest = after[after.index(after: close)...]
        }
        if ids.isEmpty {
            let bare = header.trimmingBlanks()
            if bare.contains("@"), !bare.contains(where: \.isWhitespace) { ids.append(bare) }
        }
        return ids
    }
}
