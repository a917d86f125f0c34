import Testing

@testable import SkillForge

extension StatisticsTests {
    @Suite("Normal distribution")
    struct NormalDistributionTests {
        /// Φ(z) at points found in every normal table (Φ(1.96) ≈ 0.9750021 is the
        /// two-sided 5% critical point, Φ(1) ≈ 0.8413447, Φ(3) ≈ 0.9986501); the
        /// full digits are `scipy.stats.norm.cdf(z)` from SciPy 1.17.
        @Test(
            "Φ(z) matches the tables",
            arguments: [
                (1.96, 0.9750021048517795),
                (0, 0.5),
                (1, 0.8413447460685429),
                (-1, 0.15865525393145707),
                (3, 0.9986501019683699),
                (8, 0.9999999999999993),
            ])
        func cdf(z: Double, expected: Double) {
            #expect(NormalDistribution.cdf(z).isApproximately(expected))
        }

        /// Far lower tail, where 1 − Φ(|z|) would have rounded to 0:
        /// `scipy.stats.norm.cdf(z)` for z = −8, −20, −37.5.
        @Test(
            "Φ(z) keeps its relative precision in the lower tail",
            arguments: [
                (-8.0, 6.22096057427174e-16),
                (-20, 2.7536241186061556e-89),
                (-37.5, 4.605353009581954e-308),
            ])
        func lowerTail(z: Double, expected: Double) {
            #expect(NormalDistribution.cdf(z).isApproximately(expected, relative: 1e-10))
        }

        @Test("Φ(z) + Φ(−z) = 1", arguments: [0.1, 0.5, 1.2, 2.5, 4])
        func symmetry(z: Double) {
            #expect((NormalDistribution.cdf(z) + NormalDistribution.cdf(-z)).isApproximately(1))
        }

        /// Two-sided p-values: `2 * scipy.stats.norm.sf(abs(z))`; the 1.96 row is
        /// the textbook 5% critical value (p = 0.04999579…).
        @Test(
            "two-sided p-values",
            arguments: [
                (1.96, 0.04999579029644087),
                (-1.96, 0.04999579029644087),
                (1, 0.31731050786291415),
                (-3, 0.0026997960632601866),
                (8, 1.244192114854348e-15),
                (-20, 5.507248237212311e-89),
            ])
        func twoSidedPValue(z: Double, expected: Double) {
            #expect(NormalDistribution.twoSidedPValue(z: z).isApproximately(expected, relative: 1e-10))
        }

        @Test("z = 0 gives p = 1, never more")
        func pValueAtZero() {
            #expect(NormalDistribution.twoSidedPValue(z: 0) == 1)
            #expect(NormalDistribution.twoSidedPValue(z: -0.0) == 1)
            #expect(NormalDistribution.twoSidedPValue(z: 1e-300) <= 1)
        }

        @Test("infinite z gives the limits")
        func infinities() {
            #expect(NormalDistribution.cdf(.infinity) == 1)
            #expect(NormalDistribution.cdf(-.infinity) == 0)
            #expect(NormalDistribution.twoSidedPValue(z: .infinity) == 0)
        }
    }
}
