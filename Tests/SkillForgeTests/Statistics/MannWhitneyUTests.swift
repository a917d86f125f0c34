import Testing

@testable import SkillForge

extension StatisticsTests {
    @Suite("Mann–Whitney U")
    struct MannWhitneyUTests {
        // MARK: - Worked examples

        /// Wikipedia, "Mann–Whitney U test", illustration of calculation methods:
        /// 6 tortoises and 6 hares finish in the order T H H H H H T T T T T H, so
        /// U_T = 11 (hares each tortoise beats) and U_H = 25 (36 pairs in all).
        /// With finishing positions as values (1 = first home) the tortoises'
        /// ascending rank sum is 1 + 7 + 8 + 9 + 10 + 11 = 46 (the article's 32,
        /// ranked from the other end, is 6 · 13 − 46).
        /// z and p: `scipy.stats.mannwhitneyu([1, 7, 8, 9, 10, 11], [2, 3, 4, 5, 6, 12],
        /// alternative='two-sided', method='asymptotic', use_continuity=True)` gives
        /// p = 0.2979530616081678; z = −norm.isf(p / 2) (hares finish earlier);
        /// `use_continuity=False` gives p = 0.2623316754083572, |z| = 1.1208970766356101.
        @Test("Wikipedia's tortoise and hare race")
        func tortoiseAndHare() throws {
            let result = try #require(MannWhitneyU.test(baseline: [1, 7, 8, 9, 10, 11], candidate: [2, 3, 4, 5, 6, 12]))
            #expect(result.baselineCount == 6)
            #expect(result.candidateCount == 6)
            #expect(result.baselineRankSum == 46)
            #expect(result.baselineU == 25)  // U_H: a tortoise finishing after a hare
            #expect(result.candidateU == 11)  // U_T: a hare finishing after a tortoise
            #expect(result.u == 11)
            #expect(result.tieCorrection == 0)
            #expect(result.probabilityOfSuperiority.isApproximately(11.0 / 36))
            #expect(result.pValue.isApproximately(0.2979530616081678))
            #expect(result.z.isApproximately(-1.040832999733066))
            #expect(result.zWithoutContinuityCorrection.isApproximately(-1.1208970766356101))
        }

        /// R's `wilcox.test` help page example (Hollander & Wolfe 1973, p. 69f):
        /// permeability constants x (term) and y (12–26 weeks), here × 100 to make
        /// them integers without changing their order; R reports W = 35, which is
        /// U for x. p: `scipy.stats.mannwhitneyu(x, y, alternative='two-sided',
        /// method='asymptotic', use_continuity=True)` = 0.24462360512698333,
        /// z = −norm.isf(p / 2) (y tends to be smaller).
        @Test("R's wilcox.test example: Hollander & Wolfe permeability constants")
        func permeability() throws {
            let x: [Int64] = [80, 83, 189, 104, 145, 138, 191, 164, 73, 146]
            let y: [Int64] = [115, 88, 90, 74, 121]
            let result = try #require(MannWhitneyU.test(baseline: x, candidate: y))
            #expect(result.baselineU == 35)
            #expect(result.candidateU == 15)
            #expect(result.pValue.isApproximately(0.24462360512698333))
            #expect(result.z.isApproximately(-1.16350762782201))

            // Swapping the samples swaps U₁ and U₂ and flips z; the p-value stays.
            let swapped = try #require(MannWhitneyU.test(baseline: y, candidate: x))
            #expect(swapped.baselineU == 15)
            #expect(swapped.z == -result.z)
            #expect(swapped.pValue == result.pValue)
        }

        // MARK: - Ties

