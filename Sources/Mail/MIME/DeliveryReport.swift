import Foundation

/// A delivery status notification (RFC 3464), as found in a bounce: which recipients failed
/// and why, and which of our messages it is about.
public struct DeliveryReport: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable {
        /// The Final-Recipient address (the "rfc822;" type prefix removed).
        public var address: String
        /// "failed", "delayed", "delivered", "relayed" or "expanded".
        public var action: String
        /// The RFC 3463 status code, e.g. "5.1.1".
        public var status: String
        /// The remote server's answer, when reported.
        public var diagnostic: String?

        /// A failure that will not go away by retrying (status class 5).
        public var isPermanentFailure: Bool { action == "failed" || status.hasPrefix("5") }
    }

    public var recipients: [Recipient] = []
    /// The Message-ID of the message that bounced (from the returned message or its headers).
    public var originalMessageID: String?
    public var originalSubject: String?

    public init() {}

    /// Reads the per-recipient groups of a message/delivery-status body: header-like blocks
    /// separated by empty lines, the first being per-message fields.
    mutating func readStatus(_ bytes: [UInt8]) {
        let text = textFromBytes(bytes).replacingOccurrences(of: "\r\n", with: "\n")
        for block in text.components(separatedBy: "\n\n").prefix(101) {
            var fields: [String: String] = [:]
            var last: String?
            for line in block.split(separator: "\n") {
                if line.first == " " || line.first == "\t", let key = last {
                    fields[key, default: ""] += " " + line.trimmingBlanks()
                    continue
                }
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].lowercased()
                fields[key] = String(line[line.index(after: colon)...]).trimmingBlanks()
                last = key
            }
            guard let final = fields["final-recipient"] ?? fields["original-recipient"] else { continue }
            let address = final.split(separator: ";", maxSplits: 1).last.map { $0.trimmingBlanks() } ?? final
            recipients.append(Recipient(
                address: address, action: (fields["action"] ?? "").lowercased(),
                status: fields["status"].map { String($0.prefix { !$0.isWhitespace }) } ?? "",
                diagnostic: fields["diagnostic-code"]))
        }
    }
}
