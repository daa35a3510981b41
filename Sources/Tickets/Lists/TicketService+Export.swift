import Foundation

extension TicketService {
    static let exportHeader = ["Reference", "Subject", "Status", "Priority", "Category", "Channel", "Requester",
                               "Requester Email", "Assignee", "Tags", "Due", "Created", "Updated", "Resolved", "Closed"]
    public static let exportPageSize = 500

    /// The tickets matching `filter` in `sort` order as CSV (header first, CRLF lines, formula
    /// cells neutralised), optionally with a UTF-8 BOM. Reads page by page with the keyset
    /// cursor. Needs `ticket.export`.
    public func exportCSV(filter: TicketFilter, sort: TicketSort = TicketSort(), byteOrderMark: Bool = false,
                          for viewer: Actor) async throws -> String {
        try require(.ticketExport, for: viewer)
        let agent = viewer.agentID
        return try await database.read { db in
            let base = try TicketListPlanner.for(db).query(filter, viewer: agent, purpose: .exact, textMatches: nil, db)
            let agents = try TicketListRecord.agentNames(db)
            var csv = (byteOrderMark ? CSVWriter.byteOrderMark : "") + CSVWriter.line(Self.exportHeader)
            var cursor: ListCursor?
            repeat {
                let (tickets, next) = try TicketListRecord.page(base, sort: sort, after: cursor, limit: Self.exportPageSize, db)
                let contacts = try Self.contacts(Set(tickets.map(\.requesterID)), db)
                for ticket in tickets {
                    let requester = contacts[ticket.requesterID]
                    csv += CSVWriter.line([
                        ticket.reference, ticket.subject, ticket.status.displayName, ticket.priority.displayName,
                        ticket.category.displayName, ticket.channel.displayName, requester?.name ?? "", requester?.email ?? "",
                        ticket.assigneeID.flatMap { agents[$0] } ?? "", ticket.tags.joined(separator: " "),
                        Self.iso(ticket.dueAt), Self.iso(ticket.createdAt), Self.iso(ticket.updatedAt),
                        Self.iso(ticket.resolvedAt), Self.iso(ticket.closedAt),
                    ])
                }
                cursor = next
            } while cursor != nil
            return csv
        }
    }

    /// Most tickets one list PDF holds. It is streamed page by page in constant memory, so the
    /// bound is about reading, not memory: 200,000 rows are some 8,000 pages; past that a
    /// person wants the CSV.
    public static let maxPDFRows = 200_000

    /// The columns of the list PDF, in order.
    public static let exportTableHeader = ["Reference", "Subject", "Status", "Priority", "Category", "Channel", "Requester",
                                           "Assignee", "Created", "Updated"]

    /// Where the next page of a list export starts (opaque).
    public struct ExportPosition: Sendable {
        let cursor: ListCursor
    }

    /// One page of the tickets matching `filter` in `sort` order as table rows
    /// (`exportTableHeader` columns, dates as `YYYY-MM-DD HH:MM` UTC), at most `limit` (up to
    /// `exportPageSize`), after `position`; `next` is nil after the last page. Each page is its
    /// own read, so a long export holds no transaction open (a ticket changed meanwhile may
    /// move, as in the paged list). Needs `ticket.export`; throws `.validation` for the filter.
    public func exportTablePage(filter: TicketFilter, sort: TicketSort = TicketSort(), after position: ExportPosition? = nil,
                                limit: Int = exportPageSize, for viewer: Actor) async throws
        -> (rows: [[String]], next: ExportPosition?)
    {
        try require(.ticketExport, for: viewer)
        let agent = viewer.agentID
        return try await database.read { db in
            let base = try TicketListPlanner.for(db).query(filter, viewer: agent, purpose: .exact, textMatches: nil, db)
            let (tickets, next) = try TicketListRecord.page(base, sort: sort, after: position?.cursor, limit: min(max(limit, 1), Self.exportPageSize), db)
            let contacts = try Self.contacts(Set(tickets.map(\.requesterID)), db)
            let agents = try TicketListRecord.agentNames(Set(tickets.compactMap(\.assigneeID)), db)
            let rows = tickets.map { ticket in
                [ticket.reference, ticket.subject, ticket.status.displayName, ticket.priority.displayName,
                 ticket.category.displayName, ticket.channel.displayName, contacts[ticket.requesterID]?.name ?? "",
                 ticket.assigneeID.flatMap { agents[$0] } ?? "", Self.minute(ticket.createdAt), Self.minute(ticket.updatedAt)]
            }
            return (rows, next.map(ExportPosition.init))
        }
    }

    private static func minute(_ date: Date) -> String {
        String(ISO8601DateFormatter().string(from: date).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    private static func contacts(_ ids: Set<ContactID>, _ db: Connection) throws -> [ContactID: Contact] {
        var result: [ContactID: Contact] = [:]
        for id in ids { if let contact = try ContactStore.find(id, db) { result[id] = contact } }
        return result
    }

    private static func iso(_ date: Date?) -> String {
        date.map { ISO8601DateFormatter().string(from: $0) } ?? ""
    }
}