        /// Tie-corrected normal approximation with published R output
        /// (endmemo.com/r/wilcoxon.php, "Wilcoxon rank sum test with continuity
        /// correction"): W = 51.5, p-value = 0.5966, and with the second y
        /// W = 0, p-value = 0.001364. Full digits: `scipy.stats.mannwhitneyu(x, y,
        /// alternative='two-sided', method='asymptotic', use_continuity=True)`,
        /// z = norm.isf(p / 2) (y tends to be larger); rank sums and Σ(t³ − t)
        /// from `scipy.stats.rankdata` and `np.unique(..., return_counts=True)`.
        @Test(
            "ties: R's published wilcox.test outputs",
            arguments: [
                (
                    [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5] as [Int64],
                    51.5, 106.5, 72.0, 0.5965969026279817, 0.5293006530820092
                ),
                ([1233, 4356, 987, 39999, 1111, 200000], 0, 55, 6, 0.0013643929543816092, 3.2020795893626173),
            ])
        func publishedTies(
            candidate: [Int64], baselineU: Double, rankSum: Double, tieCorrection: Double, pValue: Double, z: Double
        ) throws {
            let baseline: [Int64] = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4]
            let result = try #require(MannWhitneyU.test(baseline: baseline, candidate: candidate))
            #expect(result.baselineU == baselineU)
            #expect(result.baselineRankSum == rankSum)
            #expect(result.tieCorrection == tieCorrection)
            #expect(result.pValue.isApproximately(pValue))
            #expect(result.z.isApproximately(z))
        }

