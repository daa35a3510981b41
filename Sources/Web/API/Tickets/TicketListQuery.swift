import Foundation
import Realtime
import Tickets

/// The list filters as query parameters (and as the `filter` object of bulk requests):
/// `status`, `priority`, `category`, `channel` (repeatable or comma lists), `assignee`
/// (id, `me`, `none`, `any`), `tag`, `requester`, `createdFrom`/`createdTo`/`updatedFrom`/
/// `updatedTo` (ISO 8601 date or date-time; `...To` is inclusive), `q`, `slaStatus`
/// (`on_track`, `breaching`, `breached`, also `paused`, `met`, `none`), plus `preset`.
/// Every bad value is a 422 naming its parameter; unknown parameters too (typos would
/// otherwise silently widen a list or a bulk change).
enum TicketListQuery {
    static let filterNames: Set<String> = [
        "status", "priority", "category", "channel", "assignee", "tag", "requester",
        "createdFrom", "createdTo", "updatedFrom", "updatedTo", "q", "slaStatus", "preset",
    ]
    static let pagingNames: Set<String> = ["sort", "limit", "cursor", "bom"]
    /// Cursors the server hands out are a few dozen bytes; anything longer is not one of them.
    static let maxCursorBytes = 512

    /// The filter for `items` (the preset's filter, narrowed by the explicit parameters).
    static func filter(_ items: [(name: String, value: String)], allowing extra: Set<String> = []) throws -> TicketFilter {
        var values: [String: [String]] = [:]
        let filterItems = items.filter { !pagingNames.contains($0.name) }
        guard filterItems.count <= FieldLimits.filterValues else {
            throw ProblemError.unprocessable("Use at most \(FieldLimits.filterValues) filter values.", field: filterItems.last?.name)
        }
        for item in items {
            guard filterNames.contains(item.name) || extra.contains(item.name) else {
                throw ProblemError.unprocessable("Unknown parameter.", field: item.name)
            }
            values[item.name, default: []].append(item.value)
        }
        var filter = TicketFilter()
        if let raw = try single(values, "preset") {
            guard let preset = TicketPresets.preset(raw) else { throw invalid("preset", raw) }
            filter = preset.filter
        }
        filter.statuses = try set(values, "status", TicketStatus.init(rawValue:)) ?? filter.statuses
        filter.priorities = try set(values, "priority", TicketPriority.init(rawValue:)) ?? filter.priorities
        filter.categories = try set(values, "category", TicketCategory.init(rawValue:)) ?? filter.categories
        filter.channels = try set(values, "channel", TicketChannel.init(rawValue:)) ?? filter.channels
        filter.slaStatuses = try set(values, "slaStatus", SLAStatus.init(rawValue:)) ?? filter.slaStatuses
        if let raw = try single(values, "assignee") {
            guard let assignee = AssigneeFilter(apiValue: raw) else { throw invalid("assignee", raw) }
            filter.assignee = assignee
        }
        if let raw = try single(values, "tag") {
            guard raw.count <= FieldLimits.tag else {
                throw ProblemError.unprocessable("Tags are up to \(FieldLimits.tag) characters.", field: "tag")
            }
            filter.tag = raw
        }
        if let raw = try single(values, "requester") {
            guard let id = Int64(raw), id > 0 else { throw invalid("requester", raw) }
            filter.requesterID = ContactID(id)
        }
        if let raw = try single(values, "createdFrom") { filter.createdFrom = try date(raw, "createdFrom", upper: false) }
        if let raw = try single(values, "createdTo") { filter.createdBefore = try date(raw, "createdTo", upper: true) }
        if let raw = try single(values, "updatedFrom") { filter.updatedFrom = try date(raw, "updatedFrom", upper: false) }
        if let raw = try single(values, "updatedTo") { filter.updatedBefore = try date(raw, "updatedTo", upper: true) }
        if let raw = try single(values, "q") {
            guard raw.count <= FieldLimits.searchText else {
                throw ProblemError.unprocessable("Keep searches under \(FieldLimits.searchText) characters.", field: "q")
            }
            filter.text = raw
        }
        return filter
    }

    /// `sort`: a field (`updated`, `created`, `priority`, `due`, `reference`), `-` first for
    /// descending. Default: `-updated`.
    static func sort(_ raw: String?) throws -> TicketSort {
        guard let raw, !raw.isEmpty else { return TicketSort() }
        let descending = raw.hasPrefix("-")
        guard let field = TicketSortField(rawValue: descending ? String(raw.dropFirst()) : raw) else { throw invalid("sort", raw) }
        return TicketSort(field, descending: descending)
    }

    /// `limit`: 1 to 200, default 50.
    static func limit(_ raw: String?) throws -> Int {
        try APIQuery.limit(raw, default: 50, max: TicketListRequest.maxLimit)
    }

    /// The whole list request from a query string.
    static func request(_ items: [(name: String, value: String)]) throws -> TicketListRequest {
        let filter = try filter(items, allowing: pagingNames)
        let cursor = items.last { $0.name == "cursor" }?.value
        guard (cursor?.utf8.count ?? 0) <= maxCursorBytes else { throw invalid("cursor", cursor ?? "") }
        return TicketListRequest(filter: filter, sort: try sort(items.last { $0.name == "sort" }?.value),
                                 limit: try limit(items.last { $0.name == "limit" }?.value),
                                 cursor: cursor?.isEmpty == true ? nil : cursor)
    }

    private static func single(_ values: [String: [String]], _ name: String) throws -> String? {
        guard let list = values[name] else { return nil }
        guard list.count == 1 else { throw ProblemError.unprocessable("Give this parameter once.", field: name) }
        return list[0]
    }

    private static func set<T: Hashable>(_ values: [String: [String]], _ name: String, _ make: (String) -> T?) throws -> Set<T>? {
        guard let list = values[name] else { return nil }
        var result = Set<T>()
        for raw in list.flatMap({ $0.split(separator: ",") }) {
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard let value = make(text) else { throw invalid(name, text) }
            result.insert(value)
        }
        return result
    }

    /// A date-only value means midnight UTC; as an upper bound the whole day is included.
    private static func date(_ raw: String, _ name: String, upper: Bool) throws -> Date {
        if let instant = try? Date(raw, strategy: .iso8601) { return upper ? instant.addingTimeInterval(0.001) : instant }
        let day = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day()
        if let start = try? Date(raw, strategy: day) { return upper ? start.addingTimeInterval(86_400) : start }
        throw ProblemError.unprocessable("Use an ISO 8601 date (2024-05-01) or date-time (2024-05-01T09:00:00Z).", field: name)
    }

    private static func invalid(_ name: String, _ value: String) -> ProblemError {
        ProblemError.unprocessable("\"\(value.prefix(50))\" is not a valid \(name).", field: name)
    }
}

/// The built-in presets under their API names (`my-open`, `urgent-unassigned`, `sla-breaching`).
enum TicketPresets {
    /// The preset named `name` (`my-open` or the domain's `my_open`).
    static func preset(_ name: String) -> TicketPreset? {
        TicketPreset(rawValue: name.replacingOccurrences(of: "-", with: "_"))
    }

    /// The API name of `preset`.
    static func apiName(_ preset: TicketPreset) -> String { preset.rawValue.replacingOccurrences(of: "_", with: "-") }
}
