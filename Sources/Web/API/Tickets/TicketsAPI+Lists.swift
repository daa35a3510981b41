import Foundation
import Realtime
import Tickets

extension TicketsAPI {
    static func registerLists(_ routes: APIRoutes) {
        let services = routes.services
        let tickets = services.tickets
        routes.api(.get, "/api/tickets", permission: .ticketView) { request in
            let page = try await tickets.list(try TicketListQuery.request(request.http.queryItems), for: request.actor)
            return try JSONBody.response(TicketPageJSON(tickets: try await TicketJSON.list(page.tickets, services, sla: page.sla),
                                                        nextCursor: page.nextCursor, total: page.totalCount))
        }
        routes.api(.get, "/api/presets", permission: .ticketView) { _ in
            try JSONBody.response(PresetsJSON(presets: TicketPreset.allCases.map(PresetJSON.init)))
        }
        routes.api(.post, "/api/tickets/bulk", permission: .ticketBulk, fields: ["assigneeId": "change.assigneeId"]) { request in
            let body = try request.decode(BulkBody.self)
            let selection = try body.selection()
            if let change = try body.action() {
                let result = try await tickets.bulkUpdate(selection, change, by: request.actor).value
                return try JSONBody.response(BulkResultJSON(
                    updated: result.updated.map(\.id.rawValue), deleted: [],
                    skipped: result.skipped.map { .init(id: $0.ticketID.rawValue, reason: $0.reason) }))
            }
            let deleted = try await tickets.bulkDelete(selection, by: request.actor).value
            var skipped: [BulkResultJSON.Skip] = []
            if case .ids(let ids) = selection {
                let gone = Set(deleted)
                skipped = ids.filter { !gone.contains($0) }.map { .init(id: $0.rawValue, reason: "Ticket not found.") }
            }
            return try JSONBody.response(BulkResultJSON(updated: [], deleted: deleted.map(\.rawValue), skipped: skipped))
        }
        routes.api(.get, "/api/tickets/export.pdf", permission: .ticketExport) { request in
            let items = request.http.queryItems
            let filterItems = items.filter { $0.name != "sort" }
            let filter = try TicketListQuery.filter(filterItems)
            let sort = try TicketListQuery.sort(items.last { $0.name == "sort" }?.value)
            let font = try PDFFont.font()
            let actor = request.actor
            // The first rows are read before the response starts: a refused filter is a 422.
            let first = try await tickets.exportTablePage(filter: filter, sort: sort, for: actor)
            let settings = AccountSettingsService(database: services.database, now: services.now)
            let account = try await settings.settings().name
            let logo = try await PDFBrand.logo(settings)
            let description = filterItems.isEmpty ? "all tickets" : filterItems.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: ", ")
            let body = StreamedBody()
            let at = services.now()
            Task {
                do {
                    try await TicketListPDF.stream(first: first, more: { try await tickets.exportTablePage(filter: filter, sort: sort, after: $0, for: actor) },
                                                   into: body, filter: description, account: account, logo: logo, at: at, font: font)
                    body.finish()
                } catch is StreamedBody.Cancelled {
                    body.finish(failed: true)
                } catch {
                    Log.error("ticket list PDF stopped part way: \(error)")
                    body.finish(failed: true)
                }
            }
            var response = HTTPResponse(status: .ok, body: .stream(body))
            response.headers.set("Content-Type", "application/pdf")
            response.headers.set("Content-Disposition", "attachment; filename=\"tickets.pdf\"")
            response.headers.set("X-Content-Type-Options", "nosniff")
            return response
        }
        routes.api(.get, "/api/tickets/export.csv", permission: .ticketExport) { request in
            let items = request.http.queryItems
            let filter = try TicketListQuery.filter(items.filter { $0.name != "sort" && $0.name != "bom" })
            let sort = try TicketListQuery.sort(items.last { $0.name == "sort" }?.value)
            let bom = ["1", "true"].contains(items.last { $0.name == "bom" }?.value ?? "")
            let csv = try await tickets.exportCSV(filter: filter, sort: sort, byteOrderMark: bom, for: request.actor)
            var response = HTTPResponse.text(csv, contentType: MediaTypes.csv)
            response.headers.set("Content-Disposition", "attachment; filename=\"tickets.csv\"")
            response.headers.set("X-Content-Type-Options", "nosniff")
            return response
        }
    }
}

/// A preset with the filter it stands for, in query-parameter form.
struct PresetJSON: Encodable {
    let id: String
    let name: String
    let filter: [String: String]

    init(_ preset: TicketPreset) {
        id = TicketPresets.apiName(preset)
        name = preset.displayName
        let f = preset.filter
        var filter: [String: String] = [:]
        if !f.statuses.isEmpty { filter["status"] = TicketStatus.allCases.filter(f.statuses.contains).map(\.rawValue).joined(separator: ",") }
        if !f.priorities.isEmpty { filter["priority"] = TicketPriority.allCases.filter(f.priorities.contains).map(\.rawValue).joined(separator: ",") }
        if !f.slaStatuses.isEmpty { filter["slaStatus"] = SLAStatus.allCases.filter(f.slaStatuses.contains).map(\.rawValue).joined(separator: ",") }
        switch f.assignee {
        case .none: break
        case .some(.me): filter["assignee"] = "me"
        case .some(.unassigned): filter["assignee"] = "none"
        case .some(.anyone): filter["assignee"] = "any"
        case .some(.agent(let id)): filter["assignee"] = String(id.rawValue)
        }
        self.filter = filter
    }
}

/// `{presets}`.
struct PresetsJSON: Encodable {
    let presets: [PresetJSON]
}
