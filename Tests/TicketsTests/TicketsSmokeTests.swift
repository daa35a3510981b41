import Testing
@testable import Tickets

@Test func moduleLoads() { #expect(true) }
