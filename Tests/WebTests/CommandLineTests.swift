import Realtime
import Testing
import Tickets
@testable import Web

@Suite struct OptionsTests {
    @Test("options take values with a space or '=', flags none, and bare arguments stay in order")
    func parsing() throws {
        var options = try Options(["add", "--email", "a@b.c", "--name=Ann", "--password-stdin", "extra"])
        let first = options.takePositional()
        #expect(first == "add")
        #expect(try options.take("--email") == "a@b.c")
        #expect(try options.require("--name") == "Ann")
        let flagged = options.takeFlag("--password-stdin")
        #expect(flagged)
        let leftover = options
        #expect(throws: UsageError.self) { try leftover.finish() }
        let second = options.takePositional()
        #expect(second == "extra")
        try options.finish()
    }

    @Test("an option without its value, a missing required one, and a bad port are usage errors")
    func errors() throws {
        #expect(throws: UsageError.self) { try Options(["--email"]) }
        let options = try Options(["--port", "70000"])
        #expect(throws: UsageError.self) { var copy = options; _ = try copy.require("--email") }
        #expect(throws: UsageError.self) { var copy = options; _ = try copy.takeInt("--port") }
    }

    @Test("--database takes a PostgreSQL URL, else HELPDESK_DATABASE; absent means SQLite in the data folder")
    func database() throws {
        var given = try Options(["--database", "postgres://ada:s3cret@db:5432/hd"])
        let location = try given.takeDatabase(environment: ["HELPDESK_DATABASE": "postgres://other@db/x"])
        #expect(location?.description == "postgres://ada:***@db:5432/hd")
        var fromEnvironment = try Options([])
        #expect(try fromEnvironment.takeDatabase(environment: ["HELPDESK_DATABASE": "postgresql://ops@db/hd"])?.description
                == "postgresql://ops@db/hd")
        var neither = try Options([])
        #expect(try neither.takeDatabase(environment: [:]) == nil)
    }

    @Test("a --database that is not a PostgreSQL URL is a usage error that never repeats the password")
    func badDatabase() throws {
        var file = try Options(["--database", "./data/helpdesk.sqlite"])
        #expect(throws: UsageError.self) { try file.takeDatabase(environment: [:]) }
        var broken = try Options(["--database", "postgres://ada:s3cret@db/hd?sslmode"])
        let error = #expect(throws: UsageError.self) { try broken.takeDatabase(environment: [:]) }
        #expect(error?.message.contains("s3cret") == false)
    }
}

@Suite struct RoleResolverTests {
    let roles: [(id: Int64, name: String)] = [(1, "Administrator"), (2, "Supervisor"), (3, "Agent"), (4, "7")]

    @Test("roles are found by name ignoring case and spaces")
    func byName() {
        #expect(RoleResolver.resolve(" administrator ", among: roles) == 1)
        #expect(RoleResolver.resolve("AGENT", among: roles) == 3)
    }

    @Test("a number is an id unless a role has that name; unknown ones resolve to nil")
    func byID() {
        #expect(RoleResolver.resolve("2", among: roles) == 2)
        #expect(RoleResolver.resolve("7", among: roles) == 4)
        #expect(RoleResolver.resolve("9", among: roles) == nil)
        #expect(RoleResolver.resolve("Wizard", among: roles) == nil)
    }
}

@Suite struct PermissionCatalogTests {
    @Test("every permission has a description")
    func described() {
        #expect(PermissionCatalog.entries.count == Permission.allCases.count)
        #expect(PermissionCatalog.entries.allSatisfy { !$0.description.isEmpty })
    }

    @Test("parsing names yields permissions; an unknown name is a 422 on the field")
    func parsing() throws {
        #expect(try PermissionCatalog.parse(["ticket.view", "ticket.view"]) == [.ticketView])
        #expect(throws: ProblemError.unprocessable("Unknown permission 'root'.", field: "permissions")) {
            try PermissionCatalog.parse(["ticket.view", "root"])
        }
    }
}
