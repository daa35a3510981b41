import Foundation
import Testing
@testable import Tickets

/// The workflows' regular expressions: the syntax they accept, what they refuse when saved,
/// and that no pattern can make matching slow (no backtracking).
@Suite("BoundedPattern")
struct BoundedPatternTests {
    private func m(_ pattern: String, _ text: String) throws -> Bool { try BoundedPattern(pattern).matches(text) }

    @Test("literals, classes, sets, anchors, alternation and counted repetition match like the usual engines")
    func syntax() throws {
        #expect(try m("invoice", "Your INVOICE for May"))
        #expect(try !m("^invoice", "Your invoice"))
        #expect(try m("^re: ", "RE: hello"))
        #expect(try m("@bigcustomer\\.com$", "ann@BigCustomer.com"))
        #expect(try !m("@bigcustomer\\.com$", "ann@bigcustomer.com.evil.test"))
        #expect(try m("order #?\\d{4,6}\\b", "about order #12345 please"))
        #expect(try !m("order #?\\d{4,6}\\b", "about order #123"))
        #expect(try m("(refund|chargeback)s?", "Chargebacks pending"))
        #expect(try m("[a-c]x[^0-9]", "bxz"))
        #expect(try !m("[a-c]x[^0-9]", "bx7"))
        #expect(try m("a.c", "abc") && !m("a.c", "a\nc"))
        #expect(try m("colou?r", "color") && m("colou?r", "colour"))
        #expect(try m("(?:ab)+$", "xabab"))
        #expect(try m("\\bcat\\b", "a cat here") && !m("\\bcat\\b", "concatenate"))
        #expect(try m("\\s+urgent", "very  urgent"))
        #expect(try m("", "anything"))
        #expect(try m("ü", "ÜBER"))
    }

    @Test("backreferences, lookaround, unbalanced groups, huge counts and overlong patterns are refused with a reason")
    func refusals() {
        for bad in ["(a)\\1", "(?=a)", "(?!a)b", "(?<=a)b", "(ab", "ab)", "[ab", "a{1000}", "*a", "a{3,2}", "\\q", "a++",
                    String(repeating: "a", count: BoundedPattern.maxPatternLength + 1), "(a{100}){100}"] {
            #expect(throws: PatternError.self, "\(bad.prefix(30)) should be refused") { try BoundedPattern(bad) }
        }
    }

    @Test("catastrophic patterns for backtracking engines answer at once on hostile input")
    func catastrophic() throws {
        let hostile = String(repeating: "a", count: 10_000) + "!"
        let started = ContinuousClock.now
        for pattern in ["(a+)+$", "(a|aa)+$", "(a*)*b", "(x+x+)+y", "a*a*a*a*a*a*b", "(.*a){20}$"] {
            #expect(try !BoundedPattern(pattern).matches(hostile))
        }
        // Each is linear in the text: six patterns over 10,000 letters, far under a second in a debug build.
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("text past maxInputScalars is not looked at")
    func inputBound() throws {
        let text = String(repeating: "x", count: BoundedPattern.maxInputScalars) + "needle"
        #expect(try !m("needle", text))
        #expect(try m("needle", "x" + "needle"))
    }
}
