/// The Prometheus text exposition format (version 0.0.4) for plain counters and gauges: the
/// server's own metrics and the help desk's use this one writer.
public enum PrometheusText {
    /// One `# TYPE` line per metric family (names ending `_total` are counters), then each
    /// sample. `lines` are (name with optional `{labels}`, value).
    public static func render(_ lines: [(String, Int)]) -> String {
        var text = ""
        var typed: Set<Substring> = []
        for (name, value) in lines {
            let family = name.prefix { $0 != "{" }
            if typed.insert(family).inserted {
                text += "# TYPE \(family) \(family.hasSuffix("_total") ? "counter" : "gauge")\n"
            }
            text += "\(name) \(value)\n"
        }
        return text
    }
}
