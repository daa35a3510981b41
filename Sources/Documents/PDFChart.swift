/// Bar and line charts drawn as PDF vector paths: axes, five gridlines with values, thinned
/// x labels and a legend. Values are drawn against a round maximum (1, 2 or 5 times a power
/// of ten, at least 5).
public struct PDFChart: Sendable {
    public enum Kind: Sendable { case bars, lines }
    public struct Series: Sendable {
        public let name: String
        public let values: [Double?]
        public init(_ name: String, _ values: [Double?]) { (self.name, self.values) = (name, values) }
    }

    public let kind: Kind
    public let labels: [String]
    public let series: [Series]
    public let height: Double
    static let colors: [PDFColor] = [.blue, .green]

    public init(_ kind: Kind, labels: [String], series: [Series], height: Double = 150) {
        (self.kind, self.labels, self.series, self.height) = (kind, labels, series, height)
    }

    static func niceMax(_ value: Double) -> Double {
        guard value > 5 else { return 5 }
        var power = 1.0
        while power * 10 <= value { power *= 10 }
        for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }

    /// Draws the chart at the layout's cursor across the content width and moves the cursor below it.
    public func draw(in layout: PDFLayout) {
        let size = 7.0, legend = series.count > 1 ? 14.0 : 0
        layout.ensure(height + 28 + legend)
        let page = layout.page!
        let left = layout.margin + 34, right = layout.margin + layout.contentWidth, top = layout.y - 6, base = top - height
        let max = Self.niceMax(series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0)
        let y = { (v: Double) in base + (top - base) * v / max }
        for step in 0...5 {
            let value = max * Double(step) / 5
            page.line([(left, y(value)), (right, y(value))], width: 0.3, color: .lightGray)
            let text = value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
            page.text(text, x: left - 4 - layout.font.width(of: text, size: size), y: y(value) - 2.5, size: size, color: .gray)
        }
        page.line([(left, top), (left, base), (right, base)], width: 0.6, color: .gray)
        let slot = (right - left) / Double(Swift.max(labels.count, 1))
        let step = Swift.max(1, Int((Double(labels.count) * 40 / (right - left)).rounded(.up)))
        for (index, label) in labels.enumerated() where index % step == 0 {
            let text = layout.fitted(label, width: slot * Double(step) - 2, size: size)
            let centre = left + slot * (Double(index) + 0.5)
            page.text(text, x: centre - layout.font.width(of: text, size: size) / 2, y: base - 10, size: size, color: .gray)
        }
        for (k, s) in series.enumerated() {
            let color = Self.colors[k % Self.colors.count]
            switch kind {
            case .bars:
                let width = slot * 0.8 / Double(series.count)
                for (index, value) in s.values.enumerated() {
                    guard let value, value > 0 else { continue }
                    page.rectangle(x: left + slot * Double(index) + slot * 0.1 + width * Double(k), y: base, width: width,
                                   height: y(value) - base, fill: color)
                }
            case .lines:
                let points = s.values.enumerated().compactMap { index, value in value.map { (left + slot * (Double(index) + 0.5), y($0)) } }
                page.line(points, width: 1.2, color: color)
            }
        }
        layout.y = base - 24  // below the x labels
        if series.count > 1 {
            var x = left
            for (k, s) in series.enumerated() {
                page.rectangle(x: x, y: layout.y - 1, width: 8, height: 8, fill: Self.colors[k % Self.colors.count])
                page.text(s.name, x: x + 11, y: layout.y, size: 8)
                x += 22 + layout.font.width(of: s.name, size: 8)
            }
            layout.y -= legend
        }
    }
}
