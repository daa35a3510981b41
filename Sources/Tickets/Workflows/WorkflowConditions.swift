import Foundation

/// What a workflow's conditions can look at for one event: the ticket (as the event left
/// it), the email (for `email.received`), the requester contact and a few event details.
/// Every field reads as a list of strings (a ticket's tags, an email's recipients).
public struct WorkflowFacts: Sendable {
    public var ticket: Ticket?
    public var email: StoredEmail?
    public var contact: Contact?
    /// Event details: `survey.rating`, `sla.metric`, `reply.body`, `reply.by`.
    public var extra: [String: String] = [:]

    public init(ticket: Ticket? = nil, email: StoredEmail? = nil, contact: Contact? = nil) {
        self.ticket = ticket
        self.email = email
        self.contact = contact
    }

    /// The values of `field` (empty when the event has none: an email field on a ticket event).
    public func values(_ field: String) -> [String] {
        switch field {
        case "ticket.subject": return ticket.map { [$0.subject] } ?? []
        case "ticket.description": return ticket.map { [$0.description] } ?? []
        case "ticket.status": return ticket.map { [$0.status.rawValue] } ?? []
        case "ticket.priority": return ticket.map { [$0.priority.rawValue] } ?? []
        case "ticket.category": return ticket.map { [$0.category.rawValue] } ?? []
        case "ticket.channel": return ticket.map { [$0.channel.rawValue] } ?? []
        case "ticket.tags": return ticket?.tags ?? []
        case "ticket.assignee": return ticket?.assigneeID.map { [$0.description] } ?? []
        case "ticket.reference": return ticket.map { [$0.reference] } ?? []
        case "email.subject": return email.map { [$0.subject] } ?? []
        case "email.from": return email.map { [$0.fromAddress] } ?? []
        case "email.fromName": return email?.fromName.map { [$0] } ?? []
        case "email.to": return email?.recipients ?? []
        case "email.body": return email.map { [$0.text] } ?? []
        case "email.mailbox": return email?.mailboxID.map { [String($0)] } ?? []
        case "contact.email": return contact.map { [$0.email] } ?? email.map { [$0.fromAddress] } ?? []
        case "contact.name": return contact.map { [$0.name] } ?? email?.fromName.map { [$0] } ?? []
        default:
            if field.hasPrefix(WorkflowFields.headerPrefix) {
                let name = field.dropFirst(WorkflowFields.headerPrefix.count).lowercased()
                return email?.headers.filter { $0.name.lowercased() == name }.map(\.value) ?? []
            }
            return extra[field].map { [$0] } ?? []
        }
    }

    /// Whether a condition names the contact (then the runner loads it).
    static func needsContact(_ group: ConditionGroup) -> Bool {
        group.conditions.contains { item in
            switch item {
            case .condition(let c): c.field.hasPrefix("contact.")
            case .group(let g): needsContact(g)
            }
        }
    }
}

/// The fields conditions may name, for validation and for the builder's pickers.
public enum WorkflowFields {
    public static let headerPrefix = "email.header."

    /// Each field with its label and, for fields with a fixed set of values, those values.
    public static let catalog: [(name: String, label: String, choices: [String]?)] = [
        ("ticket.subject", "Ticket subject", nil),
        ("ticket.description", "Ticket description", nil),
        ("ticket.status", "Status", TicketStatus.allCases.map(\.rawValue)),
        ("ticket.priority", "Priority", TicketPriority.allCases.map(\.rawValue)),
        ("ticket.category", "Category", TicketCategory.allCases.map(\.rawValue)),
        ("ticket.channel", "Channel", TicketChannel.allCases.map(\.rawValue)),
        ("ticket.tags", "Tags", nil),
        ("ticket.assignee", "Assignee (agent id)", nil),
        ("ticket.reference", "Reference", nil),
        ("email.subject", "Email subject", nil),
        ("email.from", "Sender address", nil),
        ("email.fromName", "Sender name", nil),
        ("email.to", "Recipients (To and Cc)", nil),
        ("email.body", "Email text", nil),
        ("email.mailbox", "Mailbox (id)", nil),
        ("contact.email", "Requester email", nil),
        ("contact.name", "Requester name", nil),
        ("survey.rating", "Survey rating (1-5)", ["1", "2", "3", "4", "5"]),
        ("sla.metric", "SLA metric", ["first_response", "resolution"]),
        ("reply.body", "Reply text", nil),
        ("reply.by", "Reply author", ["requester", "agent"]),
    ]

