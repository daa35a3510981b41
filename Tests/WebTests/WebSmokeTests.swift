import Testing
@testable import Web

@Test func moduleLoads() { #expect(true) }
