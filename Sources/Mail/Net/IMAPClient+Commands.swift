extension IMAPClient {
    /// A piece of a command line.
    enum Argument {
        case text(String)
        /// A string argument: quoted when it is plain ASCII, a literal otherwise.
        case string(String)
        /// A folder name, in modified UTF-7 (RFC 3501 5.1.3).
        case mailbox(String)
    }

    /// Runs a command with no arguments needing quoting.
    func run(_ command: String, continuation: [UInt8]? = nil) throws -> [IMAPResponse] {
        try run([.text(command)], continuation: continuation)
    }

    /// Sends a tagged command and returns the untagged responses that came before its OK.
    /// NO and BAD throw `.rejected` with the server's text (an AUTHENTICATIONFAILED code gives
    /// `.authentication`); BYE throws `.closed`. `continuation` answers a "+" (SASL).
    func run(_ arguments: [Argument], continuation: [UInt8]? = nil) throws -> [IMAPResponse] {
        guard let connection = connectionForCommands else { throw MailConnectionError(.closed, "not connected") }
        let tag = nextTag()
        var line: [UInt8] = Array("\(tag) ".utf8)
        for argument in arguments {
            switch argument {
            case .text(let text): line += Array(text.utf8)
            case .string(let value): try append(string: value, to: &line, connection: connection)
            case .mailbox(let name): try append(string: ModifiedUTF7.encode(name), to: &line, connection: connection)
            }
        }
        try connection.write(line + [0x0D, 0x0A])
        return try collect(tag: tag, continuation: continuation)
    }

    /// Quoted string, or a literal (RFC 7888 LITERAL+ when offered, else waiting for "+").
    private func append(string value: String, to line: inout [UInt8], connection: MailConnection) throws {
        let bytes = Array(value.utf8)
        let quotable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if quotable {
            line.append(UInt8(ascii: "\""))
            for b in bytes {
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { line.append(UInt8(ascii: "\\")) }
                line.append(b)
            }
            line.append(UInt8(ascii: "\""))
            return
        }
        if capabilities.contains("LITERAL+") {
            line += Array("{\(bytes.count)+}\r\n".utf8) + bytes
            return
        }
        try connection.write(line + Array("{\(bytes.count)}\r\n".utf8))
        guard case .continuation = try IMAPResponseParser.parse(try readResponse()) else {
            throw MailConnectionError(.rejected, "the server refused a literal argument")
        }
        line = bytes
    }

    /// Reads responses until the tagged one for `tag`.
    func collect(tag: String, continuation: [UInt8]? = nil) throws -> [IMAPResponse] {
        var untagged: [IMAPResponse] = []
        while true {
            let response = try IMAPResponseParser.parse(try readResponse())
            switch response {
            case .tagged(let t, let status, let code, let text) where t == tag:
                switch status {
                case .ok: return untagged
                case .no, .bad, .bye, .preauth:
                    let detail = "\(status.rawValue)\(code.map { " [\($0)]" } ?? "") \(text)"
                    if code?.uppercased().hasPrefix("AUTHENTICATIONFAILED") == true {
                        throw MailConnectionError(.authentication, detail)
                    }
                    throw MailConnectionError(.rejected, detail)
                }
            case .continuation:
                guard let continuation, let connection = connectionForCommands else {
                    throw MailConnectionError(.protocolViolation, "unexpected continuation request")
                }
                try connection.write(continuation)
            default:
                untagged.append(response)
            }
        }
    }

    /// Reads one response, literals included inline after their "{N}" CRLF. A literal larger
    /// than `maxMessageBytes` is refused before it is read (the connection is then unusable).
    func readResponse() throws -> [UInt8] {
        guard let connection = connectionForCommands else { throw MailConnectionError(.closed, "not connected") }
        var response = try connection.readLine(maxBytes: Self.maxLineBytes)
        while let length = Self.literalLength(atEndOf: response) {
            guard length <= maxMessageBytes else {
                connection.close()
                throw MailConnectionError(.tooLarge, "the server offered \(length) bytes; the limit is \(maxMessageBytes)")
            }
            response += [0x0D, 0x0A]
            response += try connection.readExactly(length)
            let rest = try connection.readLine(maxBytes: Self.maxLineBytes)
            response += rest
            guard response.count <= maxMessageBytes + Self.maxLineBytes else {
                throw MailConnectionError(.tooLarge, "a response is larger than \(maxMessageBytes) bytes")
            }
        }
        return response
    }

    /// N when `line` ends with "{N}" or "{N+}".
    static func literalLength(atEndOf line: [UInt8]) -> Int? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = line[(open + 1)..<(line.count - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    /// Asks for CAPABILITY unless the greeting or a response code already gave it.
    func updateCapabilities(code: String?) throws {
        if let code, code.uppercased().hasPrefix("CAPABILITY ") {
            capabilitiesFromList(code.split(separator: " ").dropFirst().map(String.init))
            return
        }
        for case .data(_, "CAPABILITY", let values) in try run("CAPABILITY") {
            capabilitiesFromList(values.compactMap(\.atom))
        }
    }

    /// "FETCH (KEY value KEY value ...)" as a dictionary with upper-cased keys.
    static func fetchItems(_ response: IMAPResponse) -> [String: IMAPValue] {
        guard case .data(_, "FETCH", let values) = response, let list = values.first?.list else { return [:] }
        var items: [String: IMAPValue] = [:]
        var index = 0
        while index + 1 < list.count {
            if let key = list[index].atom { items[key.uppercased()] = list[index + 1] }
            index += 2
        }
        return items
    }

    /// A UID set with runs compressed ("1:3,7").
    static func uidSet(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var pieces: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            pieces.append(i == j ? "\(sorted[i])" : "\(sorted[i]):\(sorted[j])")
            i = j + 1
        }
        return pieces.joined(separator: ",")
    }
}

/// Modified UTF-7 for folder names (RFC 3501 section 5.1.3).
enum ModifiedUTF7 {
    static func encode(_ name: String) -> String {
        var out = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            let bytes = pending.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            out += "&" + Base64.encodeLine(bytes).replacingOccurrences(of: "/", with: ",").replacingOccurrences(of: "=", with: "") + "-"
            pending.removeAll()
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                out += scalar == "&" ? "&-" : String(scalar)
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return out
    }
}