        /// Mid-ranks by hand: sorted, the values are 1 | 2 2 2 | 3 3 3 3 3 | 4 |
        /// 5 5 5 5 | 8 | 9 9, so ranks 1, 3, 7, 10, 12.5, 15, 16.5; the baseline
        /// holds one 1, two 2s, three 3s, one 5 and the 8: R₁ = 1 + 6 + 21 + 12.5 +
        /// 15 = 55.5, U₁ = 55.5 − 36 = 19.5, Σ(t³ − t) = 24 + 120 + 60 + 6 = 210.
        /// p: `scipy.stats.mannwhitneyu([1, 2, 2, 3, 3, 3, 5, 8], [2, 3, 3, 4, 5, 5, 5, 9, 9],
        /// alternative='two-sided', method='asymptotic', use_continuity=True)` =
        /// 0.11555202573169705 (z = norm.isf(p / 2)); with `use_continuity=False`
        /// p = 0.10461088851514616, z = 1.622899509181456.
        @Test("ties: mid-ranks and the tie correction by hand")
        func tiesByHand() throws {
            let result = try #require(
                MannWhitneyU.test(baseline: [1, 2, 2, 3, 3, 3, 5, 8], candidate: [2, 3, 3, 4, 5, 5, 5, 9, 9]))
            #expect(result.baselineRankSum == 55.5)
            #expect(result.baselineU == 19.5)
            #expect(result.candidateU == 52.5)
            #expect(result.tieCorrection == 210)
            #expect(result.pValue.isApproximately(0.11555202573169705))
            #expect(result.z.isApproximately(1.5737207361759573))
            #expect(result.zWithoutContinuityCorrection.isApproximately(1.622899509181456))
        }

        /// Every value tied: σ = 0, so there is no evidence of a difference. By
        /// hand: all five values share mid-rank 3, R₁ = 9, U₁ = U₂ = 3, Σ(t³ − t) = 120.
        @Test("all values tied: z = 0, p = 1, no NaN")
        func allTied() throws {
            let result = try #require(MannWhitneyU.test(baseline: [7, 7, 7], candidate: [7, 7]))
            #expect(result.baselineRankSum == 9)
            #expect(result.baselineU == 3)
            #expect(result.candidateU == 3)
            #expect(result.tieCorrection == 120)
            #expect(result.z == 0)
            #expect(result.zWithoutContinuityCorrection == 0)
            #expect(result.pValue == 1)
            #expect(result.probabilityOfSuperiority == 0.5)

            let pair = try #require(MannWhitneyU.test(baseline: [4], candidate: [4]))
            #expect(pair.pValue == 1)
            #expect(pair.z == 0)
        }

        // MARK: - Small and empty samples

        /// One value each: U₂ = 1, μ = ½, σ = ½ by hand, so the continuity
        /// correction cancels the whole deviation. `scipy.stats.mannwhitneyu([1], [2],
        /// alternative='two-sided', method='asymptotic')` gives p = 1.0 with
        /// `use_continuity=True`, and p = 0.31731050786291415 (|z| = 1) without.
        @Test("one value in each sample")
        func oneEach() throws {
            let result = try #require(MannWhitneyU.test(baseline: [1], candidate: [2]))
            #expect(result.baselineU == 0)
            #expect(result.candidateU == 1)
            #expect(result.z == 0)
            #expect(result.pValue == 1)
            #expect(result.zWithoutContinuityCorrection == 1)
            #expect(result.probabilityOfSuperiority == 1)
        }

        @Test(
            "an empty sample gives no result",
            arguments: [([], [1, 2]), ([1, 2], []), ([], [])] as [([Int64], [Int64])])
        func emptySample(baseline: [Int64], candidate: [Int64]) {
            #expect(MannWhitneyU.test(baseline: baseline, candidate: candidate) == nil)
        }

        @Test("an accumulator without values of both samples gives no result")
        func accumulatorWithOneSample() throws {
            var accumulator = MannWhitneyU.Accumulator()
            #expect(accumulator.result() == nil)
            try accumulator.add(1, from: .candidate)
            try accumulator.add(2, from: .candidate)
            #expect(accumulator.result() == nil)
            try accumulator.add(3, from: .baseline)
            #expect(accumulator.result() != nil)
        }

        /// The common-language effect size on samples that do not overlap, by hand.
        @Test("probability of superiority: 1 when every candidate value is larger, 0 when smaller")
        func superiority() throws {
            let larger = try #require(MannWhitneyU.test(baseline: [120, 130, 140], candidate: [150, 160, 170]))
            #expect(larger.candidateU == 9)
            #expect(larger.probabilityOfSuperiority == 1)
            #expect(larger.z > 0)
            let smaller = try #require(MannWhitneyU.test(baseline: [150, 160, 170], candidate: [120, 130, 140]))
            #expect(smaller.probabilityOfSuperiority == 0)
            #expect(smaller.z < 0)
        }

        // MARK: - Streaming

        @Test("a value smaller than the previous one is rejected and changes nothing")
        func outOfOrder() throws {
            var accumulator = MannWhitneyU.Accumulator()
            try accumulator.add(3, from: .baseline)
            try accumulator.add(5, from: .baseline)
            let before = accumulator

            #expect(throws: MannWhitneyU.UnsortedInput(value: 4, sample: .candidate, previous: 5)) {
                try accumulator.add(4, from: .candidate)
            }
            #expect(accumulator == before)
            #expect(accumulator.lastValue == 5)

            // The stream can go on with a value that is in order.
            try accumulator.add(5, from: .candidate)
            try accumulator.add(6, from: .candidate)
            #expect(accumulator.result() == MannWhitneyU.test(baseline: [3, 5], candidate: [5, 6]))
        }

        @Test("the error says what went wrong")
        func unsortedDescription() {
            let error = MannWhitneyU.UnsortedInput(value: 4, sample: .candidate, previous: 5)
            #expect(error.description == "candidate value 4 came after 5: values must be added in ascending order")
        }

        @Test("the order of the samples within a tie group does not matter")
        func orderWithinTies() throws {
            let orders: [[(Int64, MannWhitneyU.Sample)]] = [
                [(1, .baseline), (2, .baseline), (2, .candidate), (2, .candidate), (3, .baseline), (3, .candidate)],
                [(1, .baseline), (2, .candidate), (2, .baseline), (2, .candidate), (3, .candidate), (3, .baseline)],
                [(1, .baseline), (2, .candidate), (2, .candidate), (2, .baseline), (3, .baseline), (3, .candidate)],
            ]
            var results: [MannWhitneyU.Result] = []
            for order in orders {
                var accumulator = MannWhitneyU.Accumulator()
                for (value, sample) in order {
                    try accumulator.add(value, from: sample)
                }
                results.append(try #require(accumulator.result()))
            }
            #expect(results.allSatisfy { $0 == results[0] })
            #expect(results[0] == MannWhitneyU.test(baseline: [1, 2, 3], candidate: [2, 2, 3]))
        }

        @Test("asking for a result midway does not disturb the stream; negative values work")
        func resultMidway() throws {
            var accumulator = MannWhitneyU.Accumulator()
            try accumulator.add(-10, from: .baseline)
            try accumulator.add(-3, from: .candidate)
            try accumulator.add(-3, from: .baseline)
            let midway = try #require(accumulator.result())
            #expect(midway == MannWhitneyU.test(baseline: [-10, -3], candidate: [-3]))
            try accumulator.add(-3, from: .candidate)
            try accumulator.add(0, from: .baseline)
            try accumulator.add(8, from: .candidate)
            #expect(accumulator.result() == MannWhitneyU.test(baseline: [-10, -3, 0], candidate: [-3, -3, 8]))
            #expect(accumulator.baselineCount == 3)
            #expect(accumulator.candidateCount == 3)
        }

        /// 100,000 even baseline values 0, 2, …, 199998 and 100,000 odd candidate
        /// values shifted by s = 300 places, 601, 603, …, 200599: no ties. By hand
        /// each candidate 2j + 601 exceeds min(n, j + 301) baseline values, so
        /// U₂ = n(n + 1)/2 − s(s + 1)/2 + s·n = 5,030,004,850 and U₁ = n² − U₂.
        /// p: `scipy.stats.mannwhitneyu(np.arange(0, 200000, 2), np.arange(1, 200000, 2) + 600,
        /// alternative='two-sided', method='asymptotic', use_continuity=True)` —
        /// statistic 4969995150.0, p = 0.0201169289424047, z = norm.isf(p / 2).
        @Test("200,000 streamed values without ties match the closed form")
        func largeWithoutTies() throws {
            let n = 100_000
            let shift = 300
            var accumulator = MannWhitneyU.Accumulator()
            for value in 0..<(2 * n + 2 * shift) {
                if value % 2 == 0, value / 2 < n {
                    try accumulator.add(Int64(value), from: .baseline)
                } else if value % 2 == 1, value > 2 * shift, (value - 2 * shift - 1) / 2 < n {
                    try accumulator.add(Int64(value), from: .candidate)
                }
            }
            let result = try #require(accumulator.result())
            #expect(result.baselineCount == n)
            #expect(result.candidateCount == n)
            #expect(result.candidateU == 5_030_004_850)
            #expect(result.baselineU == 4_969_995_150)
            #expect(result.baselineRankSum == 4_969_995_150 + 5_000_050_000)  // U₁ + n(n + 1)/2
            #expect(result.tieCorrection == 0)
            #expect(result.pValue.isApproximately(0.0201169289424047, relative: 1e-9))
            #expect(result.z.isApproximately(2.324159837986867, relative: 1e-9))
        }

        /// About 100,000 values per sample on 1,000 distinct values v·3 − 1500
        /// (v = 0…999), each repeated: baseline 50 + (37v mod 101) times,
        /// candidate 50 + ((53v + 11) mod 97) + ⌊v/250⌋ times — heavy ties, and
        /// the candidate a little larger. The same data in SciPy:
        ///
        ///     vals = np.arange(1000) * 3 - 1500
        ///     b = np.repeat(vals, [50 + (v * 37) % 101 for v in range(1000)])
        ///     c = np.repeat(vals, [50 + (v * 53 + 11) % 97 + v // 250 for v in range(1000)])
        ///     mannwhitneyu(b, c, alternative='two-sided', method='asymptotic', use_continuity=True)
        ///     # statistic 4949058075.0, pvalue 0.031985980319032034; z = norm.isf(p / 2)
        ///     rankdata(np.concatenate([b, c]))[:len(b)].sum()        # 9950108130.0
        ///     t = np.unique(np.concatenate([b, c]), return_counts=True)[1]; (t**3 - t).sum()   # 8947848918
        @Test("200,000 streamed values with heavy ties match SciPy")
        func largeWithTies() throws {
            var accumulator = MannWhitneyU.Accumulator()
            for v in 0..<1000 {
                let value = Int64(v * 3 - 1500)
                for _ in 0..<(50 + (v * 37) % 101) {
                    try accumulator.add(value, from: .baseline)
                }
                for _ in 0..<(50 + (v * 53 + 11) % 97 + v / 250) {
                    try accumulator.add(value, from: .candidate)
                }
            }
            let result = try #require(accumulator.result())
            #expect(result.baselineCount == 100_010)
            #expect(result.candidateCount == 99_523)
            #expect(result.baselineRankSum == 9_950_108_130)
            #expect(result.baselineU == 4_949_058_075)
            #expect(result.tieCorrection == 8_947_848_918)
            #expect(result.pValue.isApproximately(0.031985980319032034, relative: 1e-9))
            #expect(result.z.isApproximately(2.1445857791421945, relative: 1e-9))
        }
    }
}
