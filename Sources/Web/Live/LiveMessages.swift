import Foundation
import Presence

/// A message from a client on `/api/live` (see protocol.md section 2.3).
struct ClientMessage: Decodable, Sendable {
    enum Kind: String, Decodable, Sendable {
        case subscribe, unsubscribe, typing, stopTyping, ping
    }

    let type: Kind
    let room: String?
    /// For `subscribe`: the last sequence number the client saw in this room.
    let since: Int?
    /// For `typing`: what is being composed.
    let composing: PresenceRegistry.Composing?
    /// Echoed in `ack` and `error` so a client can match answers to requests.
    let id: RequestID?

    /// A client-chosen correlation id: a string or a number, echoed as given.
    enum RequestID: Codable, Sendable, Equatable {
        case string(String)
        case number(Int)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .string(try container.decode(String.self)) }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            }
        }
    }
}

/// Everything the server sends on `/api/live`, encoded once per broadcast.
enum ServerMessage {
    struct PersonJSON: Encodable, Sendable {
        let userId: Int64
        let name: String
        let initials: String
        var composing: PresenceRegistry.Composing?

        init(_ person: PresenceRegistry.Person, composing: PresenceRegistry.Composing? = nil) {
            userId = person.userID
            name = person.name
            initials = person.initials
            self.composing = composing
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Encodes `value` as one JSON text message.
    static func text<T: Encodable>(_ value: T) -> String {
        // Every message type is a plain struct of strings, numbers and arrays: encoding cannot fail.
        String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    struct Hello: Encodable {
        let type = "hello"
        let protocolVersion = 1
        let user: PersonJSON
        let permissions: [String]
        let heartbeatSeconds: Int
    }

    struct Subscribed: Encodable {
        let type = "subscribed"
        let room: String
        let seq: Int
        let viewers: [PersonJSON]?
        let typing: [PersonJSON]?
        let id: ClientMessage.RequestID?
    }

    struct Presence: Encodable {
        let type = "presence"
        let room: String
        let viewers: [PersonJSON]
    }

    struct Typing: Encodable {
        let type = "typing"
        let room: String
        let typing: [PersonJSON]
    }

    struct Viewing: Encodable {
        let type = "viewing"
        let room = LiveRooms.board
        let ticketId: Int64
        let viewers: [PersonJSON]
    }

    struct Resync: Encodable {
        let type = "resync"
        let room: String
        let seq: Int
    }

    struct Ack: Encodable {
        let type = "ack"
        let id: ClientMessage.RequestID?
    }

    struct Pong: Encodable {
        let type = "pong"
    }

    struct Failure: Encodable {
        let type = "error"
        let code: String
        let message: String
        let id: ClientMessage.RequestID?
    }
}

/// Room names of the live endpoint.
enum LiveRooms {
    static let board = "board"
    static let notifications = "notifications"

    static func ticket(_ id: Int64) -> String { "ticket:\(id)" }

    /// The ticket id of a `ticket:<id>` room.
    static func ticketID(of room: String) -> Int64? {
        guard room.hasPrefix("ticket:"), let id = Int64(room.dropFirst("ticket:".count)), id > 0 else { return nil }
        return id
    }

    /// The internal room of one agent's notification feed (clients name it `notifications`).
    static func feed(of userID: Int64) -> String { "feed:\(userID)" }
}
