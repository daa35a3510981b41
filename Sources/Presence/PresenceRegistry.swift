import Foundation

/// Who is looking at what and who is typing where, for every room, as pure state.
///
/// A *connection* (one browser tab, or everything a user has open on another node of the
/// desk) joins rooms on behalf of a *user*. People are reported per user, not per tab: an
/// agent with three tabs on a ticket, here or on other nodes, is one viewer, and leaves
/// when the last tab leaves. Connections prove they are alive with `touch`; one that stays
/// silent past `viewerTimeoutSeconds` is dropped by `expire`, so a vanished browser never
/// leaves a ghost. Typing expires after `typingTimeoutSeconds` without a new signal.
/// Time is always passed in; nothing here reads a clock.
public struct PresenceRegistry: Sendable {
    /// What a connection of a user looks like to others.
    public struct Person: Sendable, Equatable, Hashable {
        public let userID: Int64
        public let name: String

        public init(userID: Int64, name: String) {
            self.userID = userID
            self.name = name
        }

        /// Up to two initials for an avatar ("Ada Lovelace" -> "AL").
        public var initials: String {
            let words = name.split(whereSeparator: { $0 == " " || $0 == "-" }).prefix(2)
            return words.compactMap { $0.first.map { String($0).uppercased() } }.joined()
        }
    }

    /// What kind of message someone is composing.
    public enum Composing: String, Sendable, Equatable, Codable {
        case reply
        case note
    }

    /// A change others in the room should hear about.
    public enum Change: Sendable, Equatable {
        case joined(room: String, person: Person)
        case left(room: String, person: Person)
        case typing(room: String, person: Person, composing: Composing)
        case stoppedTyping(room: String, person: Person)
    }

    /// Who holds a place in rooms: a socket of this node, or a user as another node reports
    /// them (other nodes publish per user and room, not per tab: `PresenceRegistry+Nodes`).
    public enum Connection: Hashable, Comparable, Sendable {
        case local(UInt64)
        case remote(node: String, user: Int64)
    }

    struct Membership: Sendable {
        let person: Person
        var rooms: Set<String> = []
        var lastSeen: Date
        /// Room -> what is being composed there and when it was last signalled.
        var typing: [String: (composing: Composing, at: Date)] = [:]
    }

    public var viewerTimeoutSeconds: TimeInterval
    public var typingTimeoutSeconds: TimeInterval
    var connections: [Connection: Membership] = [:]

    /// - Parameters:
    ///   - viewerTimeoutSeconds: a connection silent this long is gone (clients ping every 20 s).
    ///   - typingTimeoutSeconds: typing without a new signal this long has stopped (clients repeat every 3 s).
    public init(viewerTimeoutSeconds: TimeInterval = 60, typingTimeoutSeconds: TimeInterval = 8) {
        self.viewerTimeoutSeconds = viewerTimeoutSeconds
        self.typingTimeoutSeconds = typingTimeoutSeconds
    }

    // MARK: Queries

    /// Every room someone is in.
    public var occupiedRooms: [String] {
        Array(Set(connections.values.flatMap(\.rooms))).sorted()
    }

    /// The people in `room`, one entry per user, ordered by name.
    public func viewers(of room: String) -> [Person] {
        var people = Set<Person>()
        for membership in connections.values where membership.rooms.contains(room) { people.insert(membership.person) }
        return people.sorted { ($0.name, $0.userID) < ($1.name, $1.userID) }
    }

    /// The people composing in `room`, with what they compose, one entry per user.
    public func typists(in room: String) -> [(person: Person, composing: Composing)] {
        var seen: [Int64: (Person, Composing)] = [:]
        for membership in connections.values {
            if let typing = membership.typing[room] { seen[membership.person.userID] = (membership.person, typing.composing) }
        }
        return seen.values.sorted { $0.0.name < $1.0.name }.map { (person: $0.0, composing: $0.1) }
    }

