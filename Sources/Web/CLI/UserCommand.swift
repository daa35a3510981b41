import Foundation
import Tickets

/// `helpdesk user add --email E --name N --role R --password-stdin --data DIR`.
enum UserCommand {
    static func run(_ options: inout Options) throws -> Int32 {
        guard options.takePositional() == "add" else { throw UsageError("use: helpdesk user add --email E --name N --role R --password-stdin") }
        let email = try options.require("--email")
        let name = try options.require("--name")
        let roleText = try options.require("--role")
        let data = try options.take("--data") ?? "./data"
        let database = try options.takeDatabase()
        guard options.takeFlag("--password-stdin") else {
            throw UsageError("pass the password on standard input with --password-stdin (never as an argument)")
        }
        try options.finish()
        let password = readLine(strippingNewline: true) ?? ""
        guard !password.isEmpty else { throw UsageError("the password on standard input is empty") }
        let services = try Services(dataDirectory: data, database: database)
        let roles = try Blocking.run { try await services.accounts.roles() }
        guard let roleID = RoleResolver.resolve(roleText, among: roles.map { (id: $0.id.rawValue, name: $0.name) }) else {
            let names = roles.map(\.name).joined(separator: ", ")
            throw UsageError("no role '\(roleText)' (roles: \(names))")
        }
        let agent = try Blocking.run {
            try await services.accounts.createAgent(name: name, email: email, password: password, role: RoleID(roleID), by: .system)
        }
        let roleName = roles.first { $0.id.rawValue == roleID }?.name ?? ""
        print("added agent \(agent.id): \(agent.name) <\(agent.email)> as \(roleName)")
        return 0
    }
}

/// Finds a role by name (case-insensitive) or id, as typed on the command line.
enum RoleResolver {
    /// The id of the role named `text` (ignoring case and surrounding spaces) or whose id
    /// is `text`; nil when none matches.
    static func resolve(_ text: String, among roles: [(id: Int64, name: String)]) -> Int64? {
        let wanted = text.trimmingCharacters(in: .whitespaces)
        if let match = roles.first(where: { $0.name.caseInsensitiveCompare(wanted) == .orderedSame }) { return match.id }
        if let id = Int64(wanted), roles.contains(where: { $0.id == id }) { return id }
        return nil
    }
}