    static let names = Set(catalog.map(\.name))
    /// Each catalog field's index (a `FactField`'s slot).
    static let slots = Dictionary(uniqueKeysWithValues: catalog.enumerated().map { ($0.element.name, $0.offset) })

    static func isKnown(_ field: String) -> Bool {
        if names.contains(field) { return true }
        let header = field.dropFirst(headerPrefix.count)
        return field.hasPrefix(headerPrefix) && !header.isEmpty && header.count <= 76
            && header.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}

/// Conditions compiled once (operands lower-cased, patterns compiled) and evaluated per event.
public struct CompiledConditions: Sendable {
    /// Conditions and groups in one workflow at most, nesting at most.
    public static let maxConditions = 50
    public static let maxDepth = 3
    /// Values in a `one_of` list at most, and the longest operand.
    public static let maxValues = 100
    public static let maxOperandLength = 1_000

    fileprivate indirect enum Node: Sendable {
        case leaf(Leaf)
        case group(all: Bool, [Node])
    }

    /// A class, so walking the tree retains one reference per condition instead of copying
    /// its fields.
    fileprivate final class Leaf: Sendable {
        let condition: Condition
        let field: FactField
        let operand: String
        let operands: Set<String>
        /// `operands` as a list when short: comparing a few short strings is cheaper than hashing.
        let operandList: [String]?
        let pattern: BoundedPattern?
        /// The operand's UTF-8, for `contains`.
        let operandBytes: [UInt8]
        /// The condition's number in the `ConditionSharing` it was compiled under.
        let number: Int

        /// At most this many `one_of` values are compared one by one.
        static let maxListedOperands = 8

        init(condition: Condition, operand: String, operands: Set<String>, pattern: BoundedPattern?, number: Int) {
            self.condition = condition
            field = FactField(condition.field)
            self.operand = operand
            self.operands = operands
            operandList = operands.count <= Self.maxListedOperands ? Array(operands) : nil
            self.pattern = pattern
            operandBytes = Array(operand.utf8)
            self.number = number
        }
    }

    private let root: Node
    /// The `ConditionSharing` the leaves are numbered in.
    private let sharingID: Int

    /// Validates and compiles `group`. Throws `.validation` naming the condition's path
    /// (`conditions[2].value`) and what is wrong, e.g. a pattern that is refused.
    public init(_ group: ConditionGroup) throws {
        var sharing = ConditionSharing()
        try self.init(group, sharing: &sharing)
    }

    /// As `init(_:)`, numbering the conditions in `sharing`: a `FactCache` made with
    /// `sharing.shared` then evaluates a condition held by several workflows once per event.
    public init(_ group: ConditionGroup, sharing: inout ConditionSharing) throws {
        var count = 0
        root = try Self.compile(group, path: "conditions", depth: 1, count: &count, sharing: &sharing)
        sharingID = sharing.id
    }

    private static func compile(_ group: ConditionGroup, path: String, depth: Int, count: inout Int,
                                sharing: inout ConditionSharing) throws -> Node {
        guard depth <= maxDepth else { throw DomainError.validation(path, "Groups nest at most \(maxDepth) deep.") }
        var nodes: [Node] = []
        for (i, item) in group.conditions.enumerated() {
            count += 1
            let here = "\(path)[\(i)]"
            guard count <= maxConditions else { throw DomainError.validation(here, "A workflow has at most \(maxConditions) conditions.") }
            switch item {
            case .group(let inner):
                nodes.append(try compile(inner, path: here + ".conditions", depth: depth + 1, count: &count, sharing: &sharing))
            case .condition(let c): nodes.append(.leaf(try leaf(c, path: here, number: sharing.number(of: c))))
            }
        }
        return .group(all: group.match == .all, nodes)
    }