    // MARK: Changes

    /// `connection` (of `person`) enters `room`. Reports `.joined` when the user was not
    /// there through another connection.
    public mutating func join(_ room: String, connection: Connection, person: Person, now: Date) -> [Change] {
        var membership = connections[connection] ?? Membership(person: person, lastSeen: now)
        membership.lastSeen = now
        guard !membership.rooms.contains(room) else {
            connections[connection] = membership
            return []
        }
        let wasPresent = isPresent(person.userID, in: room)
        membership.rooms.insert(room)
        connections[connection] = membership
        return wasPresent ? [] : [.joined(room: room, person: person)]
    }

    /// `connection` leaves `room`; reports typing stopped and `.left` when it was the user's last connection there.
    public mutating func leave(_ room: String, connection: Connection) -> [Change] {
        guard var membership = connections[connection], membership.rooms.contains(room) else { return [] }
        var changes: [Change] = []
        let wasTyping = isTyping(membership.person.userID, in: room)
        membership.rooms.remove(room)
        membership.typing[room] = nil
        connections[connection] = membership
        let person = membership.person
        if wasTyping, !isTyping(person.userID, in: room) { changes.append(.stoppedTyping(room: room, person: person)) }
        if !isPresent(person.userID, in: room) { changes.append(.left(room: room, person: person)) }
        return changes
    }

    /// `connection` is gone (closed or dropped): it leaves every room.
    public mutating func disconnect(_ connection: Connection) -> [Change] {
        guard let membership = connections[connection] else { return [] }
        var changes: [Change] = []
        for room in membership.rooms.sorted() { changes += leave(room, connection: connection) }
        connections[connection] = nil
        return changes
    }

    /// `connection` showed a sign of life (any message, a ping).
    public mutating func touch(_ connection: Connection, now: Date) {
        connections[connection]?.lastSeen = now
    }

    /// `connection` is composing in `room` (repeated while typing). Reports `.typing` when the
    /// user was not already shown composing the same kind there.
    public mutating func typing(_ room: String, connection: Connection, composing: Composing, now: Date) -> [Change] {
        guard var membership = connections[connection], membership.rooms.contains(room) else { return [] }
        let person = membership.person
        let shown = typists(in: room).first { $0.person.userID == person.userID }?.composing
        membership.typing[room] = (composing, now)
        membership.lastSeen = now
        connections[connection] = membership
        return shown == composing ? [] : [.typing(room: room, person: person, composing: composing)]
    }

    /// `connection` stopped composing in `room` (sent, cleared the box, or left the page).
    public mutating func stopTyping(_ room: String, connection: Connection) -> [Change] {
        guard var membership = connections[connection], membership.typing[room] != nil else { return [] }
        membership.typing[room] = nil
        connections[connection] = membership
        let person = membership.person
        return isTyping(person.userID, in: room) ? [] : [.stoppedTyping(room: room, person: person)]
    }

    /// Drops connections silent past the viewer timeout and typing past the typing timeout.
    public mutating func expire(now: Date) -> [Change] {
        var changes: [Change] = []
        for (connection, membership) in connections.sorted(by: { $0.key < $1.key }) {
            if now.timeIntervalSince(membership.lastSeen) > viewerTimeoutSeconds {
                changes += disconnect(connection)
                continue
            }
            for (room, typing) in membership.typing.sorted(by: { $0.key < $1.key })
            where now.timeIntervalSince(typing.at) > typingTimeoutSeconds {
                changes += stopTyping(room, connection: connection)
            }
        }
        return changes
    }

    func isPresent(_ userID: Int64, in room: String) -> Bool {
        connections.values.contains { $0.person.userID == userID && $0.rooms.contains(room) }
    }

    func isTyping(_ userID: Int64, in room: String) -> Bool {
        connections.values.contains { $0.person.userID == userID && $0.typing[room] != nil }
    }
}
