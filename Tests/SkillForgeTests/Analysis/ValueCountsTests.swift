import Testing

@testable import SkillForge

extension AnalysisTests {
    @Suite("ValueCounts")
    struct ValueCountsTests {
        // MARK: - Percentiles against numpy

        /// `np.percentile([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], [0, 25, 50, 90, 95, 99, 100])`
        /// -> [1.0, 2.5, 4.0, 6.0, 7.5, 8.700000000000001, 9.0].
        /// By hand: sorted 1 1 2 3 3 4 5 5 5 6 9 (n = 11); p95: h = 10 · 0.95 = 9.5 → 6 + 0.5 · (9 − 6) = 7.5.
        @Test("a small set with ties, as numpy.percentile")
        func ties() {
            let values = counts([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
            #expect(approximately(values.percentiles([0, 25, 50, 90, 95, 99, 100]), [1, 2.5, 4, 6, 7.5, 8.7, 9]))
            #expect(values.count == 11)
            #expect(values.minimum == 1)
            #expect(values.maximum == 9)
            #expect(values.percentile(50) == 4)
        }

        /// `np.percentile([42], [50, 90, 95, 99])` -> [42.0, 42.0, 42.0, 42.0];
        /// `np.percentile([10, 20], [50, 90, 95, 99])` -> [15.0, 19.0, 19.5, 19.9].
        @Test("one value is every percentile; two values interpolate")
        func oneAndTwoValues() {
            #expect(counts([42]).percentiles([0, 50, 90, 95, 99, 100]) == [42, 42, 42, 42, 42, 42])
            #expect(approximately(counts([20, 10]).percentiles([50, 90, 95, 99]), [15, 19, 19.5, 19.9]))
        }

        /// `np.percentile([70000, 100000, 65536, 1000000, 100000], [0, 25, 50, 90, 95, 99, 100])`
        /// -> [65536.0, 70000.0, 100000.0, 640000.0, 819999.9999999999, 964000.0, 1000000.0].
        @Test("values of 65,536 and more (the sparse dictionary)")
        func sparse() {
            let values = counts([70_000, 100_000, 65_536, 1_000_000, 100_000])
            #expect(values.isExact)
            #expect(
                approximately(
                    values.percentiles([0, 25, 50, 90, 95, 99, 100]),
                    [65_536, 70_000, 100_000, 640_000, 820_000, 964_000, 1_000_000]))
            #expect(values.minimum == 65_536)
            #expect(values.maximum == 1_000_000)
        }

        /// The boundary values 65,535 (last dense) and 65,536 (first sparse) together:
        /// `np.percentile([0, 65535, 65536, 1, 200000, 65535, 7], [0, 25, 50, 90, 95, 99, 100])`
        /// -> [0.0, 4.0, 65535.0, 119321.60000000005, 159660.7999999999, 191932.15999999995, 200000.0].
        @Test("dense and sparse values mixed, across the boundary")
        func mixed() {
            let values = counts([0, 65_535, 65_536, 1, 200_000, 65_535, 7])
            #expect(
                approximately(
                    values.percentiles([0, 25, 50, 90, 95, 99, 100]),
                    [0, 4, 65_535, 119_321.6, 159_660.8, 191_932.16, 200_000]))
            var seen: [(Int64, Int)] = []
            values.forEachValue { seen.append(($0, $1)) }
            #expect(seen.map(\.0) == [0, 1, 7, 65_535, 65_536, 200_000])
            #expect(seen.map(\.1) == [1, 1, 1, 2, 1, 1])
        }

        /// 500 values from a formula, 164 of them sparse (all distinct), in both Swift and Python:
        /// `v = [(i * 7919) % 1000 * 97 for i in range(500)]`;
        /// `np.percentile(v, [1, 10, 50, 67.5, 90, 95, 99, 99.9])` -> [774.0600000000001,
        /// 9573.900000000001, 48742.5, 65732.05, 87212.7, 92057.84999999999, 95642.97, 96757.79100000001].
        @Test("a larger generated set, against numpy")
        func generated() {
            let values = counts((0..<500).map { Int64(($0 * 7919) % 1000 * 97) })
            #expect(
                approximately(
                    values.percentiles([1, 10, 50, 67.5, 90, 95, 99, 99.9]),
                    [774.06, 9_573.9, 48_742.5, 65_732.05, 87_212.7, 92_057.85, 95_642.97, 96_757.791]))
        }

