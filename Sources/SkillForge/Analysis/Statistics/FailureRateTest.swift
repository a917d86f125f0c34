/// Compares two failure rates with the test that suits the counts: Fisher's
/// exact test for small counts, the two-proportion z-test otherwise.
///
/// The runs form the 2×2 table
///
///     ┌ failures1  runs1 − failures1 ┐
///     └ failures2  runs2 − failures2 ┘
///
/// and under independence each cell is expected to hold
/// (row total · column total) / all runs. Following the classic rule of
/// thumb for 2×2 tables (after Cochran, Biometrics 1954), the normal
/// approximation is trusted only when every expected count is at least 5:
/// when any is below 5 the test is ``FisherExactTest``, otherwise
/// ``TwoProportionZTest``. Both p-values are two-sided.
///
/// ```swift
/// // 1 failure in 40 runs before, 6 in 40 after: expected failures 3.5 < 5.
/// let result = FailureRateTest.test(failures1: 1, runs1: 40, failures2: 6, runs2: 40)
/// result?.method   // .fisherExact
/// ```
public enum FailureRateTest {
    /// The smallest expected cell count at which the z-test is used.
    public static let minimumExpectedCount = 5.0

    /// The test that produced a p-value.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// ``FisherExactTest``: some expected count was below ``FailureRateTest/minimumExpectedCount``.
        case fisherExact
        /// ``TwoProportionZTest``: every expected count was at least ``FailureRateTest/minimumExpectedCount``.
        case twoProportionZ
    }

    /// The outcome of a failure-rate comparison.
    public struct Result: Sendable, Hashable {
        /// The test used.
        public let method: Method
        /// Its two-sided p-value, in 0...1.
        public let pValue: Double
        /// failures1 / runs1.
        public let failureRate1: Double
        /// failures2 / runs2.
        public let failureRate2: Double
        /// The smallest of the four expected cell counts, which chose ``method``.
        public let smallestExpectedCount: Double
    }

    /// Tests whether `failures1` of `runs1` and `failures2` of `runs2` come
    /// from the same failure rate.
    ///
    /// - Returns: `nil` when either group has no runs, or a count of failures
    ///   is negative or larger than its runs.
    public static func test(failures1: Int, runs1: Int, failures2: Int, runs2: Int) -> Result? {
        guard runs1 > 0, runs2 > 0, (0...runs1).contains(failures1), (0...runs2).contains(failures2) else {
            return nil
        }
        let rate1 = Double(failures1) / Double(runs1)
        let rate2 = Double(failures2) / Double(runs2)
        let smallest = smallestExpectedCount(failures1: failures1, runs1: runs1, failures2: failures2, runs2: runs2)
        if smallest < minimumExpectedCount {
            guard
                let fisher = FisherExactTest.test(
                    a: failures1, b: runs1 - failures1, c: failures2, d: runs2 - failures2)
            else { return nil }
            return Result(
                method: .fisherExact, pValue: fisher.pValue, failureRate1: rate1, failureRate2: rate2,
                smallestExpectedCount: smallest)
        }
        guard
            let z = TwoProportionZTest.test(
                successes1: failures1, trials1: runs1, successes2: failures2, trials2: runs2)
        else { return nil }
        return Result(
            method: .twoProportionZ, pValue: z.pValue, failureRate1: rate1, failureRate2: rate2,
            smallestExpectedCount: smallest)
    }

    /// The smallest expected count of the table under independence: the
    /// smaller row total times the smaller column total, over all runs.
    static func smallestExpectedCount(failures1: Int, runs1: Int, failures2: Int, runs2: Int) -> Double {
        let runs = Double(runs1) + Double(runs2)
        let failures = Double(failures1) + Double(failures2)
        let smallerRow = min(Double(runs1), Double(runs2))
        let smallerColumn = min(failures, runs - failures)
        return smallerRow * smallerColumn / runs
    }
}
