import Foundation

/// The standard normal distribution, N(0, 1), for turning z statistics into p-values.
///
/// Both functions go through the complementary error function `erfc`, which
/// keeps full relative precision far into the tails, where `1 - Φ(z)` would
/// round to 0 long before the true value does.
///
/// ```swift
/// NormalDistribution.cdf(1.96)                  // 0.9750021…
/// NormalDistribution.twoSidedPValue(z: 1.96)    // 0.0499958…
/// ```
public enum NormalDistribution {
    /// Φ(z): the probability that a standard normal variable is at most `z`.
    ///
    /// Computed as `erfc(-z / √2) / 2`, accurate to a few units in the last
    /// place for negative `z` down to about −37, below which it underflows to 0.
    /// A NaN `z` gives NaN.
    ///
    /// ```swift
    /// NormalDistribution.cdf(0)     // 0.5
    /// NormalDistribution.cdf(-8)    // 6.22096…e-16
    /// ```
    public static func cdf(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// The two-sided p-value of a z statistic: P(|Z| ≥ |z|) = 2·Φ(−|z|), at most 1.
    ///
    /// A NaN `z` gives NaN.
    ///
    /// ```swift
    /// NormalDistribution.twoSidedPValue(z: -1.96)   // 0.0499958…
    /// NormalDistribution.twoSidedPValue(z: 0)       // 1
    /// ```
    public static func twoSidedPValue(z: Double) -> Double {
        min(1, erfc(abs(z) / 2.0.squareRoot()))
    }
}
