extension MannWhitneyU {
    /// Ranks two samples in one pass over their merged values, in ascending
    /// order, using constant memory.
    ///
    /// Values equal to the one before form a tie group. When a larger value
    /// arrives the group is closed: each of its `t` values gets the group's
    /// mid-rank (the mean of the ranks it spans), the baseline's values add
    /// theirs to the baseline rank sum R₁, and `t³ − t` is added to the tie
    /// correction Σ(t³ − t). Only the open group's count per sample is kept,
    /// never the values themselves, so samples of any size fit.
    ///
    /// A value smaller than the previous one throws ``MannWhitneyU/UnsortedInput``
    /// and leaves the accumulator unchanged. Within a tie group the order of
    /// the samples does not matter.
    ///
    /// Sums are kept as `Double`. They are exact (ranks are multiples of ½)
    /// while the rank sum stays below 2⁵³, that is for up to about 95 million
    /// values in all; beyond that they are rounded far below the statistic's
    /// standard error.
    ///
    /// ```swift
    /// var accumulator = MannWhitneyU.Accumulator()
    /// try accumulator.add(3, from: .baseline)
    /// try accumulator.add(5, from: .candidate)
    /// try accumulator.add(5, from: .baseline)     // tied with the 5 before
    /// try accumulator.add(4, from: .candidate)    // throws UnsortedInput
    /// accumulator.result()?.baselineRankSum       // 1 + 2.5 = 3.5
    /// ```
    public struct Accumulator: Sendable, Hashable {
        /// Values added from the baseline so far (n₁).
        public private(set) var baselineCount = 0
        /// Values added from the candidate so far (n₂).
        public private(set) var candidateCount = 0
        /// The last value added, or `nil` before the first; the next one must not be smaller.
        public private(set) var lastValue: Int64?

        /// Baseline values in the open tie group, all equal to `lastValue`.
        private var openBaseline = 0
        /// Candidate values in the open tie group, all equal to `lastValue`.
        private var openCandidate = 0
        /// Values in the closed tie groups: the rank just below the open group.
        private var ranked = 0
        /// The baseline's ranks in the closed tie groups.
        private var rankSum = 0.0
        /// Σ(t³ − t) over the closed tie groups.
        private var tieCorrection = 0.0

        /// Creates an accumulator that has seen no values.
        public init() {}

        /// Adds the next value of the merged, ascending sequence, `count` times.
        ///
        /// - Throws: ``MannWhitneyU/UnsortedInput`` when `value` is smaller than
        ///   ``lastValue``; the accumulator is then left unchanged.
        public mutating func add(_ value: Int64, from sample: Sample, count: Int = 1) throws(UnsortedInput) {
            guard count > 0 else { return }
            if let lastValue {
                if value < lastValue {
                    throw UnsortedInput(value: value, sample: sample, previous: lastValue)
                }
                if value > lastValue {
                    closeTieGroup()
                }
            }
            lastValue = value
            switch sample {
            case .baseline:
                baselineCount += count
                openBaseline += count
            case .candidate:
                candidateCount += count
                openCandidate += count
            }
        }

        /// The test on every value added so far, or `nil` while either sample is empty.
        ///
        /// The accumulator is not changed: more values may follow.
        public func result() -> Result? {
            guard baselineCount > 0, candidateCount > 0 else { return nil }
            var closed = self
            closed.closeTieGroup()
            return Result(
                baselineCount: baselineCount, candidateCount: candidateCount,
                baselineRankSum: closed.rankSum, tieCorrection: closed.tieCorrection)
        }

        /// Gives the open tie group its mid-rank and starts an empty one.
        private mutating func closeTieGroup() {
            let size = openBaseline + openCandidate
            guard size > 0 else { return }
            let t = Double(size)
            let midRank = Double(ranked) + (t + 1) / 2
            rankSum += Double(openBaseline) * midRank
            tieCorrection += t * t * t - t
            ranked += size
            openBaseline = 0
            openCandidate = 0
        }
    }
}
