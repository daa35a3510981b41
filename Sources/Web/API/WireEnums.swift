import Tickets

/// Readable 422 texts for values a request body's decoder refused. The decoder's own
/// wording names Swift types ("Cannot initialize TicketStatus from invalid String value"),
/// which is an implementation detail no client can act on; these name the allowed values.
enum WireEnums {
    /// Allowed raw values of every enum a request body decodes, by Swift type name.
    static let allowed: [String: [String]] = Dictionary(uniqueKeysWithValues: [
        entry(TicketStatus.self), entry(TicketPriority.self), entry(TicketCategory.self), entry(TicketChannel.self),
        entry(TicketLinkKind.self), entry(Permission.self), entry(NotificationKind.self), entry(ReportPreset.self),
        entry(ReportInterval.self), entry(SLAMetric.self), entry(SLAStatus.self),
    ])

    private static func entry<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> (String, [String]) where T.RawValue == String {
        (String(describing: type), type.allCases.map(\.rawValue))
    }

    /// The message for a value the decoder found corrupt at `field`: the allowed values of
    /// an enum, the date format for a date, a generic sentence otherwise.
    static func message(field: String, decoderText: String) -> String {
        let name = field.isEmpty ? "The value" : field
        if let typeName = enumTypeName(in: decoderText), let values = allowed[typeName] {
            return "\(name) must be one of: \(values.joined(separator: ", "))."
        }
        if decoderText.localizedCaseInsensitiveContains("date") {
            return "\(name) must be an ISO 8601 date-time such as 2024-05-01T09:00:00Z."
        }
        return "\(name) has a value that is not allowed."
    }

    /// "Cannot initialize X from invalid String value y" -> "X" (the wording of Swift's
    /// RawRepresentable decoding, the only place this text comes from).
    static func enumTypeName(in text: String) -> String? {
        guard text.hasPrefix("Cannot initialize ") else { return nil }
        return text.dropFirst("Cannot initialize ".count).split(separator: " ").first.map(String.init)
    }

    /// "a string", "an integer", ... for a type the decoder expected.
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            if let values = allowed[name] { return "one of: \(values.joined(separator: ", "))" }
            return "a value of another type (see the OpenAPI document)"
        }
    }
}
