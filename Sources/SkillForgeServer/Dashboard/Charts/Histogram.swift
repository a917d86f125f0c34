/// A histogram of one distribution, or of two side by side (a comparison's
/// baseline and candidate): a bar per bin and series, and one more bar for
/// the values above the last bin when there are any.
///
/// ```swift
/// let bins = HistogramBins(covering: 0, 1_000, about: 10)
/// var latency = Histogram(bins: bins, unit: .milliseconds)
/// latency.series = [.init(name: "runs", counts: [3, 9, 4, 1, 0, 0, 0, 0, 0, 1], overflow: 2, cssClass: "s1")]
/// let svg = latency.svg(label: "Latency distribution")
/// ```
///
/// With ``showsShares``, bars are each series' share of its own runs, so
/// sides of different sizes compare.
struct Histogram {
    struct Series {
        var name: String
        /// Runs per bin.
        var counts: [Int]
        /// Runs above the last bin.
        var overflow: Int
        var cssClass: String

        var total: Int { counts.reduce(0, +) + overflow }
    }

    var bins: HistogramBins
    /// The unit of the binned values.
    var unit: AxisUnit
    var series: [Series] = []
    /// Whether the bars show shares of each series' runs rather than counts.
    var showsShares = false

    /// Whether a series has values above the last bin, drawn as one lighter bar at the end.
    var hasOverflow: Bool { series.contains { $0.overflow > 0 } }

    func svg(label: String) -> String {
        let heights = series.map { line in (line.counts + [line.overflow]).map { value(Double($0), of: line) } }
        let frame = ChartFrame(
            maximum: heights.flatMap { $0 }.max() ?? 0, minimumUpper: showsShares ? 0.1 : 1,
            unit: showsShares ? .fraction : .runs)
        var svg = frame.document()
        // The overflow bar stands one bin apart, after a gap of half a bin.
        let slots = Double(bins.count) + (hasOverflow ? 1.5 : 0)
        let x = LinearScale(domain: (0, slots), range: (frame.plotLeft, frame.plotRight))
        let y = frame.y
        let slot = frame.plotWidth / slots
        let barWidth = max(slot * 0.9 / Double(max(series.count, 1)), 0.8)

        for (number, line) in series.enumerated() {
            svg.beginGroup(class: "series \(line.cssClass)")
            for index in 0...bins.count {
                let isOverflow = index == bins.count
                guard !isOverflow || hasOverflow else { continue }
                let runs = isOverflow ? line.overflow : line.counts[index]
                let start = x(isOverflow ? Double(bins.count) + 0.5 : Double(index)) + slot * 0.05
                let left = start + barWidth * Double(number)
                let top = min(y(heights[number][index]), frame.plotBottom - (runs > 0 ? 1 : 0))
                svg.add(
                    "rect",
                    ["class": isOverflow ? "bar tail" : "bar", "x": .number(left), "y": .number(top),
                     "width": .number(barWidth), "height": .number(frame.plotBottom - top)],
                    title: title(index: index, runs: runs, of: line))
            }
            svg.endGroup()
        }
        let ticks = Ticks(covering: bins.lower, bins.upper, maximumCount: 5)
        let labels = ticks.values.filter { $0 >= bins.lower && $0 <= bins.upper }
            .map { (x: x(($0 - bins.lower) / bins.width), text: unit.tickText($0, ticks: ticks)) }
        frame.addXLabels(labels, to: &svg)
        return svg.markup(label: label, class: "chart")
    }

    /// A bar's height: runs, or their share of the series.
    private func value(_ runs: Double, of series: Series) -> Double {
        guard showsShares else { return runs }
        return series.total > 0 ? runs / Double(series.total) : 0
    }

    private func title(index: Int, runs: Int, of series: Series) -> String {
        let range: String
        if index == bins.count {
            range = "above \(unit.tickText(bins.upper, ticks: bins.ticks))"
        } else {
            let edges = bins.edges(of: index)
            range = unit.rangeText(edges.lower, edges.upper, ticks: bins.ticks)
        }
        let share = series.total > 0 ? " (\(AxisUnit.fraction.readable(Double(runs) / Double(series.total))))" : ""
        let name = self.series.count > 1 ? "\(series.name), " : ""
        return "\(name)\(range): \(AxisUnit.runs.readable(Double(runs)))\(share)"
    }
}
