/// A small line of a series without axes, for a table cell: the trend at a
/// glance, its range in the hover title, a dot on the latest value.
///
/// ```swift
/// Sparkline(values: [410, nil, 452, 430], labels: ["Nov 17", "Nov 18", "Nov 19", "Nov 20"], unit: .milliseconds)
///     .svg(label: "p95 per day")
/// ```
struct Sparkline {
    /// One value per bucket, oldest first; `nil` for a bucket without runs.
    var values: [Double?]
    /// The buckets' labels, for the points' hover titles.
    var labels: [String]
    var unit: AxisUnit

    static let width = 120.0
    static let height = 28.0

    func svg(label: String) -> String {
        var svg = SVGDocument(width: Self.width, height: Self.height)
        let present = values.compactMap { $0 }
        guard let low = present.min(), let high = present.max() else {
            svg.add("line", ["class": "none", "x1": 2, "x2": .number(Self.width - 2), "y1": 14, "y2": 14], title: "no runs")
            return svg.markup(label: "\(label): no runs", class: "spark")
        }
        let slot = (Self.width - 6) / Double(max(values.count - 1, 1))
        let x = { (index: Int) in 3 + Double(index) * slot }
        let y = LinearScale(domain: (low, high), range: (Self.height - 4, 4))
        // A flat series (one value) is drawn through the middle.
        let position = { (value: Double) in high > low ? y(value) : Self.height / 2 }
        let points = values.enumerated().map { index, value in value.map { (x(index), position($0)) } }
        svg.add("path", ["class": "line", "d": .text(SVGDocument.path(through: points))])
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            let isLatest = index == values.lastIndex { $0 != nil }
            let name = index < labels.count ? labels[index] : ""
            let title = "\(name): \(unit.readable(value))"
            if isLatest {
                svg.add("circle", ["class": "last", "cx": .number(x(index)), "cy": .number(position(value)), "r": 2.5], title: title)
            } else {
                svg.add("circle", ["cx": .number(x(index)), "cy": .number(position(value)), "r": 2], title: title)
            }
        }
        return svg.markup(
            label: "\(label): \(unit.readable(low)) to \(unit.readable(high))", class: "spark")
    }
}
