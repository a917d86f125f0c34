import Foundation
import Testing

@testable import SkillForge

extension AnalysisTests {
    @Suite("Analyzer candidates")
    struct CandidatesTests {
        /// Judged at `now` = 2026-11-27 00:00 UTC over 7 days (which `TimeSpan` writes as "1w"): the current
        /// period is [Nov 20, Nov 27), the previous one [Nov 13, Nov 20).
        static let now = Date(unixMilliseconds: day20 + 7 * day)
        static let thresholds = CandidateThresholds(minimumRuns: 10)

        /// `count` runs of `skillId`, all with the same time and tokens (so p95 = the time, mean tokens = the
        /// tokens), the first `failures` failed; current runs from Nov 20 00:00, previous ones up to Nov 19 23:59:59.999.
        static func runs(
            _ skillId: String, _ count: Int, ms: Int64, tokens: Int64 = 1_000, failures: Int = 0, previous: Bool = false
        ) -> [SkillMetrics] {
            (0..<count).map { i in
                let at = previous ? day20 - 1 - Int64(i) * hour : day20 + Int64(i) * hour
                return sample(skillId, ms: ms, tokensIn: tokens - 100, tokensOut: 100, success: i >= failures, at: at)
            }
        }

        /// The population, worked out by hand (defaults: slow and token factors 2, failure rate 5%,
        /// regression 25%, failure-rate rise 5 points, optimize from a score of 2; minimumRuns 10):
        ///
        ///     skill  runs  p95     tokens  failures  previous period (10 runs unless said)
        ///     a      10    100     1,000   0         5 runs of 10 ms: too few to compare with
        ///     b      10    200     1,000   0         p95 150
        ///     c      10    300     1,000   1 (10%)   p95 300, no failures
        ///     d      10    1,000   1,000   0         —
        ///     e      10    150     5,000   0         p95 150, 4,000 tokens
        ///     f      3     100,000 1,000   0         —  (too few runs: not judged, not in the medians)
        ///
        /// Median skill p95 of a–e: sorted 100 150 200 300 1000 → 200; median tokens: 1000 1000 1000 1000 5000 → 1000.
        /// (With f counted the p95 median would be (200 + 300) / 2 = 250.)
        /// - c: failing 0.10 / 0.05 = 2; failure rate up 10 points, 0.10 / 0.05 = 2 → score 4, optimize
        /// - e: tokens 5000 / 1000 = 5× → 5 / 2 = 2.5; tokens up 5000 / 4000 − 1 = 25% → 0.25 / 0.25 = 1 → 3.5, optimize
        /// - d: p95 1000 / 200 = 5× → 5 / 2 = 2.5 → optimize
        /// - b: p95 up 200 / 150 − 1 = 33.3% → 0.3333 / 0.25 = 1.3333 → monitor
        /// - a: nothing (its previous period has 5 runs < 10, so 10 → 100 ms is not a regression) → 0, ok
        /// - f: too few → 0, not judged. Order: c, e, d, b, then a and f (score ties by skill id).
        static let population: [SkillMetrics] =
            runs("a", 10, ms: 100) + runs("a", 5, ms: 10, previous: true)
            + runs("b", 10, ms: 200) + runs("b", 10, ms: 150, previous: true)
            + runs("c", 10, ms: 300, failures: 1) + runs("c", 10, ms: 300, previous: true)
            + runs("d", 10, ms: 1_000)
            + runs("e", 10, ms: 150, tokens: 5_000) + runs("e", 10, ms: 150, tokens: 4_000, previous: true)
            + runs("f", 3, ms: 100_000)
            + runs("g", 10, ms: 5_000, previous: true)  // ran only in the previous period: not listed

