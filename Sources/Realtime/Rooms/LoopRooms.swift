/// The members of one room on one loop.
final class RoomMembers {
    var sockets: [WebSocket] = []
}

/// One loop's share of every room: the sockets of this loop in each room. Touched only on
/// the loop's thread, so joining, leaving and delivering take no lock.
final class LoopRooms {
    private var rooms: [String: RoomMembers] = [:]

    func join(_ socket: WebSocket, room: String, server: Server) {
        socket.loop.assertInLoop()
        guard socket.memberships[room] == nil, !socket.connection.isClosed else { return }
        let members: RoomMembers
        if let existing = rooms[room] {
            members = existing
        } else {
            members = RoomMembers()
            rooms[room] = members
            server.rooms.loop(socket.connection.context.loop.index, occupies: room, true)
        }
        socket.memberships[room] = members.sockets.count
        members.sockets.append(socket)
    }

    func leave(_ socket: WebSocket, room: String, server: Server) {
        socket.loop.assertInLoop()
        guard let index = socket.memberships.removeValue(forKey: room), let members = rooms[room] else { return }
        let last = members.sockets.removeLast()
        if index < members.sockets.count {
            members.sockets[index] = last
            last.memberships[room] = index
        }
        if members.sockets.isEmpty {
            rooms[room] = nil
            server.rooms.loop(socket.connection.context.loop.index, occupies: room, false)
        }
    }

    func leaveAll(_ socket: WebSocket, server: Server) {
        for room in Array(socket.memberships.keys) { leave(socket, room: room, server: server) }
    }

    /// Number of this loop's sockets in `room`.
    func count(_ room: String) -> Int { rooms[room]?.sockets.count ?? 0 }

    /// Queues `message` on every member socket except `excluded`, encoding the frame once
    /// per frame class (plain, or compressed with a given window) present in the room.
    func deliver(_ message: WebSocketMessage, room: String, excluding excluded: UInt64?) -> (queued: Int, dropped: Int) {
        guard let members = rooms[room] else { return (0, 0) }
        var frames: [(frameClass: Int, bytes: [UInt8])] = []
        var queued = 0, dropped = 0
        // Sending may close a too-slow socket, which leaves the room at once (its handler
        // hears of it at the end of the iteration): iterate over a copy.
        for socket in members.sockets where socket.id != excluded {
            let frameClass = socket.frameClass
            let frame: [UInt8]
            if let cached = frames.first(where: { $0.frameClass == frameClass }) {
                frame = cached.bytes
            } else {
                frame = message.frame(for: socket)
                frames.append((frameClass, frame))
            }
            if socket.sendOnLoop(frame) == .queued { queued += 1 } else { dropped += 1 }
        }
        return (queued, dropped)
    }
}
