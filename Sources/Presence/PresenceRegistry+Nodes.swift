import Foundation

/// The registry across the nodes of one desk. Each node publishes what its own sockets do as
/// *entries*, one per user and room ("Ada views ticket:5", "Ada composes a note there", "Ada
/// is gone from there"), never per tab and never with a time: the nodes' clocks need not
/// agree. A receiving node keeps what node N says of user U as one connection,
/// `.remote(node: N, user: U)`, beside its own sockets, so a user is still one viewer across
/// every node and leaves when their last tab anywhere leaves.
extension PresenceRegistry {
    /// What a node says of one user in one room.
    public struct NodeEntry: Sendable, Equatable {
        public enum Activity: Sendable, Equatable {
            case viewing
            case composing(Composing)
            /// No tab of the user is in the room on that node any more (deltas only).
            case gone
        }

        public let person: Person
        public let room: String
        public let activity: Activity

        public init(person: Person, room: String, activity: Activity) {
            self.person = person
            self.room = room
            self.activity = activity
        }
    }

    // MARK: This node's entries

    /// The person behind `connection`, and the rooms it is in.
    public func membership(of connection: Connection) -> (person: Person, rooms: Set<String>)? {
        connections[connection].map { ($0.person, $0.rooms) }
    }

    /// Everything this node's own sockets do, one entry per user and room, ordered by user
    /// then room: the full state a node publishes.
    public func localEntries() -> [NodeEntry] {
        var people: [Int64: Person] = [:]
        var activities: [Int64: [String: NodeEntry.Activity]] = [:]
        for (connection, membership) in connections {
            guard case .local = connection else { continue }
            let user = membership.person.userID
            people[user] = people[user] ?? membership.person
            for room in membership.rooms {
                activities[user, default: [:]][room] = Self.merge(activities[user]?[room], membership.typing[room]?.composing)
            }
        }
        return activities.keys.sorted().flatMap { user in
            activities[user]!.sorted { $0.key < $1.key }.map { NodeEntry(person: people[user]!, room: $0.key, activity: $0.value) }
        }
    }

    /// What this node's own sockets do for `person` in each of `rooms` (`.gone` where none
    /// of their tabs here is in the room): the delta to publish after a local change.
    public func localEntries(of person: Person, in rooms: [String]) -> [NodeEntry] {
        rooms.map { room in
            var activity: NodeEntry.Activity = .gone
            for (connection, membership) in connections
            where membership.person.userID == person.userID && membership.rooms.contains(room) {
                guard case .local = connection else { continue }
                activity = Self.merge(activity == .gone ? nil : activity, membership.typing[room]?.composing)
            }
            return NodeEntry(person: person, room: room, activity: activity)
        }
    }

    /// One user's activity in a room over several tabs: composing wins over viewing.
    private static func merge(_ current: NodeEntry.Activity?, _ composing: Composing?) -> NodeEntry.Activity {
        if let composing { return .composing(composing) }
        return current ?? .viewing
    }

    // MARK: Other nodes' entries

    /// How many entries (user and room) the registry holds for `node`.
    public func entryCount(of node: String) -> Int {
        connections.reduce(0) { count, item in
            guard case .remote(let owner, _) = item.key, owner == node else { return count }
            return count + item.value.rooms.count
        }
    }

    /// Applies `entries` that `node` published about its own sockets (a delta). An entry that
    /// would take `node` past `maxEntries` is skipped. Returns the changes for this node's
    /// rooms and how many entries were skipped.
    public mutating func apply(_ entries: [NodeEntry], from node: String, maxEntries: Int, now: Date) -> (changes: [Change], skipped: Int) {
        var count = entryCount(of: node), changes: [Change] = [], skipped = 0
        for entry in entries {
            let connection = Connection.remote(node: node, user: entry.person.userID)
            let isNew = entry.activity != .gone && connections[connection]?.rooms.contains(entry.room) != true
            if isNew, count >= maxEntries {
                skipped += 1
                continue
            }
            if isNew { count += 1 }
            if entry.activity == .gone, connections[connection]?.rooms.contains(entry.room) == true { count -= 1 }
            changes += set(entry, connection: connection, now: now)
        }
        return (changes, skipped)
    }

    /// Makes `entries` everything known of `node` (a full state): its users and rooms not in
    /// them leave, the others are set as listed and their typing renewed. Past `maxEntries`
    /// the rest are skipped. Returns the changes and how many entries were skipped.
    public mutating func replace(node: String, with entries: [NodeEntry], maxEntries: Int, now: Date) -> (changes: [Change], skipped: Int) {
        let kept = entries.filter { $0.activity != .gone }.prefix(maxEntries)
        var wanted: [Int64: Set<String>] = [:]
        for entry in kept { wanted[entry.person.userID, default: []].insert(entry.room) }
        var changes: [Change] = []
        for (connection, membership) in connections.sorted(by: { $0.key < $1.key }) {
            guard case .remote(let owner, let user) = connection, owner == node else { continue }
            for room in membership.rooms.sorted() where wanted[user]?.contains(room) != true {
                changes += set(NodeEntry(person: membership.person, room: room, activity: .gone), connection: connection, now: now)
            }
        }
        for entry in kept { changes += set(entry, connection: .remote(node: node, user: entry.person.userID), now: now) }
        return (changes, entries.count - kept.count)
    }

    /// Forgets everything `node` published (it fell silent): its users leave and stop typing.
    public mutating func forget(node: String) -> [Change] {
        var changes: [Change] = []
        for connection in connections.keys.sorted() {
            guard case .remote(let owner, _) = connection, owner == node else { continue }
            changes += disconnect(connection)
        }
        return changes
    }

    /// The nodes the registry holds entries of.
    public var remoteNodes: Set<String> {
        Set(connections.keys.compactMap { connection in
            guard case .remote(let node, _) = connection else { return nil }
            return node
        })
    }

    /// Sets one remote user's activity in one room; a remote connection left in no room is removed.
    private mutating func set(_ entry: NodeEntry, connection: Connection, now: Date) -> [Change] {
        switch entry.activity {
        case .gone:
            let changes = leave(entry.room, connection: connection)
            if connections[connection]?.rooms.isEmpty == true { connections[connection] = nil }
            return changes
        case .viewing:
            return join(entry.room, connection: connection, person: entry.person, now: now) + stopTyping(entry.room, connection: connection)
        case .composing(let composing):
            return join(entry.room, connection: connection, person: entry.person, now: now)
                + typing(entry.room, connection: connection, composing: composing, now: now)
        }
    }
}
