import Foundation
import Testing
@testable import Tickets

@Suite("CannedResponses")
struct CannedResponseTests {
    let values = CannedTemplate.values(requesterName: "Grace Brewster Hopper", requesterEmail: "grace@example.com",
                                       reference: "TKT-042", subject: "Printer on fire", agentName: "Ada")

    @Test("every documented placeholder is filled; spaces inside the braces are allowed")
    func placeholders() throws {
        let rendered = try CannedTemplate.render(
            "Hi {{requester.firstName}} ({{ requester.name }}), about {{ticket.reference}} “{{ticket.subject}}”. — {{agent.name}}",
            values: values)
        #expect(rendered.body == "Hi Grace (Grace Brewster Hopper), about TKT-042 “Printer on fire”. — Ada")
        #expect(rendered.unknownPlaceholders.isEmpty)
        #expect(Set(values.keys) == Set(CannedTemplate.placeholders.map(\.name)))
    }

    @Test("unknown placeholders and unclosed braces stay exactly as written and are reported once")
    func unknown() throws {
        let rendered = try CannedTemplate.render("{{customer.age}} {{customer.age}} {{agent.name}} {{unclosed", values: values)
        #expect(rendered.body == "{{customer.age}} {{customer.age}} Ada {{unclosed")
        #expect(rendered.unknownPlaceholders == ["customer.age"])
    }

    @Test("a requester without a name is greeted by email")
    func emailFallback() throws {
        let noName = CannedTemplate.values(requesterName: " ", requesterEmail: "x@example.com", reference: "TKT-001",
                                           subject: "s", agentName: "A")
        #expect(try CannedTemplate.render("{{requester.firstName}}", values: noName).body == "x@example.com")
    }

    @Test("a body repeating a placeholder cannot render more than the documented maximum")
    func renderedSizeBounded() {
        let long = CannedTemplate.values(requesterName: String(repeating: "n", count: 200), requesterEmail: "x@example.com",
                                         reference: "TKT-001", subject: String(repeating: "s", count: 250), agentName: "A")
        let body = String(repeating: "{{ticket.subject}}{{requester.name}}", count: 20_000 / 36)
        #expect(throws: DomainError.self) { _ = try CannedTemplate.render(body, values: long) }
        #expect(throws: Never.self) { _ = try CannedTemplate.render(String(body.prefix(3_600)), values: long) }
    }

    @Test("search matches every keyword in title or body in any case, with LIKE wildcards taken literally")
    func search() async throws {
        let fixture = try Fixture()
        let service = CannedResponseService(database: fixture.database, now: fixture.clock.clock)
        _ = try await service.create(CannedResponseDraft(title: "Refund ÉTÉ", body: "We refunded 100% of it."), by: .system)
        _ = try await service.create(CannedResponseDraft(title: "Password reset", body: "Use the_link", category: .account), by: .system)
        #expect(try await service.search("été", for: .system).map(\.title) == ["Refund ÉTÉ"])
        #expect(try await service.search("REFUNDED 100%", for: .system).count == 1)
        #expect(try await service.search("%", for: .system).map(\.title) == ["Refund ÉTÉ"])
        #expect(try await service.search("the_link", for: .system).map(\.title) == ["Password reset"])
        #expect(try await service.search("e_l", for: .system).map(\.title) == ["Password reset"])
        #expect(try await service.search("x_y", for: .system).isEmpty)
        #expect(try await service.search("", category: .account, for: .system).map(\.title) == ["Password reset"])
        #expect(try await service.search("", for: .system).count == 2)
    }

    @Test("responses are listed by title in any case, then by id")
    func listedByTitle() async throws {
        let fixture = try Fixture()
        let service = CannedResponseService(database: fixture.database, now: fixture.clock.clock)
        for title in ["billing", "Apology", "Closing", "apology"] {
            _ = try await service.create(CannedResponseDraft(title: title, body: "Body of \(title)."), by: .system)
        }
        #expect(try await service.search("", for: .system).map(\.title) == ["Apology", "apology", "billing", "Closing"])
    }

    @Test("changes need canned.manage and validate the title")
    func permissions() async throws {
        let fixture = try Fixture()
        let agent = try await fixture.agent("Plain", role: .agent)
        let service = CannedResponseService(database: fixture.database, now: fixture.clock.clock)
        #expect(await domainError(.forbidden) { _ = try await service.create(CannedResponseDraft(title: "t", body: "b"), by: agent) } != nil)
        let blank = await domainError(.validation) { _ = try await service.create(CannedResponseDraft(title: " ", body: "b"), by: .system) }
        #expect(blank?.field == "title")
    }
}
