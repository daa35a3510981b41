/// An optional that encodes as JSON `null` when absent. The OpenAPI schemas list every key of
/// a response, nullable ones included, but a synthesized `Encodable` leaves nil properties
/// out; a property declared `@Nullable var dueAt: Date?` keeps its key. Also usable as a
/// plain value (`Nullable(x)`) inside other JSON types.
@propertyWrapper
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
    init(_ value: Value?) { wrappedValue = value }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
