import Testing
@testable import Presence

@Test func moduleLoads() { #expect(true) }
