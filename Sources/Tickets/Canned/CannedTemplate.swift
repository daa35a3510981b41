import Foundation

/// Fills the placeholders of a canned response body. Pure: the values come in, the text
/// goes out; unknown placeholders stay exactly as written.
public enum CannedTemplate {
    /// Every placeholder a body may use, with what it becomes.
    public static let placeholders: [(name: String, meaning: String)] = [
        ("requester.name", "The requester's full name (their email when the name is empty)."),
        ("requester.firstName", "The first word of the requester's name (their email when the name is empty)."),
        ("ticket.reference", "The ticket reference, e.g. TKT-042."),
        ("ticket.subject", "The ticket subject."),
        ("agent.name", "The name of the agent inserting the response."),
    ]

    /// The longest rendered text, in characters: what a reply may hold (`Message` bodies),
    /// since a rendered response is inserted into one. A template repeating a placeholder
    /// could otherwise render hundreds of megabytes.
    public static let maxRenderedLength = MessageRecord.maxBodyLength

    /// The text of a rendered body and the placeholders it named that are not known.
    public struct Rendered: Sendable, Equatable {
        public let body: String
        public let unknownPlaceholders: [String]
    }

    /// The placeholder values for a ticket, its requester and the agent inserting.
    public static func values(requesterName: String, requesterEmail: String, reference: String, subject: String,
                              agentName: String) -> [String: String] {
        let name = requesterName.trimmingCharacters(in: .whitespacesAndNewlines)
        let first = name.split(whereSeparator: { $0.isWhitespace }).first.map(String.init)
        return [
            "requester.name": name.isEmpty ? requesterEmail : name,
            "requester.firstName": first ?? requesterEmail,
            "ticket.reference": reference,
            "ticket.subject": subject,
            "agent.name": agentName,
        ]
    }

    /// `body` with every `{{name}}` (spaces inside the braces allowed) replaced by
    /// `values[name]`; unknown names are left as written and reported once each, in order.
    /// Throws `.validation` on `body` when the output passes `maxRenderedLength`.
    public static func render(_ body: String, values: [String: String]) throws -> Rendered {
        var output = ""
        var unknown: [String] = []
        var seen: Set<String> = []
        var rest = body[...]
        while let open = rest.range(of: "{{") {
            // Bytes while building (cheap): a character is at most four of them.
            guard output.utf8.count <= 4 * maxRenderedLength else { throw tooLong }
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let value = values[name] {
                output += value
            } else {
                output += rest[open.lowerBound..<close.upperBound]
                if seen.insert(name).inserted { unknown.append(name) }
            }
            rest = rest[close.upperBound...]
        }
        output += rest
        guard output.utf8.count <= maxRenderedLength || output.count <= maxRenderedLength else { throw tooLong }
        return Rendered(body: output, unknownPlaceholders: unknown)
    }

    private static var tooLong: DomainError {
        DomainError.validation("body", "This response renders to more than \(maxRenderedLength) characters; shorten it.")
    }
}
