import Foundation

/// Evenly spaced round values covering a range, for the gridlines and labels
/// of an axis: the step is 1, 2 or 5 times a power of ten, and the ends are
/// multiples of it.
///
/// ```swift
/// Ticks(covering: 0, 812).values      // [0, 200, 400, 600, 800, 1000]
/// Ticks(covering: 0, 0.034).values    // [0, 0.01, 0.02, 0.03, 0.04]
/// ```
struct Ticks: Equatable {
    /// The tick values, ascending; at least two.
    private(set) var values: [Double]
    /// The distance between two ticks.
    private(set) var step: Double

    /// The first tick: the axis' lower end.
    var lower: Double { values.first ?? 0 }
    /// The last tick: the axis' upper end.
    var upper: Double { values.last ?? 1 }

    /// The roundest ticks that cover `low...high` in about `maximumCount`
    /// intervals (one more when rounding both ends outwards adds one).
    ///
    /// An empty range (`low == high`) is widened by one unit; ends (or a
    /// distance between them) that are not finite give the ticks of `0...1`.
    init(covering low: Double, _ high: Double, maximumCount: Int = 5) {
        var (low, high) = (min(low, high), max(low, high))
        if !(high - low).isFinite { (low, high) = (0, 1) }
        if high == low { high = low + 1 }
        let intervals = Double(max(maximumCount, 1))
        let rough = (high - low) / intervals
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        var step = 10 * magnitude
        for multiple in [1.0, 2, 5] where multiple * magnitude >= rough * (1 - 1e-12) {
            step = multiple * magnitude
            break
        }
        let first = (low / step).rounded(.down)
        let last = max((high / step).rounded(.up), first + 1)
        self.step = step
        self.values = (0...Int(last - first)).map { (first + Double($0)) * step }
    }

    /// How many decimals the labels of these ticks need, in a unit `scale` times the values' (1000 for ms shown as s).
    func decimals(scaledBy scale: Double = 1) -> Int {
        let shown = step / scale
        guard shown < 1, shown > 0 else { return 0 }
        return Int((-log10(shown) - 1e-9).rounded(.up))
    }
}
