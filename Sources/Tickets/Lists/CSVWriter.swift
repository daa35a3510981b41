/// RFC 4180 CSV with spreadsheet formula injection neutralised.
public enum CSVWriter {
    /// The UTF-8 byte order mark, for spreadsheet programs that need it to detect UTF-8.
    public static let byteOrderMark = "\u{FEFF}"

    /// One field: a cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading apostrophe
    /// (so it is never evaluated as a formula); fields with `,`, `"`, CR or LF are quoted with
    /// inner quotes doubled (RFC 4180 section 2).
    public static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// One record terminated by CRLF.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
