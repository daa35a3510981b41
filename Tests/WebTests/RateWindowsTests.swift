import Testing
@testable import Web

@Suite("Rate windows")
struct RateWindowsTests {
    @Test("hits up to the limit pass, the next is refused with the seconds left in its window")
    func limit() {
        var windows = RateWindows(limit: 3, windowSeconds: 60)
        #expect((0..<3).map { _ in windows.hit("a", now: 100) } == [nil, nil, nil])
        #expect(windows.hit("a", now: 110) == 50)
        #expect(windows.blocked("a", now: 159.5) == 1)
        #expect(windows.hit("b", now: 110) == nil, "keys count apart")
    }

    @Test("a new window starts once the old one is over")
    func reset() {
        var windows = RateWindows(limit: 1, windowSeconds: 10)
        #expect(windows.hit("a", now: 0) == nil)
        #expect(windows.blocked("a", now: 9.9) != nil)
        #expect(windows.blocked("a", now: 10) == nil)
        #expect(windows.hit("a", now: 10) == nil)
    }

    @Test("a flood of fresh keys never grows the table past its bound")
    func bounded() {
        var windows = RateWindows(limit: 1, windowSeconds: 60, maxKeys: 100)
        for n in 0..<10_000 { _ = windows.hit("k\(n)", now: Double(n) / 1000) }
        #expect(windows.hit("k9999", now: 10) != nil, "the newest key is still counted")
        let keys = Mirror(reflecting: windows).children.first { $0.label == "windows" }?.value as? [String: Any]
        #expect((keys?.count ?? 0) <= 100)
    }
}
