import Foundation

/// Fisher's exact test of independence in a 2×2 table, two-sided.
///
/// For the table
///
///     ┌ a  b ┐
///     └ c  d ┘
///
/// every table with the same row and column totals has, under independence,
/// the hypergeometric probability of its top-left cell. The two-sided
/// p-value sums the probabilities of all those tables that are no more likely
/// than the observed one, allowing a relative tolerance of 10⁻⁷ so that
/// equally likely tables are not lost to rounding — the rule of R's
/// `fisher.test` and SciPy's `fisher_exact`.
///
/// The probabilities are computed in log space with `lgamma` and scaled by
/// the most likely table's, so counts in the thousands or millions neither
/// overflow nor underflow; the time grows with the smaller of the first row
/// and first column totals.
///
/// ```swift
/// // Fisher's lady tasting tea: 3 of 4 milk-first cups recognised.
/// let result = FisherExactTest.test(a: 3, b: 1, c: 1, d: 3)
/// result?.pValue      // 0.4857… (17/35)
/// result?.oddsRatio   // 9.0
/// ```
public enum FisherExactTest {
    /// Tables up to this much more likely than the observed one, relatively,
    /// still count as no more likely (R's and SciPy's value).
    static let relativeTolerance = 1e-7

    /// The outcome of Fisher's exact test.
    public struct Result: Sendable, Hashable {
        /// The two-sided p-value, in 0...1.
        public let pValue: Double
        /// The sample odds ratio (a·d)/(b·c): `.infinity` when b·c = 0 < a·d,
        /// and `nil` when a·d = b·c = 0, where it is undefined.
        ///
        /// This is the plain cross-product ratio, SciPy's `fisher_exact`
        /// statistic, not the conditional maximum-likelihood estimate R's
        /// `fisher.test` reports.
        public let oddsRatio: Double?
    }

    /// Tests the table [[a, b], [c, d]] for independence of rows and columns.
    ///
    /// - Returns: `nil` when a count is negative or the counts add up to more than `Int.max`.
    public static func test(a: Int, b: Int, c: Int, d: Int) -> Result? {
        guard a >= 0, b >= 0, c >= 0, d >= 0,
            let row1 = sum(a, b), let row2 = sum(c, d), let column1 = sum(a, c), let count = sum(row1, row2)
        else { return nil }

        // The top-left cell x ranges over `lowest...highest`; the table it
        // makes has a probability proportional to 1 / (x! (row1−x)! (column1−x)! (row2−column1+x)!).
        let lowest = max(0, column1 - row2)
        let highest = min(row1, column1)
        func logWeight(_ x: Int) -> Double {
            -(logFactorial(x) + logFactorial(row1 - x) + logFactorial(column1 - x)
                + logFactorial(row2 - column1 + x))
        }
        // The mode of the hypergeometric distribution, ⌊(row1+1)(column1+1)/(count+2)⌋,
        // converted only when below `highest` so that it always fits in an Int.
        let modeEstimate = (Double(row1) + 1) * (Double(column1) + 1) / (Double(count) + 2)
        let mode = modeEstimate < Double(highest) ? max(Int(modeEstimate.rounded(.down)), lowest) : highest
        let largest = logWeight(mode)
        let limit = logWeight(a) + log1p(relativeTolerance)

        var all = 0.0
        var asExtreme = 0.0
        for x in lowest...highest {
            let logOfWeight = logWeight(x)
            let weight = exp(logOfWeight - largest)
            all += weight
            if logOfWeight <= limit {
                asExtreme += weight
            }
        }
        return Result(pValue: min(1, asExtreme / all), oddsRatio: oddsRatio(a: a, b: b, c: c, d: d))
    }

    // MARK: - Helpers

    /// ln(k!), by the thread-safe `lgamma` that also returns the sign.
    static func logFactorial(_ k: Int) -> Double {
        let (value, _) = lgamma(Double(k) + 1)
        return value
    }

    /// (a·d)/(b·c), `.infinity` when only the denominator is 0, `nil` when both are.
    static func oddsRatio(a: Int, b: Int, c: Int, d: Int) -> Double? {
        let numerator = Double(a) * Double(d)
        let denominator = Double(b) * Double(c)
        if denominator > 0 { return numerator / denominator }
        return numerator > 0 ? .infinity : nil
    }

    /// `x + y`, or `nil` when it overflows.
    private static func sum(_ x: Int, _ y: Int) -> Int? {
        let (total, overflow) = x.addingReportingOverflow(y)
        return overflow ? nil : total
    }
}
