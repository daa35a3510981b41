import Synchronization

/// A message for a room, encoded into a frame once per loop that has members.
public enum WebSocketMessage: Sendable {
    case text(String)
    case binary([UInt8])

    /// The frame as `socket` would send it. Compression never carries context between
    /// messages, so the frame is the same for every socket with the same `frameClass`.
    func frame(for socket: WebSocket) -> [UInt8] {
        switch self {
        case .text(let text): socket.proto.encodeText(text)
        case .binary(let bytes): socket.proto.encodeBinary(bytes)
        }
    }
}

/// Named groups of WebSockets across every event loop. A broadcast is handed to each loop
/// that has members in the room; each loop encodes the frame once and queues it on its
/// members. Delivery order per room is the order of `broadcast` calls from one thread.
public final class Rooms: Sendable {
    private let contexts: [LoopContext]
    /// Room -> the loops with at least one member, so a broadcast skips empty loops.
    private let occupancy = Mutex<[String: LoopSet]>([:])
    private let queued = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)

    init(contexts: [LoopContext]) {
        self.contexts = contexts
    }

    /// Records that loop `index` has (or no longer has) members in `room`.
    func loop(_ index: Int, occupies room: String, _ occupied: Bool) {
        occupancy.withLock { map in
            var loops = map[room] ?? LoopSet()
            if occupied { loops.insert(index) } else { loops.remove(index) }
            map[room] = loops.isEmpty ? nil : loops
        }
    }

    /// The loops with members in `room` (for tests).
    func occupiedLoops(_ room: String) -> LoopSet { occupancy.withLock { $0[room] ?? LoopSet() } }

    /// Sends `message` to every socket in `room` (except the socket `excluding`). Safe from
    /// any thread, and from a thread holding the caller's own locks: delivery on the
    /// caller's loop is inline, but a socket it closes is reported to its handler only at
    /// the end of the loop iteration. Delivery to sockets of another loop happens on that loop.
    public func broadcast(_ message: WebSocketMessage, to room: String, excluding: WebSocket? = nil) {
        let loops = occupancy.withLock { $0[room] }
        guard let loops else { return }
        let excludedID = excluding?.id
        for context in contexts where loops.contains(context.loop.index) {
            if context.loop.inLoop {
                record(context.rooms.deliver(message, room: room, excluding: excludedID))
            } else {
                context.loop.execute { [self] in
                    record(context.rooms.deliver(message, room: room, excluding: excludedID))
                }
            }
        }
    }

    /// Members of `room` across all loops (a snapshot; for metrics and tests).
    public func memberCount(_ room: String) async -> Int {
        var total = 0
        for context in contexts {
            total += await withCheckedContinuation { continuation in
                context.loop.execute { continuation.resume(returning: context.rooms.count(room)) }
            }
        }
        return total
    }

    /// Messages queued and dropped (slow consumers) by broadcasts so far.
    public var deliveryCounts: (queued: Int, dropped: Int) {
        (queued.load(ordering: .relaxed), dropped.load(ordering: .relaxed))
    }

    private func record(_ result: (queued: Int, dropped: Int)) {
        queued.add(result.queued, ordering: .relaxed)
        if result.dropped > 0 { dropped.add(result.dropped, ordering: .relaxed) }
    }
}
