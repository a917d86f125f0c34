import Foundation
import GRDB
import Testing

@testable import SkillForge

extension AnalysisTests {
    /// Measures too varied to count in memory fall back to ordered SQL queries
    /// (`LIMIT 2 OFFSET` percentiles, an ordered stream for Mann-Whitney U).
    /// An analyzer with a sparse-value limit of 2 takes that path on tiny data.
    @Suite("SQL fallback and large data")
    struct LargeValueTests {
        /// Skill "big": eight runs on 2026-11-20 with times and tokens of 65,536 and more. With numpy 2.4:
        /// - `np.percentile(ms, [50, 90, 95, 99])` -> [85000.0, 686419.1999999997, 1343209.5999999992, 1868641.9199999995]
        /// - `np.mean(ms)` -> 324874.0, `np.std(ms, ddof=1)` -> 677125.3760487365
        /// - `np.percentile(tin, 95)` -> 229999.99999999988, `np.percentile(tout, 95)` -> 45502.09999999996,
        ///   `np.percentile(np.add(tin, tout), 95)` -> 230002.6499999999; sums 685546, 70021, 755567.
        static let ms: [Int64] = [70_000, 80_000, 90_000, 100_000, 65_536, 123_456, 70_000, 2_000_000]
        static let tokensIn: [Int64] = [70_000, 65_536, 100_000, 300_000, 5, 5, 70_000, 80_000]
        static let tokensOut: [Int64] = [0, 1, 2, 3, 70_000, 4, 5, 6]
        /// Skill "big2": `ms2 = [65536 * k + 7 for k in (3, 1, 4, 1, 5)]`;
        /// `np.percentile(ms2, [50, 90, 95, 99])` -> [196615.0, 301472.6, 314579.8, 325065.56].
        static let ms2: [Int64] = [3, 1, 4, 1, 5].map { 65_536 * $0 + 7 }

        static func runs() -> [SkillMetrics] {
            var runs = (0..<8).map { i in
                sample("big", ms: ms[i], tokensIn: tokensIn[i], tokensOut: tokensOut[i], at: day20 + Int64(i) * hour)
            }
            runs += ms2.map { sample("big2", ms: $0, at: day20 + 30 * minute) }
            runs += [sample("small", ms: 12), sample("small", ms: 14)]
            // Outside the window: if the fallback query ignored it, the percentiles would move.
            runs += [
                sample("big", ms: 5_000_000, tokensIn: 900_000, at: day20 - 1),
                sample("big", ms: 66_000, tokensIn: 66_000, at: day20 + day),
                sample("big2", ms: 9_000_000, at: day20 + day + hour),
            ]
            return runs
        }

        @Test("with a sparse limit of 2 the accumulator really leaves these measures to SQL")
        func fallbackIsTaken() {
            var accumulator = SummaryAccumulator(sparseValueLimit: 2)
            for i in 0..<8 {
                accumulator.add(
                    RunSample(
                        executionMs: Self.ms[i], tokensIn: Self.tokensIn[i], tokensOut: Self.tokensOut[i], success: true,
                        timestamp: day20, tokensEstimated: false, cacheReadTokens: 0, cacheCreationTokens: 0, side: 0))
            }
            // Distinct values ≥ 65,536: time 7, tokens in 5, tokens out 1 (70,000), total 6.
            #expect(accumulator.inexactMeasures == [.executionMs, .tokensIn, .tokensTotal])
            #expect(SummaryAccumulator().inexactMeasures.isEmpty)
        }

        @Test("summaries computed by SQL percentiles equal numpy, and the in-memory path")
        func summariesFallBack() async throws {
            let db = try database(Self.runs())
            let slow = Analyzer(store: db, sparseValueLimit: 2)
            let november20 = window(day20, day20 + day)
            let summaries = try await slow.summaries(window: november20, includingTokenPercentiles: true)
            #expect(summaries.map(\.skillId) == ["big", "big2", "small"])
            try #require(summaries.count == 3)

            let big = summaries[0]
            #expect(big.runs == 8)
            #expect(
                approximately(
                    [big.executionMs.p50, big.executionMs.p90, big.executionMs.p95, big.executionMs.p99],
                    [85_000, 686_419.2, 1_343_209.6, 1_868_641.92]))
            #expect(big.executionMs.mean.isApproximately(324_874))
            #expect(try #require(big.executionMs.standardDeviation).isApproximately(677_125.3760487365))
            #expect(big.executionMs.min == 65_536 && big.executionMs.max == 2_000_000)
            #expect(approximately([big.tokens?.in.p95, big.tokens?.out.p95, big.tokens?.total.p95].map { $0 ?? .nan }, [230_000, 45_502.1, 230_002.65]))
            #expect([big.tokens?.in.sum, big.tokens?.out.sum, big.tokens?.total.sum] == [685_546, 70_021, 755_567])

