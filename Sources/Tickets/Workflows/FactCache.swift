import Foundation

/// A condition's field, resolved once when the conditions compile: its place in
/// `WorkflowFields.catalog` (so an event's values are found by index, without hashing the
/// name for each of 500 conditions), or none for an email header (looked up by name).
struct FactField: Sendable {
    let name: String
    let slot: Int?

    init(_ name: String) {
        self.name = name
        slot = WorkflowFields.slots[name]
    }
}

/// Identical conditions compiled together (the runner's enabled workflows) numbered once, so
/// an event evaluates each of them once however many workflows hold it. Fill it while
/// compiling (`CompiledConditions(_:sharing:)`), then hand `shared` to each event's `FactCache`.
public struct ConditionSharing: Sendable {
    /// Tells this numbering from every other one (a cache remembers results for one only).
    let id = ConditionSharing.ids.next()
    private var numbers: [Key: Int] = [:]
    private static let ids = Counter()

    private struct Key: Hashable {
        let field: String
        let op: Condition.Operator
        let value: String?
        let values: [String]?
    }

    public init() {}

    /// The number of `condition`: the same for every condition equal to it.
    mutating func number(of condition: Condition) -> Int {
        let key = Key(field: condition.field, op: condition.op, value: condition.value, values: condition.values)
        if let known = numbers[key] { return known }
        numbers[key] = numbers.count
        return numbers.count - 1
    }

    /// What a `FactCache` needs to remember results of these conditions.
    public var shared: Shared { Shared(id: id, count: numbers.count) }

    public struct Shared: Sendable {
        let id: Int
        let count: Int
    }
}

/// The values of one event's facts as conditions compare them, worked out once per field and
/// shared by every workflow evaluated for the event (500 conditions read about 6 fields); and,
/// with a `ConditionSharing`, each shared condition's result.
public final class FactCache {
    let facts: WorkflowFacts
    @exclusivity(unchecked) private var lowered: [[String]?]
    @exclusivity(unchecked) private var texts: [[PatternText]?]
    /// Fields outside the catalog (email headers), by name.
    private var otherLowered: [String: [String]] = [:]
    private var otherTexts: [String: [PatternText]] = [:]
    /// Results by condition number for `sharingID`'s conditions: 0 not yet known, 1 false, 2 true.
    /// A cache serves one event on one task, so the run-time exclusivity checks (a profile
    /// item at 500 conditions per event) are not needed.
    @exclusivity(unchecked) private var results: [UInt8]
    let sharingID: Int?

    /// A cache for one event. With `sharing`, conditions compiled under it are evaluated once.
    public init(_ facts: WorkflowFacts, sharing: ConditionSharing.Shared? = nil) {
        self.facts = facts
        lowered = Array(repeating: nil, count: WorkflowFields.catalog.count)
        texts = Array(repeating: nil, count: WorkflowFields.catalog.count)
        results = Array(repeating: 0, count: sharing?.count ?? 0)
        sharingID = sharing?.id
    }

    /// The field's values lower-cased (for the text operators).
    func lowercased(_ field: FactField) -> [String] {
        if let slot = field.slot {
            if let known = lowered[slot] { return known }
            let values = facts.values(field.name).map { $0.lowercased() }
            lowered[slot] = values
            return values
        }
        if let known = otherLowered[field.name] { return known }
        let values = facts.values(field.name).map { $0.lowercased() }
        otherLowered[field.name] = values
        return values
    }

    /// The field's values prepared for patterns.
    func texts(_ field: FactField) -> [PatternText] {
        if let slot = field.slot {
            if let known = texts[slot] { return known }
            let values = facts.values(field.name).map(PatternText.init)
            texts[slot] = values
            return values
        }
        if let known = otherTexts[field.name] { return known }
        let values = facts.values(field.name).map(PatternText.init)
        otherTexts[field.name] = values
        return values
    }

    /// The remembered result of condition `number` of sharing `sharing`, nil when not known yet.
    func known(_ number: Int, sharing: Int) -> Bool? {
        guard sharing == sharingID, number < results.count else { return nil }
        let value = results[number]
        return value == 0 ? nil : value == 2
    }

    /// Remembers the result of condition `number` of sharing `sharing` (when this cache is for it).
    func remember(_ number: Int, sharing: Int, _ value: Bool) {
        guard sharing == sharingID, number < results.count else { return }
        results[number] = value ? 2 : 1
    }
}
