import Foundation
import Realtime
import Tickets

/// `POST /api/tickets/bulk`: a selection (`ids`, or `filter` with the list's query keys as
/// strings, numbers or arrays of them) and either `change` or `delete: true`.
struct BulkBody: Decodable {
    struct ChangeBody: Decodable {
        let change: BulkChange

        private enum Keys: String, CodingKey { case status, priority, category, assigneeId }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            var change = BulkChange()
            change.status = try c.decodeIfPresent(TicketStatus.self, forKey: .status)
            change.priority = try c.decodeIfPresent(TicketPriority.self, forKey: .priority)
            change.category = try c.decodeIfPresent(TicketCategory.self, forKey: .category)
            if c.contains(.assigneeId) {
                change.assigneeID = .some(try c.decodeNil(forKey: .assigneeId) ? nil : AgentID(try c.decode(Int64.self, forKey: .assigneeId)))
            }
            self.change = change
        }
    }

    /// How many ids one request may name.
    static let maxIDs = 1_000

    let ids: [Int64]?
    let filter: [String: JSONValue]?
    let change: ChangeBody?
    let delete: Bool?

    /// The selection. 422 naming `ids`/`filter` when both or neither are given or a value is bad.
    func selection() throws -> TicketSelection {
        switch (ids, filter) {
        case (let ids?, nil):
            guard !ids.isEmpty, ids.count <= Self.maxIDs else {
                throw ProblemError.unprocessable("Select 1 to \(Self.maxIDs) tickets.", field: "ids")
            }
            return .ids(ids.map(TicketID.init))
        case (nil, let filter?):
            var items: [(name: String, value: String)] = []
            for (name, value) in filter.sorted(by: { $0.key < $1.key }) {
                for text in try Self.strings(value, field: "filter." + name) { items.append((name, text)) }
                guard items.count <= FieldLimits.filterValues else {
                    throw ProblemError.unprocessable("Use at most \(FieldLimits.filterValues) filter values.", field: "filter." + name)
                }
            }
            do {
                return .matching(try TicketListQuery.filter(items))
            } catch let error as ProblemError {
                throw ProblemError.unprocessable(error.detail, field: error.field.map { "filter." + $0 })
            }
        case (nil, nil), (.some, .some):
            throw ProblemError.unprocessable("Give either ids or filter.", field: "ids")
        }
    }

    /// What to do: `.some(change)` or nil for delete. 422 naming `change` when unclear.
    func action() throws -> BulkChange? {
        switch (change, delete ?? false) {
        case (let change?, false): return change.change
        case (nil, true): return nil
        case (nil, false), (.some, true):
            throw ProblemError.unprocessable("Give either change or delete: true.", field: "change")
        }
    }

    private static func strings(_ value: JSONValue, field: String) throws -> [String] {
        switch value {
        case .string(let text): return [text]
        case .number(let number) where number == number.rounded(): return [String(Int64(number))]
        case .bool(let flag): return [String(flag)]
        case .array(let values): return try values.flatMap { try strings($0, field: field) }
        case .null, .number, .object: throw ProblemError.unprocessable("Use a string, number or array of them.", field: field)
        }
    }
}

/// What a bulk request did: the ids changed (or deleted) and those left alone with why.
struct BulkResultJSON: Encodable {
    struct Skip: Encodable {
        let id: Int64
        let reason: String
    }

    let updated: [Int64]
    let deleted: [Int64]
    let skipped: [Skip]
}
