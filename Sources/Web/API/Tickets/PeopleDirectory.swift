import Foundation
import Tickets

/// Names for the ids inside tickets, messages and audit entries, loaded once per response:
/// every agent (a small table) and the contacts a response mentions.
struct PeopleDirectory: Sendable {
    var agents: [AgentID: Agent] = [:]
    var contacts: [ContactID: Contact] = [:]

    /// Loads every agent and the contacts `contactIDs`. Lookups run as the system: the route
    /// already checked that the caller may see the tickets these names decorate.
    static func load(_ services: Services, contacts contactIDs: some Sequence<ContactID>) async throws -> PeopleDirectory {
        var directory = PeopleDirectory()
        for agent in try await services.accounts.agents() { directory.agents[agent.id] = agent }
        for id in Set(contactIDs) {
            if let contact = try? await services.tickets.contact(id, for: .system) { directory.contacts[id] = contact }
        }
        return directory
    }

    /// `{id, name, email}` for contact `id` (name and email empty if it vanished).
    func requester(_ id: ContactID) -> RequesterJSON {
        let contact = contacts[id]
        return RequesterJSON(id: id.rawValue, name: contact?.name ?? "", email: contact?.email ?? "")
    }

    /// `{id, name}` for agent `id`, or nil.
    func agent(_ id: AgentID?) -> AgentRefJSON? {
        id.map { AgentRefJSON(id: $0.rawValue, name: agents[$0]?.name ?? "") }
    }
}
