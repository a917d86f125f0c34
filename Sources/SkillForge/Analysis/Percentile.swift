/// Exact percentiles by linear interpolation between closest ranks.
///
/// This is numpy's default `percentile` (`method="linear"`), Hyndman and
/// Fan's definition 7, also used by pandas, R's `quantile` default and Excel's
/// `PERCENTILE.INC`. For `n` sorted values `x[0] ≤ … ≤ x[n-1]` and a
/// percentile `p` from 0 to 100:
///
///     h = (n - 1) · (p / 100),  t = h - ⌊h⌋,  a = x[⌊h⌋],  b = x[⌊h⌋ + 1]
///     P = a + (b - a) · t        when t < 0.5
///     P = b - (b - a) · (1 - t)  otherwise
///
/// so p0 is the minimum, p100 the maximum, and p50 the usual median. The
/// arithmetic is numpy's, step for step, so the results are its to the bit
/// (PostgreSQL's `percentile_cont` computes `a + (b - a) · t` throughout, and
/// may differ from both in the last bits when `t ≥ 0.5`).
///
/// ```swift
/// Percentile.linear(50, ofSorted: [1, 2, 3, 4])   // 2.5
/// Percentile.linear(90, ofSorted: [1, 2, 3, 4])   // 3.7
/// ```
public enum Percentile {
    /// Where percentile `p` (0...100) falls among `count` (> 0) sorted values:
    /// the 0-based index of the lower neighbour and the weight of the upper one.
    package static func position(of p: Double, count: Int) -> (lower: Int, fraction: Double) {
        let h = Double(count - 1) * (p / 100)
        let lower = min(Int(h.rounded(.down)), count - 1)
        return (lower, h - Double(lower))
    }

    /// Interpolates between the value at the lower position and the next one, from the
    /// nearer end (numpy's `_lerp`).
    package static func interpolate(lower: Double, upper: Double, fraction: Double) -> Double {
        if fraction == 0 { return lower }
        let difference = upper - lower
        return fraction < 0.5 ? lower + difference * fraction : upper - difference * (1 - fraction)
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
