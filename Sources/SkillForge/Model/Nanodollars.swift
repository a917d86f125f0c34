/// Billionths of a US dollar: costs add up exactly as whole numbers of them,
/// where sums of dollars in floating point would drift.
///
/// ```swift
/// Nanodollars.of(0.00825)          // 8_250_000
/// Nanodollars.dollars(8_250_000)   // 0.00825
/// ```
package enum Nanodollars {
    /// Nanodollars per dollar.
    static let perDollar = 1e9

    /// A known cost (a number from 0 to ``MetricLimits/maximumCostUsd``, below 2⁵³
    /// nanodollars) in whole nanodollars, rounded half away from zero as SQLite's
    /// `round` does; `nil` for anything else, which counts as unknown.
    package static func of(_ dollars: Double) -> Int64? {
        guard dollars.isFinite, dollars >= 0, dollars <= MetricLimits.maximumCostUsd else { return nil }
        return Int64(exactly: (dollars * perDollar).rounded())
    }

    /// `nanodollars` in dollars.
    static func dollars(_ nanodollars: Int64) -> Double {
        Double(nanodollars) / perDollar
    }
}