            let big2 = summaries[1]
            #expect(
                approximately(
                    [big2.executionMs.p50, big2.executionMs.p90, big2.executionMs.p95, big2.executionMs.p99],
                    [196_615, 301_472.6, 314_579.8, 325_065.56]))
            #expect(summaries[2].executionMs.p50 == 13)

            // Same numbers as the exact in-memory counts, to the bit.
            #expect(try await Analyzer(store: db).summaries(window: november20, includingTokenPercentiles: true) == summaries)
            for order in SummaryOrder.allCases {
                await #expect(try slow.summaries(window: november20, sortedBy: order, includingTokenPercentiles: true) == Analyzer(store: db).summaries(window: november20, sortedBy: order, includingTokenPercentiles: true))
            }
            await #expect(try slow.summary(forSkill: "big2", window: november20, includingTokenPercentiles: true) == big2)
        }

        @Test("the fallback applies the version and model filters")
        func fallbackFilters() async throws {
            // Version "2" gets the values 65,536·k + 7; version "1" much larger ones.
            let runs = Self.ms2.map { sample("v", ms: $0, version: "2", model: "m") }
                + [sample("v", ms: 8_000_000, version: "1", model: "m"), sample("v", ms: 7_000_000, version: "1", model: "m"),
                   sample("v", ms: 6_000_000, version: "2", model: "other")]
            let slow = Analyzer(store: try database(runs), sparseValueLimit: 2)
            let summary = try await #require(try slow.summary(forSkill: "v", version: "2", model: "m"))
            #expect(summary.runs == 5)
            #expect(
                approximately(
                    [summary.executionMs.p50, summary.executionMs.p90, summary.executionMs.p95, summary.executionMs.p99],
                    [196_615, 301_472.6, 314_579.8, 325_065.56]))
        }

        // MARK: - Comparisons

        /// Baseline version 1: `b = [70000 + 1000 * ((i * 7) % 20) for i in range(20)]`;
        /// candidate version 2: `c = [75000 + 1000 * ((i * 7) % 20) + i % 3 for i in range(20)]`;
        /// tokens `66000 + (i * 3) % 20` in and 5 out on both sides. With scipy 1.17:
        /// `mannwhitneyu(b, c, alternative='two-sided', method='asymptotic', use_continuity=True).pvalue`
        /// -> 0.013802346673923084, z = +norm.isf(p / 2) = 2.462366704776502 (U₂ = 400 − U₁ > 200: c is larger);
        /// identical token samples give p = 1.0. `np.percentile(b, [50, 95])` -> [79500.0, 88050.0],
        /// `np.percentile(c, [50, 95])` -> [84501.0, 93052.0].
        static func comparedRuns() -> [SkillMetrics] {
            (0..<20).flatMap { i in
                let tokensIn = Int64(66_000 + (i * 3) % 20)
                return [
                    sample("s", ms: Int64(70_000 + 1_000 * ((i * 7) % 20)), tokensIn: tokensIn, version: "1"),
                    sample("s", ms: Int64(75_000 + 1_000 * ((i * 7) % 20) + i % 3), tokensIn: tokensIn, version: "2"),
                ]
            }
        }

        @Test("compare on the ordered SQL stream equals scipy and the in-memory path")
        func compareFallsBack() async throws {
            let db = try database(Self.comparedRuns())
            let options = ComparisonOptions(minimumRuns: 20)
            let slow = try await Analyzer(store: db, sparseValueLimit: 2)
                .compare(skill: "s", baseline: .version("1"), candidate: .version("2"), options: options)
            let fast = try await Analyzer(store: db).compare(skill: "s", baseline: .version("1"), candidate: .version("2"), options: options)
            #expect(slow == fast)

            let latency = try #require(slow.latency)
            #expect(latency.test.pValue.isApproximately(0.013802346673923084, relative: 1e-9))
            #expect(try #require(latency.test.statistic).isApproximately(2.462366704776502, relative: 1e-9))
            #expect(latency.p50.baseline == 79_500 && latency.p50.candidate == 84_501)
            #expect(latency.p95.baseline.isApproximately(88_050) && latency.p95.candidate.isApproximately(93_052))
            #expect(slow.tokens?.test.pValue == 1)
            #expect(slow.verdict == .worse)  // p < 0.05 and p50 +6.3% ≥ 5%
        }

        /// The candidate is a time window (any version) holding runs without a version: SQL's `NOT (version = '1')`
        /// is NULL for them, so the side-1 percentile query must not lose them.
        /// `cn = [90000 + 500 * ((i * 3) % 10) for i in range(10)]`: `np.percentile(cn, [50, 90, 95, 99])`
        /// -> [92250.0, 94050.0, 94275.0, 94455.0]; against b above, scipy's p -> 1.2009441084406213e-05,
        /// z = 4.377416383387396.
        @Test("a window side with runs of no version falls back to SQL without losing them")
        func fallbackWithNullVersions() async throws {
            let baseline = Self.comparedRuns().filter { $0.version == "1" }
            let candidate: [SkillMetrics] = (0..<10).map { (i: Int) -> SkillMetrics in
                let ms = Int64(90_000 + 500 * ((i * 3) % 10))
                return sample("s", ms: ms, tokensIn: 66_000, at: day20 + day + Int64(i) * hour)
            }
            let db = try database(baseline + candidate)
            let sides = (ComparisonSide.version("1"), ComparisonSide.window(window(day20 + day, nil)))
            let options = ComparisonOptions(minimumRuns: 10)
            let slow = try await Analyzer(store: db, sparseValueLimit: 2)
                .compare(skill: "s", baseline: sides.0, candidate: sides.1, options: options)
            let fast = try await Analyzer(store: db).compare(skill: "s", baseline: sides.0, candidate: sides.1, options: options)
            #expect(slow.candidate.runs == 10)
            let summary = try #require(slow.candidate.summary)
            #expect(
                approximately(
                    [summary.executionMs.p50, summary.executionMs.p90, summary.executionMs.p95, summary.executionMs.p99],
                    [92_250, 94_050, 94_275, 94_455]))
            #expect(slow.latency?.test.pValue.isApproximately(1.2009441084406213e-05, relative: 1e-9) == true)
            #expect(slow.latency?.test.statistic?.isApproximately(4.377416383387396, relative: 1e-9) == true)
            #expect(slow == fast)
        }

        // MARK: - Many runs

        /// n = 200,000 runs; run i takes `(i · 7919) mod n` ms (7919 is prime and coprime to n, so every
        /// value 0..<n occurs once, stored in scrambled order), has `i mod 1000` tokens in and 1 out,
        /// and fails when i is a multiple of 10. By hand, for the values 0…n−1 (numpy's linear rule):
        /// - p = x[h] with h = (n − 1)·p/100: p50 = 99,999.5, p90 = 179,999.1, p95 = 189,999.05, p99 = 197,999.01
        /// - mean (n − 1)/2 = 99,999.5; sample variance n(n + 1)/12, so σ = √(200,000 · 200,001 / 12)
        /// - tokens in: each of 0…999 occurs 200 times, so sorted rank r holds ⌊r / 200⌋; p95: h = 189,999.05
        ///   → 949 + 0.05 · (950 − 949) = 949.05; total = in + 1 → 950.05; sum = 200 · 499,500 = 99,900,000
        /// - 20,000 failures: rate 0.1.
        /// 134,464 of the times are ≥ 65,536 and distinct: within the default sparse limit, beyond a limit of 1,000.
        @Test("200,000 runs: exact percentiles both in memory and by SQL", .timeLimit(.minutes(5)))
        func manyRuns() async throws {
            let n = 200_000
            let db = try ProfilerDB.inMemory()
            // One INSERT … SELECT from a recursive CTE: `insert(contentsOf:)` validates and binds row by row,
            // which takes about 9 s for 200,000 rows in a debug build; this takes a fraction of a second.
            // With the triggers on, as another tool's connection has them, so the rollups follow.
            try await db.write { database in
                try Rollups.setTriggers(enabled: true, on: database)
                defer { try? Rollups.setTriggers(enabled: false, on: database) }
                try database.execute(
                    sql: """
                        WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ? - 1)
                        INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp)
                        SELECT 'many', (i * 7919) % ?, i % 1000, 1, i % 10 != 0, ? + i FROM seq
                        """,
                    arguments: [n, n, day20])
            }
            // The rows are the formula's, as the public API reads them back.
            #expect(try db.count() == n)
            let first = try db.metrics(matching: MetricsFilter(limit: 3))
            #expect(first.map(\.executionMs) == [0, 7_919, 15_838])
            #expect(first.map(\.tokensIn) == [0, 1, 2])
            #expect(first.map(\.success) == [false, true, true])
            #expect(first.map(\.timestamp) == [day20, day20 + 1, day20 + 2])
            try await db.insert(sample("other", ms: 1))

            for analyzer in [Analyzer(store: db), Analyzer(store: db, sparseValueLimit: 1_000)] {
                let summary = try #require(try await analyzer.summary(forSkill: "many", includingTokenPercentiles: true))
                #expect(summary.runs == n)
                #expect(summary.failures == 20_000 && summary.failureRate == 0.1)
                let latency = summary.executionMs
                #expect(approximately([latency.p50, latency.p90, latency.p95, latency.p99], [99_999.5, 179_999.1, 189_999.05, 197_999.01]))
                #expect(latency.min == 0 && latency.max == Int64(n - 1))
                #expect(latency.mean.isApproximately(99_999.5, relative: 1e-9))
                #expect(try #require(latency.standardDeviation).isApproximately((200_000.0 * 200_001 / 12).squareRoot(), relative: 1e-9))
                #expect(summary.tokens?.in.p95?.isApproximately(949.05) == true)
                #expect(summary.tokens?.total.p95?.isApproximately(950.05) == true)
                #expect(summary.tokens?.in.sum == 99_900_000 && summary.tokens?.total.sum == 100_100_000)
                #expect(summary.firstRun == day20 && summary.lastRun == day20 + Int64(n - 1))
            }
        }
    }
}
