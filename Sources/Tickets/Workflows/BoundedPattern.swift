/// A regular expression that cannot hang the server. Workflows match untrusted text (an
/// email's subject and body) against patterns an administrator typed, and Foundation's
/// `NSRegularExpression` backtracks with no time limit: `(a+)+$` on forty letters takes
/// minutes. So patterns compile to our own Thompson automaton (a Pike VM without captures):
/// matching costs at most `input scalars × program size` steps, never more, whatever the
/// pattern. Features that need backtracking (backreferences, lookaround) are refused when
/// the pattern is saved, with the reason.
///
/// Syntax: literals, `.`, `[...]` sets with ranges and `^` negation, `\d \w \s \D \W \S`,
/// `\b \B`, `^ $` (start and end of the text), `* + ?` (a trailing `?` for laziness is accepted
/// and changes nothing: only whether there is a match counts), `{m}`, `{m,}`, `{m,n}`,
/// groups `( )` and `(?: )`, alternation `|`. Matching ignores case and finds the pattern
/// anywhere in the text (anchor it with `^`/`$`).
public struct BoundedPattern: Sendable {
    /// The longest pattern accepted: a rule, not a program.
    public static let maxPatternLength = 500
    /// The largest compiled program; with `maxInputScalars` it bounds a match at 32 M steps
    /// (about 0.1 s on this machine in the worst case; a realistic pattern is 20-50 steps wide).
    public static let maxProgramSize = 1_000
    /// The largest `{m,n}` bound: repetition is unrolled into the program.
    public static let maxRepeat = 100
    /// Text past this many Unicode scalars is not looked at (an email body is cut here).
    public static let maxInputScalars = 32_768

    public let source: String
    private let program: [Instruction]
    /// The bracket sets and class escapes, by the index `.set` instructions carry (so running
    /// the program copies no arrays).
    private let sets: [ScalarSet]
    /// The instructions that can read a match's first scalar, or nil when the pattern can
    /// match the empty text. While no match attempt is alive, positions whose scalar none of
    /// them accepts are skipped without starting one (most of a text, for most patterns).
    private let firsts: [Int]?
    /// The literals a match needs or that prove one, to answer without the automaton.
    private let literals: PatternLiterals

    /// Compiles `source`. Throws `PatternError` naming what is wrong and where.
    public init(_ source: String) throws {
        guard source.unicodeScalars.count <= Self.maxPatternLength else {
            throw PatternError("The pattern is longer than \(Self.maxPatternLength) characters.")
        }
        var parser = PatternParser(Array(source.unicodeScalars))
        let node = try parser.parse()
        var compiler = PatternCompiler()
        try compiler.emit(node)
        compiler.program.append(.match)
        guard compiler.program.count <= Self.maxProgramSize else {
            throw PatternError("The pattern is too complex (more than \(Self.maxProgramSize) steps once repetitions are unrolled).")
        }
        self.source = source
        program = compiler.program
        sets = compiler.sets
        firsts = Self.firsts(of: compiler.program)
        literals = PatternLiterals(node)
    }

    /// The consuming instructions reachable from the start without reading (assertions
    /// passed through: a superset is safe), or nil when `.match` is reachable that way.
    private static func firsts(of program: [Instruction]) -> [Int]? {
        var seen = Set<Int>(), stack = [0], found: [Int] = []
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch program[pc] {
            case .match: return nil
            case .jump(let target): stack.append(target)
            case .split(let a, let b): stack += [a, b]
            case .assert: stack.append(pc + 1)
            case .scalar, .any, .set: found.append(pc)
            }
        }
        return found
    }

    /// Whether instruction `pc` (a consuming one) accepts `scalar`.
    private func accepts(_ pc: Int, _ scalar: Unicode.Scalar) -> Bool {
        switch program[pc] {
        case .scalar(let expected): CaseFold.equal(scalar, expected)
        case .any: scalar != "\n"
        case .set(let index): sets[index].contains(scalar)
        case .split, .jump, .assert, .match: false
        }
    }

    /// Whether the pattern occurs in `text` (case-insensitively, within `maxInputScalars`).
    public func matches(_ text: String) -> Bool {
        matches(PatternText(text))
    }

    /// Whether the pattern occurs in `text` (prepared once when several patterns look at the
    /// same text). The literals answer first when they can: a text with none of the required
    /// ones cannot match, one with a sufficient one does; the automaton decides the rest.
    func matches(_ text: PatternText) -> Bool {
        if !literals.sufficient.isEmpty, text.holds(anyOf: literals.sufficient) { return true }
        if let required = literals.required, !text.holds(anyOf: required) { return false }
        return run(text.scalars)
    }

    /// The automaton's answer alone, without the literals (for tests comparing the two).
    func matchesWithoutLiterals(_ text: PatternText) -> Bool {
        run(text.scalars)
    }

    /// The literals derived from the pattern, as UTF-8 (for tests).
    var requiredLiterals: [[UInt8]]? { literals.required }
    var sufficientLiterals: [[UInt8]] { literals.sufficient }

    /// The scalars of `text` a match looks at (at most `maxInputScalars`).
    static func input(_ text: String) -> [Unicode.Scalar] {
        var input: [Unicode.Scalar] = []
        input.reserveCapacity(min(text.utf8.count, maxInputScalars))
        for scalar in text.unicodeScalars {
            if input.count == maxInputScalars { break }
            input.append(scalar)
        }
        return input
    }

    /// The Pike VM: the set of live program positions advances one scalar at a time; each
    /// position is in the set at most once per step, so a step costs at most the program size.
    /// Its buffers live on the stack (a program has at most `maxProgramSize` instructions).
    private func run(_ input: [Unicode.Scalar]) -> Bool {
        let size = program.count
        // Two sparse sets (2 x size each) and the stack (each position pushed at most twice per add).
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: size * 6 + 1) { buffer in
            buffer.initialize(repeating: 0)
            var current = ThreadSet(buffer.baseAddress!, capacity: size)
            var next = ThreadSet(buffer.baseAddress! + 2 * size, capacity: size)
            let stack = buffer.baseAddress! + 4 * size
            for position in 0...input.count {
                if position < input.count, current.count == 0, let firsts, !firsts.contains(where: { accepts($0, input[position]) }) {
                    continue
                }
                if add(0, at: position, in: input, to: &current, stack: stack) { return true }
                guard position < input.count else { break }
                let scalar = input[position]
                next.clear()
                for slot in 0..<current.count {
                    let pc = current.member(slot)
                    if accepts(pc, scalar), add(pc + 1, at: position + 1, in: input, to: &next, stack: stack) { return true }
                }
                swap(&current, &next)
            }
            return false
        }
    }

    /// Adds `start` and everything reachable from it without reading a scalar; true when that
    /// reaches `.match`. `stack` has room for twice the program's size plus one: a position is
    /// pushed only after it entered the set, which happens once per call, and pushes two at most.
    private func add(_ start: Int, at position: Int, in input: [Unicode.Scalar], to set: inout ThreadSet,
                     stack: UnsafeMutablePointer<Int>) -> Bool {
        var depth = 0
        stack[0] = start
        depth = 1
        while depth > 0 {
            depth -= 1
            let pc = stack[depth]
            guard set.insert(pc) else { continue }
            switch program[pc] {
            case .match: return true
            case .jump(let target):
                stack[depth] = target
                depth += 1
            case .split(let first, let second):
                stack[depth] = second
                stack[depth + 1] = first
                depth += 2
            case .assert(let assertion):
                if assertion.holds(at: position, in: input) {
                    stack[depth] = pc + 1
                    depth += 1
                }
            case .scalar, .any, .set: break
            }
        }
        return false
    }
}

