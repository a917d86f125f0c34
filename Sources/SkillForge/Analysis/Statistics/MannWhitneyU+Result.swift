extension MannWhitneyU {
    /// The outcome of a Mann–Whitney U test of a candidate sample against a baseline.
    ///
    /// With n₁ baseline values, n₂ candidate values, n = n₁ + n₂ and tie
    /// groups of sizes t, the normal approximation uses
    ///
    ///     μ  = n₁·n₂ / 2
    ///     σ² = n₁·n₂ / 12 · ((n + 1) − Σ(t³ − t) / (n·(n − 1)))
    ///     z  = sign(U₂ − μ) · max(|U₂ − μ| − ½, 0) / σ
    ///
    /// where the ½ is the continuity correction (as in R's `wilcox.test` and
    /// SciPy's `mannwhitneyu` with `use_continuity=True`). When every value is
    /// tied σ is 0 and there is no evidence of a difference: `z` is 0 and the
    /// p-value 1.
    ///
    /// ```swift
    /// let result = MannWhitneyU.test(baseline: [120, 130, 140], candidate: [150, 160, 170])
    /// result?.candidateU                   // 9: every candidate value is larger
    /// result?.probabilityOfSuperiority     // 1.0
    /// ```
    public struct Result: Sendable, Hashable {
        /// Number of baseline values, n₁ (at least 1).
        public let baselineCount: Int
        /// Number of candidate values, n₂ (at least 1).
        public let candidateCount: Int
        /// R₁: the sum of the baseline values' ranks among all n values, from 1
        /// for the smallest, tied values sharing their mid-rank.
        public let baselineRankSum: Double
        /// Σ(t³ − t) over the groups of t tied values (0 without ties).
        public let tieCorrection: Double
        /// U₁ = R₁ − n₁(n₁ + 1)/2: the (baseline, candidate) pairs in which the
        /// baseline value is larger, a tie counting ½.
        public let baselineU: Double
        /// U₂ = n₁·n₂ − U₁: the pairs in which the candidate value is larger, a tie counting ½.
        public let candidateU: Double
        /// The z statistic with tie and continuity corrections; positive when
        /// candidate values tend to be larger than baseline values.
        public let z: Double
        /// The z statistic with the tie correction but without the continuity correction.
        public let zWithoutContinuityCorrection: Double
        /// The two-sided p-value of ``z`` under the normal approximation, in 0...1.
        public let pValue: Double

        /// U = min(U₁, U₂), the statistic printed tables of critical values use.
        public var u: Double { min(baselineU, candidateU) }

        /// The common-language effect size: P(candidate > baseline) + ½·P(tie)
        /// for a value drawn from each sample, U₂ / (n₁·n₂), in 0...1.
        ///
        /// 0.5 means neither sample tends to be larger; above 0.5 the candidate
        /// tends to be larger (slower, for durations).
        public var probabilityOfSuperiority: Double {
            candidateU / (Double(baselineCount) * Double(candidateCount))
        }

        /// Derives the statistics from the sample sizes (both at least 1), the
        /// baseline rank sum and the tie correction.
        init(baselineCount: Int, candidateCount: Int, baselineRankSum: Double, tieCorrection: Double) {
            let n1 = Double(baselineCount)
            let n2 = Double(candidateCount)
            let n = n1 + n2
            self.baselineCount = baselineCount
            self.candidateCount = candidateCount
            self.baselineRankSum = baselineRankSum
            self.tieCorrection = tieCorrection
            baselineU = baselineRankSum - n1 * (n1 + 1) / 2
            candidateU = n1 * n2 - baselineU

            let deviation = candidateU - n1 * n2 / 2
            let variance = n1 * n2 / 12 * ((n + 1) - tieCorrection / (n * (n - 1)))
            guard variance > 0 else {
                // Every value is tied: the ranks carry no information.
                z = 0
                zWithoutContinuityCorrection = 0
                pValue = 1
                return
            }
            let standardDeviation = variance.squareRoot()
            let corrected = max(abs(deviation) - 0.5, 0)
            z = corrected == 0 ? 0 : (deviation < 0 ? -corrected : corrected) / standardDeviation
            zWithoutContinuityCorrection = deviation / standardDeviation
            pValue = NormalDistribution.twoSidedPValue(z: z)
        }
    }
}
