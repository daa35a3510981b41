/// The syntax tree of a `BoundedPattern`.
indirect enum PatternNode {
    case empty
    case scalar(Unicode.Scalar)
    case any
    case set(ScalarSet)
    case assert(Assertion)
    case concat([PatternNode])
    case alternation([PatternNode])
    case repetition(PatternNode, min: Int, max: Int?)
}

/// Recursive descent over the pattern's scalars. Group nesting is bounded by the pattern's
/// length (500), so the recursion is too.
struct PatternParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func parse() throws -> PatternNode {
        let node = try alternation()
        if index < scalars.count { throw error("Unexpected ')'") }
        return node
    }

    private func error(_ what: String) -> PatternError { PatternError("\(what) at position \(index + 1).") }
    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func alternation() throws -> PatternNode {
        var branches = [try sequence()]
        while peek == "|" {
            index += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws -> PatternNode {
        var items: [PatternNode] = []
        while let s = peek, s != "|", s != ")" {
            var atom = try self.atom()
            while let q = peek, "*+?{".unicodeScalars.contains(q) {
                guard let (min, max) = try quantifier() else { break }
                if case .assert = atom { throw error("Nothing to repeat") }
                atom = .repetition(atom, min: min, max: max)
                if peek == "?" { index += 1 }  // lazy: the same answer to "is there a match"
                if peek == "+" { throw error("Possessive quantifiers are not supported") }
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// The quantifier at the cursor, or nil for a `{` that is a literal.
    private mutating func quantifier() throws -> (Int, Int?)? {
        let s = scalars[index]
        switch s {
        case "*": index += 1; return (0, nil)
        case "+": index += 1; return (1, nil)
        case "?": index += 1; return (0, 1)
        default:
            let start = index
            index += 1
            let min = number()
            var max: Int? = min
            if peek == "," {
                index += 1
                max = number()
            }
            guard let min, peek == "}" else {
                index = start
                return nil
            }
            index += 1
            if let max, max < min { throw error("{\(min),\(max)} has its bounds the wrong way round") }
            if min > BoundedPattern.maxRepeat || (max ?? 0) > BoundedPattern.maxRepeat {
                throw error("Repetition counts above \(BoundedPattern.maxRepeat) are not supported")
            }
            return (min, max)
        }
    }

    private mutating func number() -> Int? {
        var value: Int?
        while let s = peek, s.value >= 48, s.value <= 57, (value ?? 0) < 100_000 {
            value = (value ?? 0) * 10 + Int(s.value - 48)
            index += 1
        }
        return value
    }

    private mutating func atom() throws -> PatternNode {
        let s = scalars[index]
        index += 1
        switch s {
        case ".": return .any
        case "^": return .assert(.start)
        case "$": return .assert(.end)
        case "[": return .set(try bracket())
        case "(":
            if peek == "?" {
                guard index + 1 < scalars.count, scalars[index + 1] == ":" else {
                    throw error("Lookaround and inline flags are not supported (use (?: ) for a plain group)")
                }
                index += 2
            }
            let inner = try alternation()
            guard peek == ")" else { throw error("Missing ')'") }
            index += 1
            return inner
        case "*", "+", "?": throw error("Nothing to repeat")
        case "\\": return try escape(inSet: false)
        default: return .scalar(s)
        }
    }

    private mutating func escape(inSet: Bool) throws -> PatternNode {
        guard let s = peek else { throw error("The pattern ends with a lone backslash") }
        index += 1
        switch s {
        case "d", "w", "s", "D", "W", "S":
            let kind: ScalarClass = switch s { case "d", "D": .digit; case "w", "W": .word; default: .space }
            var set = ScalarSet()
            set.classes = [(kind, negated: s.properties.isUppercase)]
            return .set(set)
        case "b" where !inSet: return .assert(.wordBoundary)
        case "B" where !inSet: return .assert(.notWordBoundary)
        case "n": return .scalar("\n")
        case "t": return .scalar("\t")
        case "r": return .scalar("\r")
        default:
            if s.properties.numericType != nil { throw error("Backreferences are not supported") }
            if s.properties.isAlphabetic { throw error("Unknown escape \\\(s)") }
            return .scalar(s)
        }
    }

    private mutating func bracket() throws -> ScalarSet {
        var set = ScalarSet()
        if peek == "^" {
            set.negated = true
            index += 1
        }
        var first = true
        while let s = peek, s != "]" || first {
            first = false
            index += 1
            var low: Unicode.Scalar = s
            if s == "\\" {
                switch try escape(inSet: true) {
                case .set(let inner): set.classes += inner.classes; continue
                case .scalar(let scalar): low = scalar
                default: continue
                }
            }
            if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                index += 1
                var high = scalars[index]
                index += 1
                if high == "\\", case .scalar(let escaped) = try escape(inSet: true) { high = escaped }
                guard low.value <= high.value else { throw error("The range \(low)-\(high) is backwards") }
                set.ranges.append(low.value...high.value)
            } else {
                set.ranges.append(low.value...low.value)
            }
        }
        guard peek == "]" else { throw error("Missing ']'") }
        index += 1
        return set
    }
}

/// Turns the tree into the Pike VM's program (Thompson's construction).
struct PatternCompiler {
    var program: [Instruction] = []
    var sets: [ScalarSet] = []

    mutating func emit(_ node: PatternNode) throws {
        // Checked while unrolling too, so a pattern like (a{100}){100} stops early.
        guard program.count <= BoundedPattern.maxProgramSize else {
            throw PatternError("The pattern is too complex (more than \(BoundedPattern.maxProgramSize) steps once repetitions are unrolled).")
        }
        switch node {
        case .empty: break
        case .scalar(let s): program.append(.scalar(CaseFold.lower(s)))
        case .any: program.append(.any)
        case .set(let set):
            program.append(.set(sets.count))
            sets.append(set)
        case .assert(let assertion): program.append(.assert(assertion))
        case .concat(let items): for item in items { try emit(item) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (i, branch) in branches.enumerated() {
                if i < branches.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, 0))
                    try emit(branch)
                    jumps.append(program.count)
                    program.append(.jump(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(branch)
                }
            }
            for j in jumps { program[j] = .jump(program.count) }
        case .repetition(let inner, let min, let max):
            for _ in 0..<min { try emit(inner) }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.split(program.count + 1, 0))
                    try emit(inner)
                }
                for s in splits { program[s] = .split(s + 1, program.count) }
            } else {
                let loop = program.count
                program.append(.split(loop + 1, 0))
                try emit(inner)
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }
}