        @Test("a hand-built population: scores, recommendations, order and reasons")
        func population() async throws {
            let candidates = try await Analyzer(store: try database(Self.population)).candidates(thresholds: Self.thresholds, now: Self.now)
            #expect(candidates.map(\.skillId) == ["c", "e", "d", "b", "a", "f"])
            #expect(approximately(candidates.map(\.score), [4, 3.5, 2.5, 4.0 / 3, 0, 0]))
            #expect(candidates.map(\.recommendation) == [.optimize, .optimize, .optimize, .monitor, .ok, .notJudged])

            let byId = Dictionary(uniqueKeysWithValues: candidates.map { ($0.skillId, $0) })
            #expect(byId["c"]?.reasons == [
                "failure rate 10.0% over 10 runs",
                "failure rate up 10.0 points vs the previous 1w (0.0% → 10.0%)",
            ])
            #expect(byId["e"]?.reasons == [
                "5,000 tokens per run, 5.0x the median skill (1,000)",
                "tokens up +25.0% vs the previous 1w (4,000 → 5,000)",
            ])
            #expect(byId["d"]?.reasons == ["p95 1.00 s, 5.0x the median skill (200 ms)"])
            #expect(byId["b"]?.reasons == ["p95 up +33.3% vs the previous 1w (150 ms → 200 ms)"])
            #expect(byId["a"]?.reasons == [])
            #expect(byId["f"]?.reasons == ["only 3 runs in the last 1w: too few to judge"])

            // The summaries are those of the two periods.
            #expect(byId["c"]?.summary.runs == 10 && byId["c"]?.previous?.runs == 10)
            #expect(byId["a"]?.previous?.runs == 5)
            #expect(byId["d"]?.previous == nil)
            #expect(byId["e"]?.summary.tokens?.total.mean == 5_000)
            #expect(byId["g"] == nil)
        }

        @Test("a threshold reached exactly counts; below it does not; one reason at its threshold is monitor")
        func thresholds() async throws {
            // Failure rate exactly 5% (1 of 20) → severity 1 → monitor; 0 of 20 → ok.
            let runs = Self.runs("x", 20, ms: 100, failures: 1) + Self.runs("y", 20, ms: 100)
            let candidates = try await Analyzer(store: try database(runs)).candidates(thresholds: CandidateThresholds(), now: Self.now)
            try #require(candidates.count == 2)
            #expect(candidates.map(\.skillId) == ["x", "y"])
            #expect(candidates.map(\.score) == [1, 0])
            #expect(candidates.map(\.recommendation) == [.monitor, .ok])
            #expect(candidates[0].reasons == ["failure rate 5.0% over 20 runs"])

            // One run: the singular.
            let single = try await Analyzer(store: try database(Self.runs("z", 1, ms: 5))).candidates(now: Self.now)
            #expect(single.first?.reasons == ["only 1 run in the last 1w: too few to judge"])
        }

        @Test("the period is [now − period, now): a run at the start counts, runs after now do not")
        func periodEnds() async throws {
            var runs = Self.population
            // After `now`: slow, failing runs of a that must not be judged.
            runs += (0..<10).map { i in sample("a", ms: 50_000, success: false, at: day20 + 7 * day + Int64(i) * hour) }
            let candidates = try await Analyzer(store: try database(runs)).candidates(thresholds: Self.thresholds, now: Self.now)
            let a = try #require(candidates.first { $0.skillId == "a" })
            #expect(a.summary.runs == 10)
            #expect(a.summary.firstRun == day20)  // exactly at the start of the period
            #expect(a.summary.lastRun == day20 + 9 * hour)
            #expect(a.recommendation == .ok)
            #expect(candidates.map(\.skillId) == ["c", "e", "d", "b", "a", "f"])
        }

        @Test("no runs in the period: no candidates")
        func empty() async throws {
            #expect(try await Analyzer(store: try ProfilerDB.inMemory()).candidates(now: Self.now).isEmpty)
            let old = Self.runs("old", 30, ms: 10, previous: true)
            #expect(try await Analyzer(store: try database(old)).candidates(now: Self.now).isEmpty)
        }

        @Test("the median helper is numpy's median")
        func medianHelper() {
            // np.median([3, 1, 2]) -> 2.0; np.median([4, 1, 3, 2]) -> 2.5; np.median([7]) -> 7.0
            #expect(median([3, 1, 2]) == 2)
            #expect(median([4, 1, 3, 2]) == 2.5)
            #expect(median([7]) == 7)
            #expect(median([]) == nil)
        }
    }
}
