/// Parses a `Sec-WebSocket-Extensions` value (RFC 6455 section 9.1):
/// `name; param; param=value; param="quoted", other-extension`.
enum ExtensionOfferParser {
    struct Offer {
        var name: String
        var parameters: [(name: String, value: String?)]
    }

    /// The offers in `value`, in order. A syntactically broken offer is dropped whole.
    static func parse(_ value: String) -> [Offer] {
        var offers: [Offer] = []
        var current: [String] = []   // name then raw "param[=value]" items of the offer being read
        var item = ""
        var inQuotes = false
        var broken = false
        var escaped = false

        func endItem() {
            let trimmed = String(item.trimmingASCIISpaces())
            if trimmed.isEmpty { broken = true } else { current.append(trimmed) }
            item = ""
        }
        func endOffer() {
            endItem()
            if !broken, let offer = makeOffer(current) { offers.append(offer) }
            current = []
            broken = false
        }

        for ch in value {
            if inQuotes {
                if escaped { item.append(ch); escaped = false }
                else if ch == "\\" { escaped = true }
                else if ch == "\"" { inQuotes = false; item.append(ch) }
                else { item.append(ch) }
                continue
            }
            switch ch {
            case "\"": inQuotes = true; item.append(ch)
            case ";": endItem()
            case ",": endOffer()
            default: item.append(ch)
            }
        }
        if inQuotes { broken = true }
        endOffer()
        return offers
    }

    private static func makeOffer(_ items: [String]) -> Offer? {
        guard let name = items.first, isToken(name) else { return nil }
        var parameters: [(name: String, value: String?)] = []
        for raw in items.dropFirst() {
            guard let eq = raw.firstIndex(of: "=") else {
                guard isToken(raw) else { return nil }
                parameters.append((name: raw, value: nil))
                continue
            }
            let name = String(raw[..<eq].trimmingASCIISpaces())
            var value = String(raw[raw.index(after: eq)...].trimmingASCIISpaces())
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            guard isToken(name), isToken(value) else { return nil }
            parameters.append((name: name, value: value))
        }
        return Offer(name: name, parameters: parameters)
    }

    /// RFC 9110 section 5.6.2 token characters.
    private static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { c in
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(c)
            }
        }
    }
}
