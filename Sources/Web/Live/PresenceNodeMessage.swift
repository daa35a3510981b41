import Foundation
import Presence
import Tickets

/// What nodes tell each other about presence on the `presence` channel of the `NodeBus`
/// (docs/architecture.md, "Presence across nodes"). One JSON object per bus message:
///
///     {"v":1,"k":"hello"}                                   a node started: send your state
///     {"v":1,"k":"delta","e":[entry, ...]}                  what changed on the sender
///     {"v":1,"k":"state","g":7,"i":0,"n":2,"e":[entry, ...]} part i of n of the sender's whole
///                                                           state number g
///     entry: {"u":12,"n":"Ada Lovelace","r":"ticket:5","a":"view"|"reply"|"note"|"gone"}
///
/// An entry is one user in one room of the sender: viewing, composing a reply or a note, or
/// (deltas only) gone. Payloads come from our own nodes, but a bad one must never reach the
/// rooms: `decode` checks everything and refuses the whole message on any fault.
enum PresenceNodeMessage: Equatable {
    case hello
    case delta([PresenceRegistry.NodeEntry])
    case state(generation: UInt64, part: Int, parts: Int, entries: [PresenceRegistry.NodeEntry])

    static let version = 1

    enum Limits {
        /// `ticket:` and a positive Int64 (at most 19 digits): presence is only kept for ticket rooms.
        static let maxRoomBytes = 26
        /// The longest agent name the accounts accept.
        static let maxNameCharacters = AccountService.maxNameLength
        /// Room left in a payload for the envelope around the entries (`{"v":1,"k":"state",
        /// "g":<20 digits>,"i":<digits>,"n":<digits>,"e":[` and `]}` take under 80 bytes).
        static let envelopeBytes = 128
    }

    /// Why a payload was refused.
    enum Refusal: Error, Equatable {
        case tooLarge
        case notJSON
        case unknownVersion
        case unknownKind
        case badPart
        case badEntry
        /// The bus named no node, a name too long, or this node itself.
        case badSender
    }

    // MARK: Decoding

    private struct Wire: Decodable {
        let v: Int
        let k: String
        let g: UInt64?
        let i: Int?
        let n: Int?
        let e: [WireEntry]?
    }

    private struct WireEntry: Codable {
        let u: Int64
        let n: String
        let r: String
        let a: String
    }

    /// Reads one bus payload; throws a `Refusal` for anything but a well-formed message.
    static func decode(_ payload: String) throws(Refusal) -> PresenceNodeMessage {
        guard payload.utf8.count <= NodeBusLimits.maxPayloadBytes else { throw .tooLarge }
        let wire: Wire
        do { wire = try JSONDecoder().decode(Wire.self, from: Data(payload.utf8)) } catch { throw .notJSON }
        guard wire.v == version else { throw .unknownVersion }
        switch wire.k {
        case "hello":
            return .hello
        case "delta":
            return .delta(try entries(wire.e, allowGone: true))
        case "state":
            guard let generation = wire.g, let part = wire.i, let parts = wire.n, parts >= 1, part >= 0, part < parts else {
                throw .badPart
            }
            return .state(generation: generation, part: part, parts: parts, entries: try entries(wire.e, allowGone: false))
        default:
            throw .unknownKind
        }
    }

    private static func entries(_ wire: [WireEntry]?, allowGone: Bool) throws(Refusal) -> [PresenceRegistry.NodeEntry] {
        guard let wire else { throw .badEntry }
        var entries: [PresenceRegistry.NodeEntry] = []
        entries.reserveCapacity(wire.count)
        for item in wire {
            guard item.u > 0, !item.n.isEmpty, item.n.count <= Limits.maxNameCharacters,
                  item.r.utf8.count <= Limits.maxRoomBytes, LiveRooms.ticketID(of: item.r) != nil,
                  let activity = activity(item.a), allowGone || activity != .gone else { throw .badEntry }
            entries.append(.init(person: .init(userID: item.u, name: item.n), room: item.r, activity: activity))
        }
        return entries
    }

    private static func activity(_ code: String) -> PresenceRegistry.NodeEntry.Activity? {
        switch code {
        case "view": .viewing
        case "gone": .gone
        default: PresenceRegistry.Composing(rawValue: code).map { .composing($0) }
        }
    }

    private static func code(_ activity: PresenceRegistry.NodeEntry.Activity) -> String {
        switch activity {
        case .viewing: "view"
        case .gone: "gone"
        case .composing(let composing): composing.rawValue
        }
    }

    // MARK: Encoding

    static let helloPayload = #"{"v":\#(version),"k":"hello"}"#

    /// `entries` as delta payloads of at most `limit` bytes each (none when there are none).
    static func deltaPayloads(_ entries: [PresenceRegistry.NodeEntry], limit: Int = NodeBusLimits.maxPayloadBytes) -> [String] {
        groups(of: entries, limit: limit).map { #"{"v":\#(version),"k":"delta","e":[\#($0)]}"# }
    }

    /// `entries`, a node's whole state, as the parts of state number `generation`, each at
    /// most `limit` bytes; one empty part when there are no entries (it still says the node lives).
    static func statePayloads(_ entries: [PresenceRegistry.NodeEntry], generation: UInt64,
                              limit: Int = NodeBusLimits.maxPayloadBytes) -> [String] {
        let groups = entries.isEmpty ? [""] : groups(of: entries, limit: limit)
        return groups.enumerated().map { index, group in
            #"{"v":\#(version),"k":"state","g":\#(generation),"i":\#(index),"n":\#(groups.count),"e":[\#(group)]}"#
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The entries' JSON, comma-joined into groups that fit `limit` with the envelope. An
    /// entry that cannot fit alone (never, with the name and room limits) is left out and logged.
    private static func groups(of entries: [PresenceRegistry.NodeEntry], limit: Int) -> [String] {
        let budget = limit - Limits.envelopeBytes
        var groups: [String] = [], current = ""
        for entry in entries {
            let wire = WireEntry(u: entry.person.userID, n: entry.person.name, r: entry.room, a: code(entry.activity))
            // A struct of an integer and three strings: encoding cannot fail.
            let text = String(decoding: (try? encoder.encode(wire)) ?? Data(), as: UTF8.self)
            guard !text.isEmpty, text.utf8.count <= budget else {
                Log.error("presence: an entry of \(text.utf8.count) bytes cannot be sent to the other nodes")
                continue
            }
            if !current.isEmpty, current.utf8.count + 1 + text.utf8.count > budget {
                groups.append(current)
                current = ""
            }
            current += current.isEmpty ? text : "," + text
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}
