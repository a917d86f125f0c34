import Testing

@testable import SkillForge

@Suite("ExactMoments: a mean and deviation that no order of the values changes")
struct ExactMomentsTests {
    private func moments(_ values: [Int64]) -> ExactMoments {
        var moments = ExactMoments()
        for value in values { moments.add(value) }
        return moments
    }

    @Test("worked by hand: 100, 200, 600 have mean 300 and sample deviation √70000 (numpy.std(x, ddof=1))")
    func workedByHand() {
        let result = moments([100, 200, 600])
        #expect(result.mean == 300)
        #expect(result.standardDeviation == 70_000.0.squareRoot())
        #expect(moments([]).mean == 0 && moments([]).standardDeviation == nil && moments([7]).standardDeviation == nil)
    }

    @Test("a millisecond around an hour keeps its deviation: 3,600,000 … 3,600,002 deviate by exactly 1")
    func tinyDeviations() {
        let result = moments([3_600_000, 3_600_001, 3_600_002])
        #expect(result.mean == 3_600_001 && result.standardDeviation == 1)
    }

    @Test("every order of the same values gives the same bits")
    func orderFree() {
        let values: [Int64] = (0..<500).map { 100 + ($0 * 7919) % 3_001 }
        let forward = moments(values)
        let backward = moments(values.reversed())
        let shuffled = moments(values.enumerated().sorted { ($0.offset * 31) % 500 < ($1.offset * 31) % 500 }.map(\.element))
        #expect(forward.mean == backward.mean && forward.mean == shuffled.mean)
        #expect(forward.standardDeviation == backward.standardDeviation && forward.standardDeviation == shuffled.standardDeviation)
    }

    @Test("sums past 128 bits fall back to floating point instead of trapping")
    func overflow() {
        let result = moments(Array(repeating: Int64.max, count: 4))
        #expect(result.mean == Double(Int64.max))
        #expect(result.standardDeviation.map { $0 >= 0 && $0.isFinite } == true)
    }
}
