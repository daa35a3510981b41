/// Separates what a person wrote in a reply from the quoted history and signature their mail
/// client added below it, so the agent's view can fold the latter (the full text stays).
public enum QuotedHistory {
    /// The text split at the first line that starts quoted history or a signature. When that
    /// would leave nothing (a message that is only a quote), everything is the reply.
    public static func split(_ text: String) -> (reply: String, quoted: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let cut = lines.indices.first(where: { startsHistory(lines, at: $0) }) else { return (text, "") }
        let reply = lines[..<cut].joined(separator: "\n").trimmingBlanks()
        guard !reply.isEmpty else { return (text, "") }
        return (reply, lines[cut...].joined(separator: "\n"))
    }

    /// The verbs of "On <date>, <name> wrote:" in the languages mail clients localise it to.
    private static let attributionVerbs = ["wrote", "schrieb", "a écrit", "escribió", "scritto", "schreef", "napisał"]
    private static let attributionStarts = ["On ", "Am ", "Le ", "El ", "Il ", "Op ", "W dniu "]

    private static func startsHistory(_ lines: [Substring], at i: Int) -> Bool {
        let line = lines[i].trimmingBlanks()
        if lines[i] == "-- " { return true }  // the signature separator (RFC 3676 4.3)
        if line.hasPrefix("-----Original Message-----") || line.hasPrefix("----- Original Message -----")
            || line.hasPrefix("-------- Forwarded Message") || line.hasPrefix("---------- Forwarded message") {
            return true
        }
        if line.hasPrefix("Sent from my ") && line.count < 60 { return true }
        // "On <date>, <name> wrote:" possibly wrapped onto a second line (Gmail, Apple Mail).
        if attributionStarts.contains(where: { line.hasPrefix($0) }) {
            let joined = i + 1 < lines.count && !line.hasSuffix(":") ? line + " " + lines[i + 1].trimmingBlanks() : line
            if joined.hasSuffix(":"), joined.count < 200, attributionVerbs.contains(where: { joined.contains($0) }) { return true }
        }
        // Outlook: a rule or a "From:" line followed shortly by "Sent:" or "Date:".
        if line.hasPrefix("From:") || line.hasPrefix("________________") {
            let window = lines[(i + 1)..<min(lines.count, i + 5)].map { $0.trimmingBlanks() }
            if window.contains(where: { $0.hasPrefix("Sent:") || $0.hasPrefix("Date:") || $0.hasPrefix("From:") }) { return true }
        }
        // A trailing block of "> " lines (with blank lines between) is quoted history.
        if line.hasPrefix(">") {
            return lines[i...].allSatisfy { $0.trimmingBlanks().isEmpty || $0.hasPrefix(">") }
        }
        return false
    }
}
