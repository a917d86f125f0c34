import Testing

@testable import SkillForge

extension StatisticsTests {
    @Suite("Failure-rate test chooser")
    struct FailureRateTestTests {
        /// Expected counts by hand: (row total × column total) / all runs; the
        /// smallest is the smaller row total times the smaller column total over
        /// all runs. Below 5 (Cochran's rule) the exact test is used.
        /// - 1/40 vs 6/40: 40 · 7 / 80 = 3.5 → Fisher,
        ///   `scipy.stats.fisher_exact([[1, 39], [6, 34]])` p = 0.10840046029919445;
        /// - 3/10 vs 40/1000: 10 · 43 / 1010 = 0.4257… → Fisher,
        ///   `fisher_exact([[3, 7], [40, 960]])` p = 0.007005319786792527;
        /// - 38/40 vs 39/40 (few successes): 40 · 3 / 80 = 1.5 → Fisher,
        ///   `fisher_exact([[38, 2], [39, 1]])` p = 1.0;
        /// - 4/50 vs 5/50: 50 · 9 / 100 = 4.5 → Fisher, `fisher_exact([[4, 46], [5, 45]])` p = 1.0.
        @Test(
            "an expected count below 5 selects Fisher's exact test",
            arguments: [
                ((1, 40, 6, 40), 3.5, 0.10840046029919445),
                ((3, 10, 40, 1000), 430.0 / 1010, 0.007005319786792527),
                ((38, 40, 39, 40), 1.5, 1.0),
                ((4, 50, 5, 50), 4.5, 1.0),
            ])
        func fisher(counts: (Int, Int, Int, Int), smallestExpected: Double, pValue: Double) throws {
            let (failures1, runs1, failures2, runs2) = counts
            let result = try #require(
                FailureRateTest.test(failures1: failures1, runs1: runs1, failures2: failures2, runs2: runs2))
            #expect(result.method == .fisherExact)
            #expect(result.smallestExpectedCount.isApproximately(smallestExpected))
            #expect(result.pValue.isApproximately(pValue, relative: 1e-10))
            #expect(result.failureRate1 == Double(failures1) / Double(runs1))
            #expect(result.failureRate2 == Double(failures2) / Double(runs2))
        }

        /// Every expected count at least 5 → z-test; p from
        /// `scipy.stats.chi2_contingency(table, correction=False)` (the pooled
        /// z-test's p-value):
        /// - 5/50 vs 5/50: smallest expected exactly 50 · 10 / 100 = 5 → z-test, p = 1.0;
        /// - 30/200 vs 50/200: 200 · 80 / 400 = 40, p = 0.01241933065155227;
        /// - 12/1000 vs 25/1000: 1000 · 37 / 2000 = 18.5, p = 0.03098740492804502.
        @Test(
            "every expected count at least 5 selects the z-test",
            arguments: [
                ((5, 50, 5, 50), 5.0, 1.0),
                ((30, 200, 50, 200), 40, 0.01241933065155227),
                ((12, 1000, 25, 1000), 18.5, 0.03098740492804502),
            ])
        func zTest(counts: (Int, Int, Int, Int), smallestExpected: Double, pValue: Double) throws {
            let (failures1, runs1, failures2, runs2) = counts
            let result = try #require(
                FailureRateTest.test(failures1: failures1, runs1: runs1, failures2: failures2, runs2: runs2))
            #expect(result.method == .twoProportionZ)
            #expect(result.smallestExpectedCount.isApproximately(smallestExpected))
            #expect(result.pValue.isApproximately(pValue, relative: 1e-10))
        }

        @Test("the chooser reports exactly what the chosen test computes")
        func sameAsChosenTest() throws {
            let small = try #require(FailureRateTest.test(failures1: 1, runs1: 40, failures2: 6, runs2: 40))
            #expect(small.pValue == FisherExactTest.test(a: 1, b: 39, c: 6, d: 34)?.pValue)
            let large = try #require(FailureRateTest.test(failures1: 30, runs1: 200, failures2: 50, runs2: 200))
            let zTest = TwoProportionZTest.test(successes1: 30, trials1: 200, successes2: 50, trials2: 200)
            #expect(large.pValue == zTest?.pValue)
        }

        @Test("no failures anywhere: nothing to compare, p = 1")
        func noFailures() throws {
            let result = try #require(FailureRateTest.test(failures1: 0, runs1: 100, failures2: 0, runs2: 100))
            #expect(result.method == .fisherExact)
            #expect(result.pValue == 1)
        }

        @Test(
            "no runs, or counts that cannot be, give no result",
            arguments: [(0, 0, 1, 10), (1, 10, 0, 0), (-1, 10, 1, 10), (11, 10, 1, 10), (1, -10, 1, 10)])
        func invalid(failures1: Int, runs1: Int, failures2: Int, runs2: Int) {
            #expect(
                FailureRateTest.test(failures1: failures1, runs1: runs1, failures2: failures2, runs2: runs2) == nil)
        }
    }
}