/// Why a pattern was refused.
public struct PatternError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

enum Instruction: Sendable {
    case scalar(Unicode.Scalar)
    case any
    case set(Int)
    case split(Int, Int)
    case jump(Int)
    case assert(Assertion)
    case match
}

enum Assertion: Sendable {
    case start, end, wordBoundary, notWordBoundary

    func holds(at position: Int, in input: [Unicode.Scalar]) -> Bool {
        switch self {
        case .start: return position == 0
        case .end: return position == input.count
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && ScalarClass.word.contains(input[position - 1])
            let after = position < input.count && ScalarClass.word.contains(input[position])
            return (before != after) == (self == .wordBoundary)
        }
    }
}

enum ScalarClass: Sendable, Equatable {
    case digit, word, space

    func contains(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            let digit = v >= 48 && v <= 57, letter = (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
            switch self {
            case .digit: return digit
            case .word: return digit || letter || v == 95
            case .space: return v == 32 || (v >= 9 && v <= 13)
            }
        }
        switch self {
        case .digit: return s.properties.numericType == .decimal
        case .word: return s == "_" || s.properties.isAlphabetic || s.properties.numericType == .decimal
        case .space: return s.properties.isWhitespace
        }
    }
}

/// A bracket set or a class escape: ranges and classes, maybe negated.
struct ScalarSet: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    var classes: [(ScalarClass, negated: Bool)] = []
    var negated = false

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII (nearly all mail text) without allocating the case variants.
        if scalar.isASCII {
            let low = CaseFold.lower(scalar)
            let v = low.value
            let up: Unicode.Scalar = (v >= 97 && v <= 122) ? Unicode.Scalar(v - 32)! : low
            return (holds(low) || (up != low && holds(up))) != negated
        }
        return CaseFold.variants(scalar).contains(where: holds) != negated
    }

    private func holds(_ s: Unicode.Scalar) -> Bool {
        ranges.contains { $0.contains(s.value) } || classes.contains { $0.0.contains(s) != $0.negated }
    }
}

enum CaseFold {
    static func equal(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        a == b || lower(a) == lower(b)
    }

    static func lower(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.isASCII { return (s.value >= 65 && s.value <= 90) ? Unicode.Scalar(s.value + 32)! : s }
        let mapped = s.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : s
    }

    static func variants(_ s: Unicode.Scalar) -> [Unicode.Scalar] {
        let low = lower(s)
        let upper = low.properties.uppercaseMapping.unicodeScalars
        return upper.count == 1 && upper.first! != low ? [low, upper.first!] : [low]
    }
}

/// A set of program positions with O(1) insert and clear (a sparse set over two arrays of
/// `capacity` ints in memory the caller owns).
struct ThreadSet {
    private let dense: UnsafeMutablePointer<Int>
    private let sparse: UnsafeMutablePointer<Int>
    private(set) var count = 0

    init(_ memory: UnsafeMutablePointer<Int>, capacity: Int) {
        dense = memory
        sparse = memory + capacity
    }

    mutating func insert(_ pc: Int) -> Bool {
        let slot = sparse[pc]
        if slot >= 0 && slot < count && dense[slot] == pc { return false }
        sparse[pc] = count
        dense[count] = pc
        count += 1
        return true
    }

    mutating func clear() { count = 0 }

    func member(_ slot: Int) -> Int { dense[slot] }
}
