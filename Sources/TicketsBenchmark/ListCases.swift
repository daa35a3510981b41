import Foundation
import Tickets

/// One list measurement: a name and how to build each iteration's request.
struct ListCase {
    let name: String
    /// Time the page after the first (through its cursor) instead of the first page.
    var secondPage = false
    let request: (inout SeededGenerator) -> TicketListRequest
}

/// The list, filter, sort, preset, paging and search cases.
enum ListCases {
    static let end = Date(timeIntervalSince1970: 1_767_225_600)

    static func filtered(_ name: String, sort: TicketSort = TicketSort(), secondPage: Bool = false,
                         _ configure: @escaping (inout TicketFilter, inout SeededGenerator) -> Void) -> ListCase {
        ListCase(name: name, secondPage: secondPage) { random in
            var filter = TicketFilter()
            configure(&filter, &random)
            return TicketListRequest(filter: filter, sort: sort, limit: 50)
        }
    }

    /// What the search box measurements type (`TicketService.search`, 10 results).
    static let searchBox: [(String, [String])] = [
        ("short prefix", ["pa", "in", "lo", "er", "re"]),
        ("word", ["printer", "password", "invoice", "error", "login"]),
        ("reference", ["TKT-500000", "123456", "#999999"]),
        ("requester", ["Contact 1234", "contact77@customer76", "Contact 15"]),
    ]

    static func search(_ name: String, _ words: [String]) -> ListCase {
        filtered("search: \(name)") { filter, random in filter.text = words[Int.random(in: 0..<words.count, using: &random)] }
    }

    static func all() -> [ListCase] {
        let agent = { (r: inout SeededGenerator) in AgentID(Int64.random(in: 1...50, using: &r)) }
        var cases: [ListCase] = [
            filtered("no filter") { _, _ in },
            filtered("status = open") { f, _ in f.statuses = [.open] },
            filtered("status = closed") { f, _ in f.statuses = [.closed] },
            filtered("status in (open, pending)") { f, _ in f.statuses = [.open, .pending] },
            filtered("priority = urgent") { f, _ in f.priorities = [.urgent] },
            filtered("category = billing") { f, _ in f.categories = [.billing] },
            filtered("channel = phone") { f, _ in f.channels = [.phone] },
            filtered("assignee = agent") { f, r in f.assignee = .agent(agent(&r)) },
            filtered("assignee = me") { f, _ in f.assignee = .me },
            filtered("assignee = none") { f, _ in f.assignee = .unassigned },
            filtered("assignee = any") { f, _ in f.assignee = .anyone },
            filtered("tag = common (vip)") { f, _ in f.tag = "vip" },
            filtered("tag = rare (l10n)") { f, _ in f.tag = "l10n" },
            filtered("requester = contact") { f, r in f.requesterID = ContactID(Int64.random(in: 1...20_000, using: &r)) },
            filtered("created in last 7 days") { f, _ in f.createdFrom = end.addingTimeInterval(-7 * 86_400) },
            filtered("updated in a month a year ago") { f, _ in
                f.updatedFrom = end.addingTimeInterval(-395 * 86_400); f.updatedBefore = end.addingTimeInterval(-365 * 86_400)
            },
            filtered("open + high priority") { f, _ in f.statuses = [.open]; f.priorities = [.high] },
            filtered("active + unassigned + billing") { f, _ in
                f.statuses = [.open, .pending, .inProgress, .onHold]; f.assignee = .unassigned; f.categories = [.billing]
            },
            filtered("closed + agent + email") { f, r in f.statuses = [.closed]; f.assignee = .agent(agent(&r)); f.channels = [.email] },
            filtered("tag vip + status open") { f, _ in f.tag = "vip"; f.statuses = [.open] },
        ]
        for field in TicketSortField.allCases {
            for descending in [true, false] {
                cases.append(filtered("sort \(field.rawValue) \(descending ? "desc" : "asc")",
                                      sort: TicketSort(field, descending: descending)) { _, _ in })
            }
        }
        cases.append(filtered("status = open, sort priority asc", sort: TicketSort(.priority, descending: false)) { f, _ in
            f.statuses = [.open]
        })
        cases.append(filtered("category = billing, sort due asc", sort: TicketSort(.due, descending: false)) { f, _ in
            f.categories = [.billing]
        })
        cases.append(filtered("assignee = agent, sort priority asc", sort: TicketSort(.priority, descending: false)) { f, r in
            f.assignee = .agent(agent(&r))
        })
        cases.append(filtered("tag = common (vip), sort created asc", sort: TicketSort(.created, descending: false)) { f, _ in
            f.tag = "vip"
        })
        cases += TicketPreset.allCases.map { preset in
            ListCase(name: "preset \(preset.rawValue)") { _ in TicketListRequest(filter: preset.filter, limit: 50) }
        }
        cases.append(filtered("next page: no filter", secondPage: true) { _, _ in })
        cases.append(filtered("next page: open by due", sort: TicketSort(.due, descending: false), secondPage: true) { f, _ in
            f.statuses = [.open]
        })
        cases.append(filtered("next page: preset my_open", secondPage: true) { f, _ in f = TicketPreset.myOpen.filter })
        cases += [
            search("common word", ["printer", "password", "invoice", "error", "login"]),
            search("rare word", ["kalomi", "vexmorzil", "tiquhul", "dexlinne", "sazeru"]),
            search("two words", ["printer error", "password reset", "invoice refund", "login failed"]),
            search("phrase", ["\"password reset\"", "\"login failed\"", "\"printer error\""]),
            // Two letters typed: hundreds of index terms start with them (an FTS5 prefix query).
            search("short prefix", ["pa", "in", "lo", "er", "re"]),
            filtered("search common word + status open") { f, _ in f.text = "printer"; f.statuses = [.open] },
            // Issue 16: the list's q also finds references and requesters.
            search("reference", ["TKT-500000", "123456", "#999999", "TKT-042", "77777"]),
            search("requester name", ["Contact 1234", "Contact 777", "Contact 15001", "Contact 42"]),
            search("requester email", ["contact1234@customer233.example", "contact77@customer76", "contact15001@"]),
        ]
        return cases
    }
}