    private static func leaf(_ c: Condition, path: String, number: Int) throws -> Leaf {
        guard WorkflowFields.isKnown(c.field) else {
            throw DomainError.validation(path + ".field", "Unknown field \(c.field.prefix(80)).")
        }
        let operand = c.value ?? ""
        try TextLimit.check(operand, field: path + ".value", max: maxOperandLength)
        switch c.op {
        case .isEmpty:
            return Leaf(condition: c, operand: "", operands: [], pattern: nil, number: number)
        case .oneOf:
            let values = c.values ?? []
            guard !values.isEmpty, values.count <= maxValues else {
                throw DomainError.validation(path + ".values", "Give 1 to \(maxValues) values.")
            }
            for v in values { try TextLimit.check(v, field: path + ".values", max: maxOperandLength) }
            return Leaf(condition: c, operand: "", operands: Set(values.map { $0.lowercased() }), pattern: nil, number: number)
        case .matches:
            do {
                return Leaf(condition: c, operand: operand, operands: [], pattern: try BoundedPattern(operand), number: number)
            } catch let error as PatternError {
                throw DomainError.validation(path + ".value", "The pattern is refused: \(error.description)")
            }
        case .equals, .notEquals, .contains, .startsWith, .endsWith:
            guard c.value != nil else { throw DomainError.validation(path + ".value", "Give a value to compare with.") }
            return Leaf(condition: c, operand: operand.lowercased(), operands: [], pattern: nil, number: number)
        }
    }

    /// One evaluated condition, for the run log and the dry run.
    public struct Outcome: Sendable, Equatable, Codable {
        public let field: String
        public let op: Condition.Operator
        public let value: String?
        public let matched: Bool
    }

    /// Whether the conditions hold for `facts`. With `trace`, every condition is evaluated
    /// (no short cut) and its outcome appended, for the run log and the dry run.
    public func evaluate(_ facts: WorkflowFacts, trace: inout [Outcome]?) -> Bool {
        Self.evaluate(root, FactCache(facts), sharingID, &trace)
    }

    public func evaluate(_ facts: WorkflowFacts) -> Bool {
        var none: [Outcome]? = nil
        return Self.evaluate(root, FactCache(facts), sharingID, &none)
    }

    /// As `evaluate(_:trace:)`, reading the facts through `cache` (one per event, shared by
    /// the event's workflows; when it was made for the sharing these conditions were compiled
    /// under, a condition another workflow already evaluated is not evaluated again).
    public func evaluate(_ cache: FactCache, trace: inout [Outcome]?) -> Bool {
        Self.evaluate(root, cache, sharingID, &trace)
    }

    private static func evaluate(_ node: Node, _ facts: FactCache, _ sharing: Int, _ trace: inout [Outcome]?) -> Bool {
        switch node {
        case .leaf(let leaf):
            let matched: Bool
            if let known = facts.known(leaf.number, sharing: sharing) {
                matched = known
            } else {
                matched = test(leaf, facts)
                facts.remember(leaf.number, sharing: sharing, matched)
            }
            trace?.append(Outcome(field: leaf.condition.field, op: leaf.condition.op,
                                  value: leaf.condition.op == .oneOf ? leaf.condition.values?.joined(separator: ", ") : leaf.condition.value,
                                  matched: matched))
            return matched
        case .group(let all, let nodes):
            var result = all
            for child in nodes {
                let value = evaluate(child, facts, sharing, &trace)
                if all ? !value : value {
                    result = !all
                    if trace == nil { break }
                }
            }
            return result
        }
    }

    /// Whether `haystack`'s UTF-8 holds `needle`: bytes, not Foundation's `contains` (which
    /// bridges to NSString: a quarter of the evaluation's time in a profile, and the generic
    /// `firstRange(of:)` was slower still). UTF-8 is self-synchronising, so a byte match is a
    /// match of characters.
    static func bytes(_ haystack: String, contain needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        var text = haystack
        return text.withUTF8 { ByteSearch.contains($0, needle) }
    }

    /// Text comparisons ignore case; a multi-valued field holds when any value does (and
    /// `not_equals` when none equals; `is_empty` when every value is blank or there is none).
    private static func test(_ leaf: Leaf, _ facts: FactCache) -> Bool {
        let field = leaf.field
        switch leaf.condition.op {
        case .isEmpty: return facts.lowercased(field).allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        case .equals: return facts.lowercased(field).contains { $0 == leaf.operand }
        case .notEquals: return !facts.lowercased(field).contains { $0 == leaf.operand }
        case .oneOf:
            if let list = leaf.operandList { return facts.lowercased(field).contains { list.contains($0) } }
            return facts.lowercased(field).contains { leaf.operands.contains($0) }
        case .contains: return facts.lowercased(field).contains { Self.bytes($0, contain: leaf.operandBytes) }
        case .startsWith: return facts.lowercased(field).contains { $0.hasPrefix(leaf.operand) }
        case .endsWith: return facts.lowercased(field).contains { $0.hasSuffix(leaf.operand) }
        case .matches: return facts.texts(field).contains { leaf.pattern?.matches($0) == true }
        }
    }
}
