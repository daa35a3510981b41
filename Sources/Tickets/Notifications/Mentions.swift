import Foundation

/// An agent who can be mentioned: active, with the name and email a note may use.
public struct Mentionable: Sendable, Equatable {
    public let id: AgentID
    public let name: String
    public let email: String

    public init(id: AgentID, name: String, email: String) {
        self.id = id
        self.name = name
        self.email = email
    }
}

/// `@Full Name` (or `@local-part` of the email) in an internal note: a pure scan of the
/// text against the active agents, case-insensitive, ending at a character that cannot
/// continue a name, so `@Ada` does not match inside `@Adam`.
public enum Mentions {
    /// The agents mentioned in `body`, in the order of `agents`, each once.
    public static func find(in body: String, among agents: [Mentionable]) -> [AgentID] {
        guard body.contains("@") else { return [] }
        let text = body.lowercased()
        return agents.filter { agent in
            let handles = [agent.name, String(agent.email.split(separator: "@").first ?? "")]
                .map { $0.lowercased().trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return handles.contains { mentioned("@" + $0, in: text) }
        }.map(\.id)
    }

    private static func mentioned(_ handle: String, in text: String) -> Bool {
        var searchStart = text.startIndex
        while let range = text.range(of: handle, range: searchStart..<text.endIndex) {
            let startsClean = range.lowerBound == text.startIndex || !isNameCharacter(text[text.index(before: range.lowerBound)])
            let endsClean = range.upperBound == text.endIndex || !isNameCharacter(text[range.upperBound])
            if startsClean && endsClean { return true }
            searchStart = range.upperBound
        }
        return false
    }

    /// Letters, digits and the joiners a name or an email's local part may continue with.
    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-"
    }

    /// The active agents, read for a batch of events that holds a note.
    static func candidates(_ db: Connection) throws -> [Mentionable] {
        try AgentRecord.active(db).map { Mentionable(id: $0.id, name: $0.name, email: $0.email) }
    }
}
