/// The Mann–Whitney U test (Wilcoxon rank-sum test) of whether values from a
/// candidate tend to be larger or smaller than values from a baseline.
///
/// The samples are never held in memory: feed both of them, merged in
/// ascending order, to an ``Accumulator`` (for instance rows read from the
/// database with `ORDER BY execution_ms`), then ask it for the ``Result``.
/// The p-value uses the normal approximation with tie and continuity
/// corrections, as R's `wilcox.test(exact = FALSE, correct = TRUE)` and
/// SciPy's `mannwhitneyu(method="asymptotic", use_continuity=True)` do; it
/// suits samples of more than a couple of dozen values each.
///
/// ```swift
/// var accumulator = MannWhitneyU.Accumulator()
/// for (value, sample) in mergedAscending {
///     try accumulator.add(value, from: sample)
/// }
/// if let result = accumulator.result(), result.pValue < 0.05 {
///     print("candidate differs; P(candidate > baseline) ≈ \(result.probabilityOfSuperiority)")
/// }
/// ```
public enum MannWhitneyU {
    /// Which of the two compared samples a value belongs to.
    public enum Sample: String, Sendable, Hashable, CaseIterable {
        /// The reference sample, such as the runs of the previous version (sample 1).
        case baseline
        /// The sample compared with it, such as the runs of the new version (sample 2).
        case candidate
    }

    /// Runs the test on two small in-memory samples by sorting, merging and
    /// streaming them through an ``Accumulator``.
    ///
    /// Meant for tests and small samples: it copies and sorts both arrays.
    /// For large samples, stream values already in ascending order into an
    /// ``Accumulator`` instead.
    ///
    /// ```swift
    /// let result = MannWhitneyU.test(baseline: [1, 7, 8, 9, 10, 11], candidate: [2, 3, 4, 5, 6, 12])
    /// result?.u   // 11
    /// ```
    ///
    /// - Returns: `nil` when either sample is empty.
    public static func test(baseline: [Int64], candidate: [Int64]) -> Result? {
        let tagged = baseline.map { ($0, Sample.baseline) } + candidate.map { ($0, Sample.candidate) }
        var accumulator = Accumulator()
        for (value, sample) in tagged.sorted(by: { $0.0 < $1.0 }) {
            // Cannot fail: the values arrive sorted.
            guard (try? accumulator.add(value, from: sample)) != nil else { return nil }
        }
        return accumulator.result()
    }
}

// MARK: - Errors

extension MannWhitneyU {
    /// A value smaller than the one before it reached an ``Accumulator``,
    /// which needs its input in ascending order.
    ///
    /// The accumulator rejects the value and stays as it was.
    public struct UnsortedInput: Error, Sendable, Hashable {
        /// The rejected value.
        public let value: Int64
        /// The sample the rejected value was tagged with.
        public let sample: Sample
        /// The value added just before it, which is larger.
        public let previous: Int64

        /// Creates the error for `value` arriving after the larger `previous`.
        public init(value: Int64, sample: Sample, previous: Int64) {
            self.value = value
            self.sample = sample
            self.previous = previous
        }
    }
}

extension MannWhitneyU.UnsortedInput: CustomStringConvertible {
    public var description: String {
        "\(sample.rawValue) value \(value) came after \(previous): values must be added in ascending order"
    }
}
