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

/// The literal prefilter (`PatternLiterals`): which literals a pattern needs or that prove a
/// match, and that answering from them never differs from running the automaton.
@Suite("BoundedPattern literals")
struct BoundedPatternLiteralTests {
    private func strings(_ literals: [[UInt8]]?) -> Set<String>? {
        literals.map { Set($0.map { String(decoding: $0, as: UTF8.self) }) }
    }

    @Test("required literals come from every alternative; sufficient ones only from plain literal alternatives")
    func derived() throws {
        let cases: [(String, Set<String>?, Set<String>)] = [
            ("\\binvoice \\d{6}\\b|ref-7", ["invoice ", "ref-7"], ["ref-7"]),
            ("\\bfloor \\d+\\b|jam(s|med)?|ref-1", ["floor ", "jam", "ref-1"], ["jam", "ref-1"]),
            ("INVOICE", ["invoice"], ["invoice"]),
            ("colou?r", ["color", "colour"], ["color", "colour"]),
            ("(a|b)c{2}", ["acc", "bcc"], ["acc", "bcc"]),
            ("a*b", ["b"], []),
            ("[x]yz", ["yz"], []),
            ("^re: ", ["re: "], []),
            ("(?:ab)+$", ["ab"], []),
            ("\\d+", nil, []),
            ("a|\\d", nil, ["a"]),
            ("x?", nil, [""]),
            ("(ab)*", nil, []),
            ("", nil, [""]),
            ("ab{0}c", ["ac"], ["ac"]),
        ]
        for (pattern, required, sufficient) in cases {
            let compiled = try BoundedPattern(pattern)
            #expect(strings(compiled.requiredLiterals) == required, "required of \(pattern)")
            #expect(strings(compiled.sufficientLiterals) == sufficient, "sufficient of \(pattern)")
        }
    }

    @Test("case-insensitive matches are never skipped: literals fold exactly as the automaton compares")
    func caseFolding() throws {
        let cases: [(String, String)] = [
            ("Über", "ÜBER alles"), ("über", "ÜBER"), ("ÜBER", "über"), ("invoice", "INVOICE 7"), ("k", "\u{212A}"),
            ("\u{212A}elvin", "kelvin"), ("ſ", "s"), ("s", "ſ"), ("ß", "SS"), ("ß", "ß"), ("İ", "i"), ("i", "İ"),
            ("ǅ", "ǆ"), ("σ", "Σ"), ("ς", "Σ"), ("Ω", "\u{2126}"), ("straße", "STRASSE"), ("ref-7", "REF-7"),
        ]
        for (pattern, text) in cases {
            let compiled = try BoundedPattern(pattern)
            let prepared = PatternText(text)
            #expect(compiled.matches(prepared) == compiled.matchesWithoutLiterals(prepared), "\(pattern) on \(text)")
        }
        #expect(try BoundedPattern("Über").matches("ÜBER alles"))
        #expect(try BoundedPattern("\u{212A}elvin").matches("KELVIN"))
    }

    @Test("a literal only past maxInputScalars is not looked at, with or without the filter")
    func inputBound() throws {
        let text = PatternText(String(repeating: "x", count: BoundedPattern.maxInputScalars) + "needle")
        for pattern in ["needle", "ne+dle", "needle|zzz"] {
            let compiled = try BoundedPattern(pattern)
            #expect(!compiled.matches(text) && !compiled.matchesWithoutLiterals(text))
        }
    }

    @Test("on thousands of generated patterns and texts, the filtered answer is the automaton's answer")
    func generated() throws {
        var random = SplitMix(seed: 14)
        var compared = 0, matched = 0, proven = 0, skipped = 0
        while compared < 20_000 {
            let source = PatternGenerator.pattern(&random)
            guard let pattern = try? BoundedPattern(source) else { continue }
            for _ in 0..<10 {
                let text = PatternGenerator.text(&random, hints: source)
                let prepared = PatternText(text)
                let expected = pattern.matchesWithoutLiterals(prepared)
                #expect(pattern.matches(prepared) == expected, "\(source) on \(text.debugDescription)")
                compared += 1
                if expected { matched += 1 }
                if prepared.holds(anyOf: pattern.sufficientLiterals) { proven += 1 }
                if let required = pattern.requiredLiterals, !prepared.holds(anyOf: required) { skipped += 1 }
            }
        }
        // Both answers are well represented, and both short cuts were taken often, so the
        // comparison means something.
        #expect(matched > 4_000 && matched < 16_000)
        #expect(proven > 2_000 && skipped > 2_000, "proven \(proven), skipped \(skipped)")
    }
}

/// A small deterministic random source (SplitMix64), so a failure replays.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random patterns over the whole syntax (alternation, groups, optional and counted parts,
/// classes, sets, anchors, word boundaries) and texts over the same letters, including
/// letters whose case folding is unusual (Kelvin sign, long s, sharp s, dotted capital I).
enum PatternGenerator {
    static let letters: [String] = ["a", "b", "c", "A", "B", "k", "K", "\u{212A}", "s", "S", "ſ", "ß", "ü", "Ü", "i", "İ", "-", " ", "1", "7"]

    static func pattern(_ random: inout SplitMix, depth: Int = 0) -> String {
        let branches = Int.random(in: 1...(depth < 2 ? 3 : 1), using: &random)
        return (0..<branches).map { _ in sequence(&random, depth: depth) }.joined(separator: "|")
    }

    private static func sequence(_ random: inout SplitMix, depth: Int) -> String {
        var out = ""
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            switch Int.random(in: 0..<20, using: &random) {
            case 0: out += ["^", "$", "\\b", "\\B"].randomElement(using: &random)!
            default: out += atom(&random, depth: depth) + quantifier(&random)
            }
        }
        return out
    }

    private static func atom(_ random: inout SplitMix, depth: Int) -> String {
        switch Int.random(in: 0..<14, using: &random) {
        case 0: return "."
        case 1: return ["\\d", "\\w", "\\s", "\\W"].randomElement(using: &random)!
        case 2: return ["[ab]", "[^a]", "[a-c]", "[kK]", "[ß1]"].randomElement(using: &random)!
        case 3 where depth < 2: return "(" + pattern(&random, depth: depth + 1) + ")"
        case 4 where depth < 2: return "(?:" + pattern(&random, depth: depth + 1) + ")"
        case 5: return "\\-"
        default: return letters.randomElement(using: &random)!
        }
    }

    private static func quantifier(_ random: inout SplitMix) -> String {
        switch Int.random(in: 0..<12, using: &random) {
        case 0: return "?"
        case 1: return "*"
        case 2: return "+"
        case 3: return ["{2}", "{0,2}", "{1,3}", "{0}", "{2,}"].randomElement(using: &random)!
        default: return ""
        }
    }

    /// A text of random letters, often with pieces of the pattern's own letters inside, so
    /// that matches are common.
    static func text(_ random: inout SplitMix, hints: String) -> String {
        let hint = Array(hints.unicodeScalars.filter { !"\\^$()[]{}|?*+.:".unicodeScalars.contains($0) }).map(String.init)
        var out = ""
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            if !hint.isEmpty, Bool.random(using: &random) {
                let start = Int.random(in: 0..<hint.count, using: &random)
                let piece = hint[start..<min(hint.count, start + Int.random(in: 1...4, using: &random))].joined()
                out += Bool.random(using: &random) ? piece.uppercased() : piece
            } else {
                out += (letters + ["\n"]).randomElement(using: &random)!
            }
        }
        return out
    }
}
