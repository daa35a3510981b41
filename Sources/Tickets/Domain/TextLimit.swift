/// The one check every stored text goes through: a documented maximum in characters,
/// checked before anything is written, and no NUL characters (SQLite and C strings stop
/// at them, so a value could be cut short after it was validated).
public enum TextLimit {
    /// Throws a `.validation` error on `field` when `text` is longer than `max` characters
    /// or contains a NUL character. The byte count is checked first, so an 11 MB value is
    /// refused without counting its characters.
    public static func check(_ text: String, field: String, max: Int) throws {
        if text.utf8.count > max, text.count > max {
            throw DomainError.validation(field, "Use at most \(max) characters.")
        }
        if text.utf8.contains(0) {
            throw DomainError.validation(field, "Text cannot contain NUL characters.")
        }
    }

    /// `check` for an optional value.
    public static func check(_ text: String?, field: String, max: Int) throws {
        if let text { try check(text, field: field, max: max) }
    }
}
