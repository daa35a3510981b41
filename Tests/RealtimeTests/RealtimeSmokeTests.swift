import Testing
@testable import Realtime

@Test func moduleLoads() { #expect(true) }
