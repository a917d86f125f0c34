import Foundation
import SkillForge

/// The peers' deterministic workload (`../shared/peers`: c_raw.c, py_sqlite.py),
/// bit for bit, so Skill Forge's numbers sit next to theirs: row `i` of `n`
/// comes from a splitmix64 stream, 200 skills, about 5% failures, tokens in
/// 0…20,000 and out 0…8,000, a log-normal execution time (median ≈ 665 ms)
/// and timestamps spread evenly over 30 days from 2023-11-14.
public struct Workload: Sequence, Sendable {
    /// Rows to generate.
    public var count: Int

    public init(count: Int) {
        self.count = count
    }

    /// The start of the last 7 of the workload's 30 days, Unix milliseconds.
    public static let lastWeekStart: Int64 = firstTimestamp + 23 * 86_400_000

    static let seed: UInt64 = 0x5EED_C0FFEE
    static let firstTimestamp: Int64 = 1_700_000_000_000
    static let span: Int64 = 30 * 86_400 * 1_000
    static let skillNames = (0..<200).map { String(format: "skill-%03d", $0) }

    public struct Iterator: IteratorProtocol {
        var random = SplitMix64(seed: Workload.seed)
        var index = 0
        let count: Int

        public mutating func next() -> SkillMetrics? {
            guard index < count else { return nil }
            defer { index += 1 }
            var a = random.next()
            let skill = Int(a % 200)
            a /= 200
            let success = a % 100 >= 5
            a /= 100
            let tokensIn = Int64(a % 20_001)
            a /= 20_001
            let tokensOut = Int64(a % 8_001)
            let b = random.next()
            let u1 = (Double(b >> 32) + 1.0) / 4_294_967_296.0
            let u2 = Double(b & 0xFFFF_FFFF) / 4_294_967_296.0
            let z = (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
            let ms = Swift.min(Swift.max(exp(6.5 + 1.3 * z), 1), 60_000)
            return SkillMetrics(
                skillId: Workload.skillNames[skill], executionMs: Int64(ms + 0.5), tokensIn: tokensIn,
                tokensOut: tokensOut, success: success,
                timestamp: Workload.firstTimestamp + Int64(index) * Workload.span / Int64(count))
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(count: count)
    }
}

/// Two versions of one skill, `runs` each, for comparison benchmarks: version
/// 2.0 is about 10% faster and uses about 5% fewer tokens.
public struct ComparisonWorkload: Sequence, Sendable {
    public static let skillId = "compare-me"
    public var runs: Int

    public init(runs: Int) {
        self.runs = runs
    }

    public func makeIterator() -> AnyIterator<SkillMetrics> {
        var source = Workload(count: runs * 2).makeIterator()
        var index = 0
        return AnyIterator {
            guard var row = source.next() else { return nil }
            defer { index += 1 }
            let candidate = index % 2 == 1
            row.skillId = Self.skillId
            row.version = candidate ? "2.0" : "1.0"
            if candidate {
                row.executionMs = row.executionMs * 9 / 10
                row.tokensIn = row.tokensIn * 95 / 100
            }
            return row
        }
    }
}

/// The splitmix64 generator the peers use: fast, deterministic, good enough for workloads.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
