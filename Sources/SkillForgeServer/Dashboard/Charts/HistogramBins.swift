/// Equal-width bins of round width covering a range of values, and where a
/// value falls: `[lower, lower + width)`, … up to the last bin, which also
/// holds `upper`; values above it fall in the overflow (the tail beyond the
/// 99th percentile, drawn as one bar).
///
/// ```swift
/// let bins = HistogramBins(covering: 120, 2_380, about: 24)   // 100 ms wide, from 100 to 2400
/// bins.index(of: 250)     // 1
/// bins.index(of: 9_000)   // nil: the overflow
/// ```
struct HistogramBins: Equatable {
    /// The first bin's lower edge.
    let lower: Double
    /// The width of every bin.
    let width: Double
    /// How many bins.
    let count: Int
    /// The bins' edges as ticks, whose step the labels of edges follow.
    let ticks: Ticks

    /// The last bin's upper edge.
    var upper: Double { lower + width * Double(count) }

    /// Round bins covering `low...high`, about `target` of them.
    init(covering low: Double, _ high: Double, about target: Int) {
        ticks = Ticks(covering: low, high, maximumCount: max(target, 1))
        lower = ticks.lower
        width = ticks.step
        count = max(ticks.values.count - 1, 1)
    }

    /// The bin of a value, or `nil` for a value above ``upper``.
    func index(of value: Double) -> Int? {
        guard value <= upper else { return nil }
        let index = ((value - lower) / width).rounded(.down)
        guard index.isFinite else { return 0 }
        return Int(min(max(index, 0), Double(count - 1)))
    }

    /// The edges of a bin.
    func edges(of index: Int) -> (lower: Double, upper: Double) {
        (lower + width * Double(index), lower + width * Double(index + 1))
    }
}