        @Test("empty counts and percentiles outside 0...100 give nil; a negative value counts as 0")
        func edges() {
            let empty = ValueCounts()
            #expect(empty.percentile(50) == nil)
            #expect(empty.percentiles([50, 95]) == [nil, nil])
            #expect(empty.minimum == nil && empty.maximum == nil && empty.count == 0)
            var visited = 0
            empty.forEachValue { _, _ in visited += 1 }
            #expect(visited == 0)

            let values = counts([5, 10])
            #expect(values.percentiles([-1, 50, 100.5, .nan]) == [nil, 7.5, nil, nil])
            #expect(counts([-3, 4]).minimum == 0)
            #expect(counts([-3, 4]).percentile(50) == 2)  // (0 + 4) / 2
        }

        // MARK: - The merged walk

        /// By hand: first = {3, 3, 70000, 65536 (sparse)}, second = {3, 9, 70000, 70000, 80000};
        /// every distinct value once, ascending, with its count in each.
        @Test("forEachValue(in:and:) walks both multisets in ascending order, dense then sparse")
        func mergedWalk() {
            let first = counts([3, 70_000, 3, 65_536])
            let second = counts([70_000, 9, 80_000, 3, 70_000])
            var walk: [[Int64]] = []
            ValueCounts.forEachValue(in: first, and: second) { walk.append([$0, Int64($1), Int64($2)]) }
            #expect(walk == [[3, 2, 1], [9, 0, 1], [65_536, 1, 0], [70_000, 1, 2], [80_000, 0, 1]])

            // One side empty: the other's values, with zero counts opposite.
            var lopsided: [[Int64]] = []
            ValueCounts.forEachValue(in: ValueCounts(), and: counts([2, 2, 100_000])) {
                lopsided.append([$0, Int64($1), Int64($2)])
            }
            #expect(lopsided == [[2, 0, 2], [100_000, 0, 1]])

            var none = 0
            ValueCounts.forEachValue(in: ValueCounts(), and: ValueCounts()) { _, _, _ in none += 1 }
            #expect(none == 0)
        }

        // MARK: - The sparse cap

        @Test("isExact turns false once more distinct large values than the cap arrive")
        func sparseCap() {
            var values = ValueCounts(maximumSparseValues: 2)
            for value: Int64 in [70_000, 80_000, 70_000, 5, 80_000] { values.add(value) }
            // Two distinct sparse values: at the cap, still exact.
            #expect(values.isExact)
            #expect(values.percentile(50) == 70_000)  // sorted 5 70000 70000 80000 80000

            values.add(90_000)  // a third distinct one: past the cap
            #expect(!values.isExact)
            #expect(values.percentiles([50, 95]) == [nil, nil])
            // Counts and extremes stay right; they do not depend on the dictionary.
            values.add(1)
            values.add(1_000_000)
            #expect(values.count == 8)
            #expect(values.minimum == 1)
            #expect(values.maximum == 1_000_000)
            #expect(!values.isExact)
        }

        @Test("dense values never count towards the cap")
        func denseIsUncapped() {
            let values = counts((0..<1_000).map(Int64.init), maximumSparseValues: 0)
            #expect(values.isExact)
            #expect(values.percentile(50) == 499.5)  // np.percentile(range(1000), 50) -> 499.5
            #expect(!counts([65_536], maximumSparseValues: 0).isExact)
        }

        // MARK: - removeAll

        @Test("removeAll forgets every value, dense and sparse, and makes the counts exact again")
        func removeAll() {
            var values = ValueCounts(maximumSparseValues: 1)
            for value: Int64 in [5, 10, 10, 70_000, 80_000] { values.add(value) }
            #expect(!values.isExact)
            values.removeAll()
            #expect(values.isExact)
            #expect(values.count == 0)
            #expect(values.minimum == nil && values.maximum == nil)
            #expect(values.percentile(50) == nil)

            // Reused: only the new values are there (5 and 10 were cleared from the array).
            values.add(7)
            values.add(90_000)
            var seen: [Int64] = []
            values.forEachValue { value, count in seen += Array(repeating: value, count: count) }
            #expect(seen == [7, 90_000])
            #expect(values.percentile(50) == 45_003.5)  // (7 + 90000) / 2
            #expect(values.isExact)
        }
    }
}
