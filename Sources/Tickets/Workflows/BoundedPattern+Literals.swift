import Foundation

/// What a pattern's literals say about a text before the automaton runs (the idea of RE2's and
/// Rust regex's prefilters). Derived from the parsed pattern, so it knows exactly what the
/// program will compare:
///
/// - `required`: every match contains one of these literals, so a text holding none of them
///   cannot match (`\binvoice \d{6}\b|ref-7` needs "invoice " or "ref-7"). Nil when the
///   pattern gives no such literal (`\d+`, `a*`, `[ab]x`): then nothing is skipped.
/// - `sufficient`: a text holding one of these matches, so the automaton is not needed. They
///   come from top-level alternatives that are plain literals, possibly with optional or
///   alternative parts and no assertion (`jam(s|med)?` gives "jam").
///
/// Case: the program compares a text scalar `t` with a pattern scalar `p` (already lowered
/// by `CaseFold.lower`) as `CaseFold.equal(t, p)`, which holds exactly when
/// `lower(t) == lower(p)` (if `t == p` their lowerings are equal too). So literals are kept as
/// `lower(p)` and texts as `lower(t)`, both in UTF-8: a byte match is a scalar match (UTF-8 is
/// self-synchronising) and so a match of the program's comparisons, with no other folding rule.
struct PatternLiterals: Sendable {
    /// More alternatives than this and a literal set is given up (no filter is still correct).
    static let maxAlternatives = 16
    /// Literals longer than this are cut to their first `maxLength` scalars for `required`
    /// (a prefix of a required literal is required too) and given up for `sufficient`.
    static let maxLength = 64

    let required: [[UInt8]]?
    let sufficient: [[UInt8]]

    init(_ node: PatternNode) {
        let info = Self.analyse(node)
        required = Self.literalSet(info).map(Self.utf8)
        let branches: [PatternNode] = if case .alternation(let branches) = node { branches } else { [node] }
        var sufficient: [[Unicode.Scalar]] = []
        for branch in branches {
            let branchInfo = Self.analyse(branch)
            guard branchInfo.pure, let exact = branchInfo.exact else { continue }
            sufficient += exact
        }
        self.sufficient = Self.utf8(Self.minimal(sufficient))
    }

    /// What the analysis knows of one node.
    private struct Info {
        /// Every text the node matches (folded), when there are few; nil otherwise.
        var exact: [[Unicode.Scalar]]?
        /// For a node without `exact`: literals one of which every match contains (nil: none known).
        var required: [[Unicode.Scalar]]?
        /// No assertion inside (an exact set with an assertion is not a plain literal).
        var pure: Bool

        static let unknown = Info(exact: nil, required: nil, pure: true)
        static let empty = Info(exact: [[]], required: nil, pure: true)
    }

    private static func analyse(_ node: PatternNode) -> Info {
        switch node {
        case .empty: return .empty
        case .scalar(let s): return Info(exact: [[CaseFold.lower(CaseFold.lower(s))]], required: nil, pure: true)
        case .any, .set: return .unknown
        case .assert: return Info(exact: [[]], required: nil, pure: false)
        case .concat(let items): return concat(items.map(analyse))
        case .alternation(let branches):
            let infos = branches.map(analyse)
            let pure = infos.allSatisfy(\.pure)
            if let exact = union(infos.map(\.exact)) { return Info(exact: exact, required: nil, pure: pure) }
            return Info(exact: nil, required: union(infos.map(literalSet)), pure: pure)
        case .repetition(let inner, let min, let max):
            let info = analyse(inner)
            if max == 0 { return .empty }
            if min == 0 {
                // Optional: exact (with the empty text) when at most once; else nothing is required.
                guard max == 1, let exact = info.exact, let withEmpty = union([exact, [[]]]) else { return .unknown }
                return Info(exact: withEmpty, required: nil, pure: info.pure)
            }
            if min == max, let exact = info.exact {
                return concat(Array(repeating: Info(exact: exact, required: nil, pure: info.pure), count: min))
            }
            // At least once: what one repetition requires, every match requires.
            return Info(exact: nil, required: literalSet(info), pure: info.pure)
        }
    }

    /// A sequence: exact when every part is and the product stays small; otherwise the best
    /// requirement among the runs of exact parts and the other parts' requirements.
    private static func concat(_ parts: [Info]) -> Info {
        let pure = parts.allSatisfy(\.pure)
        var candidates: [[[Unicode.Scalar]]] = []
        var run: [[Unicode.Scalar]] = [[]]
        var allExact = true
        for part in parts {
            if let exact = part.exact, let joined = product(run, exact) {
                run = joined
                continue
            }
            // The run ends here: it is required (a match holds it somewhere), and so is the part's own.
            if let set = nonEmpty(run) { candidates.append(set) }
            if let exact = part.exact {
                allExact = false  // the product grew too large
                run = exact
            } else {
                allExact = false
                run = [[]]
                if let required = part.required { candidates.append(required) }
            }
        }
        if allExact { return Info(exact: run, required: nil, pure: pure) }
        if let set = nonEmpty(run) { candidates.append(set) }
        return Info(exact: nil, required: candidates.max { score($0) < score($1) }, pure: pure)
    }

