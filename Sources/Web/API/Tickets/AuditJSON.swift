import Foundation
import Tickets

/// Any JSON value: re-emits the audit log's stored before/after objects as real JSON.
indirect enum JSONValue: Codable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value of stored JSON text, or nil for nil or unparsable text.
    static func parse(_ text: String?) -> JSONValue? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

/// One audit entry: actor, action, time and the before/after values as objects.
struct AuditEntryJSON: Encodable, Sendable {
    let entry: AuditEntry
    let actor: ActorJSON

    init(_ entry: AuditEntry, _ people: PeopleDirectory) {
        self.entry = entry
        actor = switch entry.actor {
        case .agent(let id): ActorJSON(.agent(id), people)
        case .requester(let id): ActorJSON(.requester(id), people)
        case .system: ActorJSON(.system, people)
        }
    }

    private enum Keys: String, CodingKey { case id, ticketId, actor, action, before, after, at }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(entry.id, forKey: .id)
        try c.encode(entry.ticketID?.rawValue, forKey: .ticketId)
        try c.encode(actor, forKey: .actor)
        try c.encode(entry.action.rawValue, forKey: .action)
        try c.encode(JSONValue.parse(entry.before), forKey: .before)
        try c.encode(JSONValue.parse(entry.after), forKey: .after)
        try c.encode(entry.at, forKey: .at)
    }

    /// The entries with their actors' names.
    static func list(_ entries: [AuditEntry], _ services: Services) async throws -> [AuditEntryJSON] {
        let contacts = entries.compactMap { entry -> ContactID? in
            if case .requester(let id) = entry.actor { return id }
            return nil
        }
        let people = try await PeopleDirectory.load(services, contacts: contacts)
        return entries.map { AuditEntryJSON($0, people) }
    }
}

/// `{entries, nextBefore}`: a page of the audit log (`nextBefore` pages further back).
struct AuditPageJSON: Encodable, Sendable {
    let entries: [AuditEntryJSON]
    @Nullable var nextBefore: Int64?
}
