/// A chart of values per time bucket: lines with a point per bucket (latency
/// p50 and p95, tokens), or bars (failure rate). A bucket without a value is a
/// gap in the line and no bar, so quiet periods show.
///
/// ```swift
/// let chart = TimeChart(
///     buckets: ["Nov 19", "Nov 20"], notes: ["12 runs", "30 runs"],
///     series: [.init(name: "p95", values: [812, 760], style: .line, cssClass: "s2")],
///     unit: .milliseconds)
/// let svg = chart.svg(label: "Latency p95 per day")
/// ```
///
/// Every point and bar carries a hover title: the bucket, the series, the value and the bucket's note.
struct TimeChart {
    enum Style { case line, bars }

    /// One measure over the buckets.
    struct Series {
        var name: String
        /// One value per bucket; `nil` where the bucket has none.
        var values: [Double?]
        var style: Style
        /// The class that colours it (`s1`, `s2`, `bad`).
        var cssClass: String
    }

    /// The buckets' labels, oldest first.
    var buckets: [String]
    /// What each bucket's hover titles add (its runs), one per bucket.
    var notes: [String]
    var series: [Series]
    /// The unit of the values.
    var unit: AxisUnit
    /// The vertical axis reaches at least this value (so an all-zero series still has an axis).
    var minimumUpper: Double = 0

    /// At most this many labels along the time axis.
    static let maximumLabels = 6

    func svg(label: String) -> String {
        let maximum = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let frame = ChartFrame(maximum: maximum, minimumUpper: minimumUpper, unit: unit)
        var svg = frame.document()
        let slot = frame.plotWidth / Double(max(buckets.count, 1))
        func x(_ index: Int) -> Double { frame.plotLeft + (Double(index) + 0.5) * slot }
        let y = frame.y

        for line in series {
            svg.beginGroup(class: "series \(line.cssClass)")
            switch line.style {
            case .bars:
                let width = max(slot * 0.7, 1)
                for (index, value) in line.values.enumerated() {
                    guard let value else { continue }
                    let top = min(y(value), frame.plotBottom - 1)
                    svg.add(
                        "rect",
                        ["class": "bar", "x": .number(x(index) - width / 2), "y": .number(top), "width": .number(width),
                         "height": .number(frame.plotBottom - top)],
                        title: title(index, line, value))
                }
            case .line:
                let points = line.values.enumerated().map { index, value in value.map { (x(index), y($0)) } }
                svg.add("path", ["class": "line", "d": .text(SVGDocument.path(through: points))])
                let radius = buckets.count <= 60 ? 3.0 : 1.6
                for (index, value) in line.values.enumerated() {
                    guard let value else { continue }
                    svg.add(
                        "circle", ["class": "pt", "cx": .number(x(index)), "cy": .number(y(value)), "r": .number(radius)],
                        title: title(index, line, value))
                }
            }
            svg.endGroup()
        }
        frame.addXLabels(labelPositions(x: x), to: &svg)
        return svg.markup(label: label, class: "chart")
    }

    private func title(_ index: Int, _ series: Series, _ value: Double) -> String {
        let bucket = index < buckets.count ? buckets[index] : ""
        let note = index < notes.count ? " · \(notes[index])" : ""
        return "\(bucket): \(series.name) \(unit.readable(value))\(note)"
    }

    /// Evenly spaced bucket labels, the first one always among them.
    private func labelPositions(x: (Int) -> Double) -> [(x: Double, text: String)] {
        guard !buckets.isEmpty else { return [] }
        let every = max(1, (buckets.count + Self.maximumLabels - 1) / Self.maximumLabels)
        return stride(from: 0, to: buckets.count, by: every).map { (x($0), buckets[$0]) }
    }
}
