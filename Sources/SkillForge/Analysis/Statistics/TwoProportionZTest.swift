/// The two-proportion z-test of whether two success (or failure) rates differ,
/// with the pooled-proportion standard error.
///
/// With x₁ of n₁ and x₂ of n₂, p₁ = x₁/n₁, p₂ = x₂/n₂ and the pooled
/// proportion p = (x₁ + x₂)/(n₁ + n₂):
///
///     z = (p₂ − p₁) / √(p·(1 − p)·(1/n₁ + 1/n₂))
///
/// Its square is Pearson's χ² for the 2×2 table without Yates' correction, so
/// the p-value equals R's `prop.test(correct = FALSE)` and SciPy's
/// `chi2_contingency(correction=False)`. The normal approximation needs
/// enough of both outcomes in each group; ``FailureRateTest`` switches to
/// ``FisherExactTest`` when there are not.
///
/// ```swift
/// // Failures: 30 of 200 runs before, 50 of 200 after.
/// let result = TwoProportionZTest.test(successes1: 30, trials1: 200, successes2: 50, trials2: 200)
/// result?.difference   // 0.1
/// result?.pValue       // 0.0124…
/// ```
public enum TwoProportionZTest {
    /// The outcome of a two-proportion z-test.
    public struct Result: Sendable, Hashable {
        /// p₁ = x₁/n₁, the first group's proportion.
        public let proportion1: Double
        /// p₂ = x₂/n₂, the second group's proportion.
        public let proportion2: Double
        /// p₂ − p₁: positive when the second group's proportion is higher.
        public let difference: Double
        /// The z statistic, with the sign of ``difference``; 0 when the pooled
        /// proportion is 0 or 1 (then both proportions are equal).
        public let z: Double
        /// The two-sided p-value of ``z``, in 0...1.
        public let pValue: Double
    }

    /// Tests whether `successes1` of `trials1` and `successes2` of `trials2`
    /// come from the same proportion.
    ///
    /// - Returns: `nil` when either group has no trials, or a count of
    ///   successes is negative or larger than its trials.
    public static func test(successes1: Int, trials1: Int, successes2: Int, trials2: Int) -> Result? {
        guard trials1 > 0, trials2 > 0,
            (0...trials1).contains(successes1), (0...trials2).contains(successes2)
        else { return nil }
        let n1 = Double(trials1)
        let n2 = Double(trials2)
        let p1 = Double(successes1) / n1
        let p2 = Double(successes2) / n2
        let pooled = (Double(successes1) + Double(successes2)) / (n1 + n2)
        let standardError = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        guard standardError > 0 else {
            // No successes or no failures at all: both proportions are equal.
            return Result(proportion1: p1, proportion2: p2, difference: 0, z: 0, pValue: 1)
        }
        let z = (p2 - p1) / standardError
        return Result(
            proportion1: p1, proportion2: p2, difference: p2 - p1, z: z,
            pValue: NormalDistribution.twoSidedPValue(z: z))
    }
}
