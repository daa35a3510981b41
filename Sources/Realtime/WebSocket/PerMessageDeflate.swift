/// The permessage-deflate parameters agreed for one connection (RFC 7692 section 7).
///
/// The server always answers `server_no_context_takeover` (allowed by RFC 7692
/// section 7.1.1.1 even unasked): every outbound message is compressed from a fresh
/// context, so one compressed frame can be shared by every subscriber with the same
/// `serverMaxWindowBits`, and no deflate state lives per connection.
public struct NegotiatedDeflate: Sendable, Equatable {
    /// The client resets its compressor per message, so the inflater is reset too.
    public var clientNoContextTakeover: Bool
    /// The LZ77 window the client promised to stay within (8...15); we inflate with 15 regardless.
    public var clientMaxWindowBits: Int
    /// The LZ77 window our compressor may use (8...15); also the broadcast cache key.
    public var serverMaxWindowBits: Int
    /// The `Sec-WebSocket-Extensions` value for the 101 response.
    public var responseHeaderValue: String

    public init(clientNoContextTakeover: Bool = false, clientMaxWindowBits: Int = PerMessageDeflate.maxWindowBits,
                serverMaxWindowBits: Int = PerMessageDeflate.maxWindowBits, responseHeaderValue: String = PerMessageDeflate.extensionName) {
        self.clientNoContextTakeover = clientNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
        self.serverMaxWindowBits = serverMaxWindowBits
        self.responseHeaderValue = responseHeaderValue
    }
}

/// permessage-deflate (RFC 7692): negotiation here, compression in
/// `PerMessageDeflate+Deflater.swift`, inflation in `PerMessageDeflate+Inflater.swift`.
public enum PerMessageDeflate {
    public static let extensionName = "permessage-deflate"
    public static let minWindowBits = 8
    public static let maxWindowBits = 15
    /// The empty stored block a sync flush ends with, stripped by the sender and
    /// appended by the receiver (RFC 7692 section 7.2.1-7.2.2).
    static let syncFlushTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    /// Chooses the first acceptable permessage-deflate offer among every
    /// `Sec-WebSocket-Extensions` value (RFC 7692 section 5); nil when none is.
    ///
    /// An offer with an unknown or duplicate parameter or a bad window-bits value is
    /// skipped (RFC 7692 section 7.1), and the next one is tried.
    public static func negotiate(offers headerValues: [String]) -> NegotiatedDeflate? {
        for value in headerValues {
            for offer in ExtensionOfferParser.parse(value) where offer.name.equalsIgnoringASCIICase(extensionName) {
                if let accepted = accept(offer.parameters) { return accepted }
            }
        }
        return nil
    }

    private static func accept(_ parameters: [(name: String, value: String?)]) -> NegotiatedDeflate? {
        var seen: Set<String> = []
        var result = NegotiatedDeflate()
        var response = extensionName + "; server_no_context_takeover"
        for (rawName, value) in parameters {
            let name = rawName.lowercased()
            guard seen.insert(name).inserted else { return nil }  // RFC 7692 section 7.1: no duplicates
            switch name {
            case "server_no_context_takeover":
                guard value == nil else { return nil }
            case "client_no_context_takeover":
                guard value == nil else { return nil }
                result.clientNoContextTakeover = true
                response += "; client_no_context_takeover"
            case "server_max_window_bits":
                // RFC 7692 section 7.1.2.1: a value is required; we answer it and honour it.
                guard let value, let bits = windowBits(value) else { return nil }
                result.serverMaxWindowBits = bits
                response += "; server_max_window_bits=\(bits)"
            case "client_max_window_bits":
                // RFC 7692 section 7.1.2.2: the value is optional in an offer.
                guard let value else { continue }
                guard let bits = windowBits(value) else { return nil }
                result.clientMaxWindowBits = bits
                response += "; client_max_window_bits=\(bits)"
            default:
                return nil  // RFC 7692 section 7.1: decline offers with unknown parameters
            }
        }
        result.responseHeaderValue = response
        return result
    }

    /// Parses "8".."15" without leading zeros (RFC 7692 section 7.1.2).
    private static func windowBits(_ value: String) -> Int? {
        guard let first = value.utf8.first, first != UInt8(ascii: "0"), value.utf8.count <= 2,
              let bits = Int(value), (minWindowBits...maxWindowBits).contains(bits) else { return nil }
        return bits
    }
}
