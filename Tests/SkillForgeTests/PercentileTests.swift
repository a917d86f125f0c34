import Testing

@testable import SkillForge

@Suite("Percentile (numpy linear)")
struct PercentileTests {
    // Expected values from numpy's documented definition (method="linear"), checked with
    // numpy 2.4: np.percentile([1, 2, 3, 4], [0, 25, 50, 90, 100]) == [1, 1.75, 2.5, 3.7, 4].
    @Test("the numpy example set", arguments: [(0.0, 1.0), (25, 1.75), (50, 2.5), (90, 3.7), (100, 4)])
    func numpyExample(_ p: Double, _ expected: Double) throws {
        let value = try #require(Percentile.linear(p, ofSorted: [1, 2, 3, 4]))
        #expect(abs(value - expected) < 1e-12)
    }

    @Test("one value is every percentile; none gives nil; p outside 0...100 gives nil")
    func edges() {
        #expect(Percentile.linear(95, ofSorted: [7]) == 7)
        #expect(Percentile.linear(50, ofSorted: [Int]()) == nil)
        #expect(Percentile.linear(101, ofSorted: [1, 2]) == nil)
    }

    // By hand: h = 4 * 0.95 = 3.8 → 20 + 0.8 * 70 = 76 (numpy prints 75.99999999999999).
    @Test("ties and a tail")
    func ties() throws {
        #expect(abs(try #require(Percentile.linear(95, ofSorted: [10, 20, 20, 20, 90])) - 76) < 1e-9)
        #expect(Percentile.linear(50, ofSorted: [10, 20, 20, 20, 90]) == 20)
    }

    // numpy 2.4, printed with repr: np.percentile([10, 20, 20, 20, 90], 95) → 75.99999999999999;
    // 47,499 zeros, 2482, 2483, then 2,499 values of 10⁶: p95 → 2482.0499999999956 (h = 49999 · 0.95,
    // t < 0.5), p99 → 1000000.0; [1, 2, 3, 4] at 90 → 3.7 (t ≥ 0.5, from the upper end).
    @Test("the same doubles as numpy, to the bit, on either side of t = 0.5")
    func bitForBit() {
        #expect(Percentile.linear(95, ofSorted: [10, 20, 20, 20, 90]) == 75.99999999999999)
        let values = Array(repeating: 0, count: 47_499) + [2482, 2483] + Array(repeating: 1_000_000, count: 2_499)
        #expect(Percentile.linear(95, ofSorted: values) == 2482.0499999999956)
        #expect(Percentile.linear(99, ofSorted: values) == 1_000_000)
        #expect(Percentile.linear(90, ofSorted: [1, 2, 3, 4]) == 3.7)
    }
}