    /// The literal set a node guarantees: its exact texts (unless one is empty) or its requirement.
    private static func literalSet(_ info: Info) -> [[Unicode.Scalar]]? {
        if let exact = info.exact { return nonEmpty(exact) }
        return info.required.flatMap(nonEmpty)
    }

    /// `set` cut to `maxLength` and minimal, or nil when it holds the empty text (no requirement).
    private static func nonEmpty(_ set: [[Unicode.Scalar]]) -> [[Unicode.Scalar]]? {
        guard !set.isEmpty, !set.contains(where: \.isEmpty) else { return nil }
        return minimal(set.map { Array($0.prefix(maxLength)) })
    }

    /// Every pairing of a text of `a` followed by one of `b`, or nil when too many or too long.
    private static func product(_ a: [[Unicode.Scalar]], _ b: [[Unicode.Scalar]]) -> [[Unicode.Scalar]]? {
        guard a.count * b.count <= maxAlternatives else { return nil }
        var result: [[Unicode.Scalar]] = []
        for x in a {
            for y in b {
                guard x.count + y.count <= maxLength else { return nil }
                result.append(x + y)
            }
        }
        return dedupe(result)
    }

    /// All the sets together, or nil when one is nil or the union is too large.
    private static func union(_ sets: [[[Unicode.Scalar]]?]) -> [[Unicode.Scalar]]? {
        var result: [[Unicode.Scalar]] = []
        for set in sets {
            guard let set else { return nil }
            result += set
        }
        result = dedupe(result)
        return result.count <= maxAlternatives ? result : nil
    }

    private static func dedupe(_ set: [[Unicode.Scalar]]) -> [[Unicode.Scalar]] {
        var seen = Set<[UInt32]>()
        return set.filter { seen.insert($0.map(\.value)).inserted }
    }

    /// Drops every literal that contains another one: a text holding it holds the shorter one,
    /// so looking for the shorter one alone gives the same answer.
    private static func minimal(_ set: [[Unicode.Scalar]]) -> [[Unicode.Scalar]] {
        let unique = dedupe(set)
        return unique.filter { literal in
            !unique.contains { other in other.count < literal.count && contains(literal, other) }
        }
    }

    private static func contains(_ text: [Unicode.Scalar], _ part: [Unicode.Scalar]) -> Bool {
        guard part.count <= text.count else { return false }
        if part.isEmpty { return true }
        for start in 0...(text.count - part.count) where Array(text[start..<start + part.count]) == part { return true }
        return false
    }

    /// How selective a requirement is: its shortest literal's length, then fewer alternatives.
    private static func score(_ set: [[Unicode.Scalar]]) -> (Int, Int) {
        (set.map(\.count).min() ?? 0, -set.count)
    }

    private static func utf8(_ set: [[Unicode.Scalar]]) -> [[UInt8]] {
        set.map { literal in
            var bytes: [UInt8] = []
            for scalar in literal { UTF8.encode(scalar) { bytes.append($0) } }
            return bytes
        }
    }
}

/// A text prepared for patterns once and shared by every pattern that looks at it: its scalars
/// (at most `maxInputScalars`, for the automaton) and the same scalars lowered by
/// `CaseFold.lower` in UTF-8 (for `PatternLiterals`).
struct PatternText: Sendable {
    let scalars: [Unicode.Scalar]
    let folded: [UInt8]

    init(_ text: String) {
        scalars = BoundedPattern.input(text)
        var folded: [UInt8] = []
        folded.reserveCapacity(scalars.count)
        for scalar in scalars {
            let low = CaseFold.lower(scalar)
            if low.isASCII {
                folded.append(UInt8(low.value))
            } else {
                UTF8.encode(low) { folded.append($0) }
            }
        }
        self.folded = folded
    }

    /// Whether the folded text holds one of `literals`.
    func holds(anyOf literals: [[UInt8]]) -> Bool {
        literals.contains { ByteSearch.contains(folded, $0) }
    }
}

/// Substring search over UTF-8 bytes (memchr for the first byte, memcmp for the rest).
enum ByteSearch {
    /// Whether `needle` occurs in `haystack` (an empty needle always does).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count, let base = haystack.baseAddress else { return false }
        return needle.withUnsafeBufferPointer { n in
            var start = base
            let end = base + (haystack.count - n.count)
            while start <= end {
                guard let hit = memchr(start, Int32(n[0]), end - start + 1) else { return false }
                let at = hit.assumingMemoryBound(to: UInt8.self)
                if memcmp(at, n.baseAddress!, n.count) == 0 { return true }
                start = UnsafePointer(at) + 1
            }
            return false
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { contains($0, needle) }
    }
}
