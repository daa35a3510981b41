/// A set of event-loop indices, any number of loops: one bit per loop, the first 64 loops
/// inline (no allocation for the usual machine), the rest in extra words.
struct LoopSet: Equatable, Sendable {
    private var first: UInt64 = 0
    /// Words for loops 64 and up; trailing zero words are trimmed, so empty means none.
    private var rest: [UInt64] = []

    var isEmpty: Bool { first == 0 && rest.isEmpty }

    func contains(_ index: Int) -> Bool {
        if index < 64 { return first & (1 << UInt64(index)) != 0 }
        let word = index / 64 - 1
        return word < rest.count && rest[word] & (1 << UInt64(index % 64)) != 0
    }

    mutating func insert(_ index: Int) {
        precondition(index >= 0, "loop index \(index)")
        if index < 64 {
            first |= 1 << UInt64(index)
            return
        }
        let word = index / 64 - 1
        if word >= rest.count { rest.append(contentsOf: repeatElement(0, count: word + 1 - rest.count)) }
        rest[word] |= 1 << UInt64(index % 64)
    }

    mutating func remove(_ index: Int) {
        if index < 64 {
            first &= ~(1 << UInt64(index))
            return
        }
        let word = index / 64 - 1
        guard word < rest.count else { return }
        rest[word] &= ~(1 << UInt64(index % 64))
        while rest.last == 0 { rest.removeLast() }
    }
}
