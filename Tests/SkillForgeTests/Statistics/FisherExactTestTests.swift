import Testing

@testable import SkillForge

extension StatisticsTests {
    @Suite("Fisher's exact test")
    struct FisherExactTestTests {
        /// Fisher's lady tasting tea, R's `fisher.test` help page (Agresti 1990,
        /// p. 61f): the table [[3, 1], [1, 3]] has two-sided p = 0.4857. By hand,
        /// the five tables with these margins have probabilities 1, 16, 36, 16
        /// and 1 in 70; the observed one has 16/70, so p = 34/70 = 17/35.
        /// The sample odds ratio is 3·3 / (1·1) = 9.
        @Test("the lady tasting tea")
        func ladyTastingTea() throws {
            let result = try #require(FisherExactTest.test(a: 3, b: 1, c: 1, d: 3))
            #expect(result.pValue.isApproximately(17.0 / 35))
            #expect(abs(result.pValue - 0.4857) < 0.00005)
            #expect(result.oddsRatio == 9)
        }

        /// Worked examples with published two-sided p-values, checked with
        /// `scipy.stats.fisher_exact(table).pvalue`:
        /// - Wikipedia, "Fisher's exact test": teenagers dieting, men [1, 11] and
        ///   women [9, 3], p ≈ 0.002759 → 0.0027594561852200836;
        /// - calcugator.com's chi2_fisherexact tutorial: contraceptive type and
        ///   obesity [[4, 0], [2, 5]], two-tails probability 0.0606… = 2/33 by hand
        ///   (table probabilities 7, 84, 210, 140, 21 in 462; observed 21);
        /// - Fisher's criminal convictions of like-sex twins, R's `fisher.test`
        ///   help page `Convictions` (column-major matrix(c(2, 10, 15, 3), nrow = 2)),
        ///   p = 0.0005367241191434358;
        /// - [[5, 0], [0, 5]] by hand: only the two extreme tables, each 1/252, so 2/252.
        @Test(
            "small tables",
            arguments: [
                ((1, 9, 11, 3), 0.0027594561852200836),
                ((4, 0, 2, 5), 2.0 / 33),
                ((2, 15, 10, 3), 0.0005367241191434358),
                ((5, 0, 0, 5), 2.0 / 252),
                ((0, 20, 7, 13), 0.008316008316008316),  // scipy.stats.fisher_exact([[0, 20], [7, 13]])
            ])
        func smallTables(table: (Int, Int, Int, Int), expected: Double) throws {
            let (a, b, c, d) = table
            let result = try #require(FisherExactTest.test(a: a, b: b, c: c, d: d))
            #expect(result.pValue.isApproximately(expected, relative: 1e-10))
        }

        /// Counts in the thousands and hundreds of thousands, where factorials
        /// overflow any floating-point type: `scipy.stats.fisher_exact(table).pvalue`.
        @Test(
            "large tables",
            arguments: [
                ((1200, 800, 1100, 900), 0.0015395077387717368),
                ((1500, 500, 1450, 550), 0.0782368861599287),
                ((2500, 2500, 2600, 2400), 0.04765361355524053),
                ((12, 988, 25, 975), 0.04501807577265148),
                ((3, 2997, 12, 2988), 0.034934267653176455),
                ((40000, 60000, 40500, 59500), 0.022889239988923154),
                ((200_000, 300_000, 201_000, 299_000), 0.04151434910766314),
            ])
        func largeTables(table: (Int, Int, Int, Int), expected: Double) throws {
            let (a, b, c, d) = table
            let result = try #require(FisherExactTest.test(a: a, b: b, c: c, d: d))
            #expect(result.pValue.isApproximately(expected, relative: 1e-7))
        }

        /// In a table like [[a, b], [b, a]] the mirror table [[b, a], [a, b]] is
        /// exactly as likely, but its log-probability sums the same `lgamma` terms
        /// in another order; the relative tolerance keeps it among the tables
        /// "no more likely", so both tails count. `scipy.stats.fisher_exact(table).pvalue`.
        @Test(
            "mirror tables that are exactly as likely are both counted",
            arguments: [
                ((7, 12, 12, 7), 0.1938759496258166),
                ((33, 67, 67, 33), 2.4901820486905144e-06),
                ((480, 520, 520, 480), 0.08111006057913307),
                ((1000, 1200, 1200, 1000), 1.924378186321635e-09),
            ])
        func mirrorTables(table: (Int, Int, Int, Int), expected: Double) throws {
            let (a, b, c, d) = table
            let result = try #require(FisherExactTest.test(a: a, b: b, c: c, d: d))
            #expect(result.pValue.isApproximately(expected, relative: 1e-7))
        }

        @Test("transposing the table or swapping its rows keeps the p-value")
        func symmetries() throws {
            let table = try #require(FisherExactTest.test(a: 2, b: 15, c: 10, d: 3))
            let transposed = try #require(FisherExactTest.test(a: 2, b: 10, c: 15, d: 3))
            let swapped = try #require(FisherExactTest.test(a: 10, b: 3, c: 2, d: 15))
            #expect(transposed.pValue.isApproximately(table.pValue))
            #expect(swapped.pValue.isApproximately(table.pValue))
        }

        /// Sample odds ratio (a·d)/(b·c) by hand; scipy's `fisher_exact` statistic
        /// agrees: inf for [[4, 0], [2, 5]], 0.0 for [[0, 20], [7, 13]], nan for
        /// [[0, 10], [0, 12]] (undefined, here `nil`).
        @Test("the odds ratio: finite, zero, infinite or undefined")
        func oddsRatio() throws {
            let finite = try #require(FisherExactTest.test(a: 12, b: 988, c: 25, d: 975))
            #expect(finite.oddsRatio == 12.0 * 975 / (988 * 25))
            #expect(try #require(FisherExactTest.test(a: 0, b: 20, c: 7, d: 13)).oddsRatio == 0)
            #expect(try #require(FisherExactTest.test(a: 4, b: 0, c: 2, d: 5)).oddsRatio == .infinity)
            #expect(try #require(FisherExactTest.test(a: 0, b: 10, c: 0, d: 12)).oddsRatio == nil)
        }

        /// With a zero margin only one table is possible, so p = 1 (scipy:
        /// `fisher_exact([[0, 10], [0, 12]])` gives p = 1.0).
        @Test(
            "one possible table: p = 1",
            arguments: [(0, 10, 0, 12), (0, 0, 0, 0), (3, 4, 0, 0), (7, 0, 9, 0), (Int.max, 0, 0, 0)])
        func singleTable(a: Int, b: Int, c: Int, d: Int) throws {
            #expect(try #require(FisherExactTest.test(a: a, b: b, c: c, d: d)).pValue == 1)
        }

        @Test(
            "negative counts, or counts that overflow, give no result",
            arguments: [
                (-1, 1, 1, 1), (1, -1, 1, 1), (1, 1, -1, 1), (1, 1, 1, -1), (Int.max, 1, 0, 0), (0, Int.max, 1, 0),
            ])
        func invalid(a: Int, b: Int, c: Int, d: Int) {
            #expect(FisherExactTest.test(a: a, b: b, c: c, d: d) == nil)
        }
    }
}
