/// Exact percentiles by linear interpolation between closest ranks.
///
/// This is numpy's default `percentile` (`method="linear"`), Hyndman and
/// Fan's definition 7, also used by pandas, R's `quantile` default and Excel's
/// `PERCENTILE.INC`. For `n` sorted values `x[0] ≤ … ≤ x[n-1]` and a
/// percentile `p` from 0 to 100:
///
///     h = (n - 1) · p / 100
///     P = x[⌊h⌋] + (h - ⌊h⌋) · (x[⌊h⌋ + 1] - x[⌊h⌋])
///
/// so p0 is the minimum, p100 the maximum, and p50 the usual median.
///
/// ```swift
/// Percentile.linear(50, ofSorted: [1, 2, 3, 4])   // 2.5
/// Percentile.linear(90, ofSorted: [1, 2, 3, 4])   // 3.7
/// ```
public enum Percentile {
    /// Where percentile `p` (0...100) falls among `count` (> 0) sorted values:
    /// the 0-based index of the lower neighbour and the weight of the upper one.
    package static func position(of p: Double, count: Int) -> (lower: Int, fraction: Double) {
        let h = Double(count - 1) * p / 100
        let lower = min(Int(h.rounded(.down)), count - 1)
        return (lower, h - Double(lower))
    }

    /// Interpolates between the value at the lower position and the next one.
    package static func interpolate(lower: Double, upper: Double, fraction: Double) -> Double {
        fraction == 0 ? lower : lower + fraction * (upper - lower)
    }

    /// The `p`th percentile of values sorted in ascending order, or `nil` when
    /// there are none or `p` is outside 0...100.
    public static func linear<C: RandomAccessCollection>(_ p: Double, ofSorted values: C) -> Double?
    where C.Element: BinaryInteger {
        guard !values.isEmpty, (0...100).contains(p) else { return nil }
        let (lower, fraction) = position(of: p, count: values.count)
        let lowerIndex = values.index(values.startIndex, offsetBy: lower)
        let upperIndex = lower + 1 < values.count ? values.index(after: lowerIndex) : lowerIndex
        return interpolate(lower: Double(values[lowerIndex]), upper: Double(values[upperIndex]), fraction: fraction)
    }
}
