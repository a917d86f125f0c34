import Testing

@testable import SkillForge

extension StatisticsTests {
    @Suite("Two-proportion z-test")
    struct TwoProportionZTestTests {
        /// By hand: p₁ = 0.15, p₂ = 0.25, pooled p = 0.2,
        /// SE = √(0.2 · 0.8 · (1/200 + 1/200)) = 0.04, z = 0.1 / 0.04 = 2.5.
        /// p: `scipy.stats.chi2_contingency([[30, 170], [50, 150]], correction=False)`
        /// gives χ² = 6.25 (= z²) and p = 0.01241933065155227.
        @Test("a worked example by hand")
        func byHand() throws {
            let result = try #require(
                TwoProportionZTest.test(successes1: 30, trials1: 200, successes2: 50, trials2: 200))
            #expect(result.proportion1 == 0.15)
            #expect(result.proportion2 == 0.25)
            #expect(result.difference.isApproximately(0.1))
            #expect(result.z.isApproximately(2.5))
            #expect(result.pValue.isApproximately(0.01241933065155227))
        }

        /// The Physicians' Health Study (Agresti, An Introduction to Categorical
        /// Data Analysis, ch. 2): myocardial infarctions in 189 of 11,034 doctors
        /// on placebo and 104 of 11,037 on aspirin, proportions 0.0171 and
        /// 0.0094, difference 0.0077. z and p:
        /// `scipy.stats.chi2_contingency([[189, 10845], [104, 10933]], correction=False)`
        /// gives χ² = 25.013883967194165 (z = −√χ², aspirin lower) and
        /// p = 5.691896973740789e-07.
        @Test("Agresti's aspirin and heart attacks table")
        func aspirin() throws {
            let result = try #require(
                TwoProportionZTest.test(successes1: 189, trials1: 11034, successes2: 104, trials2: 11037))
            #expect(abs(result.proportion1 - 0.0171) < 0.00005)
            #expect(abs(result.proportion2 - 0.0094) < 0.00005)
            #expect(abs(result.difference + 0.0077) < 0.00005)
            #expect(result.z.isApproximately(-5.0013882040083795))
            #expect((result.z * result.z).isApproximately(25.013883967194165))
            #expect(result.pValue.isApproximately(5.691896973740789e-07, relative: 1e-10))
        }

        /// `scipy.stats.chi2_contingency([[12, 988], [25, 975]], correction=False)`:
        /// χ² = 4.653660282799355, √χ² = 2.1572344060855686, p = 0.03098740492804502.
        @Test("swapping the groups flips z and the difference, not the p-value")
        func swapped() throws {
            let forward = try #require(
                TwoProportionZTest.test(successes1: 12, trials1: 1000, successes2: 25, trials2: 1000))
            let backward = try #require(
                TwoProportionZTest.test(successes1: 25, trials1: 1000, successes2: 12, trials2: 1000))
            #expect(forward.z.isApproximately(2.1572344060855686))
            #expect(forward.pValue.isApproximately(0.03098740492804502))
            #expect(backward.z == -forward.z)
            #expect(backward.difference == -forward.difference)
            #expect(backward.pValue == forward.pValue)
        }

        @Test(
            "no difference possible: equal proportions, or a pooled proportion of 0 or 1",
            arguments: [(5, 50, 5, 50), (0, 10, 0, 20), (10, 10, 20, 20)])
        func noDifference(successes1: Int, trials1: Int, successes2: Int, trials2: Int) throws {
            let result = try #require(
                TwoProportionZTest.test(
                    successes1: successes1, trials1: trials1, successes2: successes2, trials2: trials2))
            #expect(result.difference == 0)
            #expect(result.z == 0)
            #expect(result.pValue == 1)
        }

        @Test(
            "no trials, or counts that cannot be, give no result",
            arguments: [(0, 0, 1, 10), (1, 10, 0, 0), (-1, 10, 1, 10), (11, 10, 1, 10), (1, 10, 1, -5)])
        func invalid(successes1: Int, trials1: Int, successes2: Int, trials2: Int) {
            #expect(
                TwoProportionZTest.test(
                    successes1: successes1, trials1: trials1, successes2: successes2, trials2: trials2) == nil)
        }
    }
}
