import Foundation
import Testing

@testable import SkillForge

extension AnalysisTests {
    /// Reference values come from scipy 1.17 and numpy 2.4, each call spelled out next to its value:
    /// `mw(b, c) = scipy.stats.mannwhitneyu(b, c, alternative='two-sided', method='asymptotic', use_continuity=True)`,
    /// with z = ±`norm.isf(p / 2)`, positive when U₂ = n₁n₂ − U₁ > n₁n₂/2 (the candidate tends to be larger).
    @Suite("Analyzer comparisons")
    struct ComparisonTests {
        /// `base = [200 + (i * 37) % 100 for i in range(30)]` (30 distinct values 200…299);
        /// tokens `100 + (i * 13) % 50` in and 20 out on both sides, so the token samples are identical.
        static func versions(candidate: (Int) -> Int64, runs: Int = 30, candidateFailures: Int = 0) -> [SkillMetrics] {
            (0..<runs).flatMap { i in
                let tokensIn = Int64(100 + (i * 13) % 50)
                return [
                    sample(ms: Int64(200 + (i * 37) % 100), tokensIn: tokensIn, tokensOut: 20, version: "1.0"),
                    sample(
                        ms: candidate(i), tokensIn: tokensIn, tokensOut: 20, success: i >= candidateFailures,
                        at: day20 + hour, version: "2.0"),
                ]
            }
        }

        static func compare(
            _ runs: [SkillMetrics], _ baseline: ComparisonSide = .version("1.0"), _ candidate: ComparisonSide = .version("2.0"),
            options: ComparisonOptions = ComparisonOptions()
        ) async throws -> Comparison {
            try await Analyzer(store: try database(runs)).compare(skill: "s", baseline: baseline, candidate: candidate, options: options)
        }

        // MARK: - Verdicts

        /// Candidate `[150 + (i * 37) % 100 for i in range(30)]`, 50 ms faster:
        /// `mw(base, cand).pvalue` -> 8.197497229004642e-07, U₁ = 784 so z = −4.930605877267001;
        /// `np.percentile(base, [50, 95])` -> [249.5, 294.2], `np.percentile(cand, [50, 95])` -> [199.5, 244.2];
        /// identical tokens: `mw(tok, tok).pvalue` -> 1.0, mean 143.5; no failures: `fisher_exact([[0, 30], [0, 30]])` -> 1.0.
        @Test("a faster candidate is better, with scipy's p-value and z")
        func better() async throws {
            let comparison = try await Self.compare(Self.versions { Int64(150 + ($0 * 37) % 100) })
            #expect(comparison.verdict == .better)
            #expect(comparison.skillId == "s")
            #expect(comparison.baseline.runs == 30 && comparison.candidate.runs == 30)
            #expect(comparison.baseline.label == "version 1.0" && comparison.candidate.label == "version 2.0")

            let latency = try #require(comparison.latency)
            #expect(latency.p50.baseline == 249.5 && latency.p50.candidate == 199.5)
            #expect(latency.p50.delta == -50)
            #expect(latency.p50.ratio == 199.5 / 249.5)
            #expect(approximately([latency.p95.baseline, latency.p95.candidate], [294.2, 244.2]))
            #expect(latency.test.method == "mann-whitney-u")
            #expect(latency.test.pValue.isApproximately(8.197497229004642e-07, relative: 1e-9))
            #expect(try #require(latency.test.statistic).isApproximately(-4.930605877267001, relative: 1e-9))
            #expect(latency.test.significant)
            #expect(latency.test.direction == .better)

            let tokens = try #require(comparison.tokens)
            #expect(tokens.mean.baseline == 143.5 && tokens.mean.candidate == 143.5 && tokens.mean.delta == 0)
            #expect(tokens.test.pValue == 1 && tokens.test.statistic == 0)
            #expect(tokens.test.direction == .unchanged && !tokens.test.significant)

            let failures = try #require(comparison.failureRate)
            #expect(failures.test.method == "fisher-exact")
            #expect(failures.test.statistic == nil)
            #expect(failures.test.pValue == 1)
            #expect(failures.rate.ratio == nil)  // the baseline rate is 0
            #expect(failures.test.direction == .unchanged)

            // By hand: 249.5 → 199.5 is −20.0%, 294.2 → 244.2 is −17.0%.
            // No run's cost is known: cost is not compared, and says so.
            #expect(comparison.cost == nil)
            try #require(comparison.reasons.count == 4)
            #expect(comparison.reasons[0].hasPrefix("latency: p50 250 ms → 200 ms (-20.0%), p95 294 ms → 244 ms (-17.0%)"))
            #expect(comparison.reasons[0].hasSuffix("Mann-Whitney p < 0.0001: better"))
            #expect(comparison.reasons[1] == "tokens: mean 144 → 144 (+0.0%); Mann-Whitney p = 1: no significant change")
            #expect(comparison.reasons[2] == "cost: not compared, cost known for 0 of 30 baseline runs and 0 of 30 candidate runs")
            #expect(comparison.reasons[3] == "failure rate: 0.0% → 0.0%; Fisher's exact test p = 1: no significant change")
        }

        /// Candidate `[260 + (i * 37) % 100 for i in range(30)]`: `mw(base, cand).pvalue` -> 2.4901193134702863e-08,
        /// U₁ = 72.5 so z = +5.573960700732769; p50 249.5 → 309.5 (+24.0%), p95 294.2 → 354.2 (+20.4%).
        @Test("a slower candidate is worse")
        func worse() async throws {
            let comparison = try await Self.compare(Self.versions { Int64(260 + ($0 * 37) % 100) })
            #expect(comparison.verdict == .worse)
            let latency = try #require(comparison.latency)
            #expect(latency.test.pValue.isApproximately(2.4901193134702863e-08, relative: 1e-9))
            #expect(try #require(latency.test.statistic).isApproximately(5.573960700732769, relative: 1e-9))
            #expect(latency.test.direction == .worse)
            #expect(latency.p50.candidate == 309.5)
            try #require(comparison.reasons.count == 4)
            #expect(comparison.reasons[0].contains("(+24.0%)") && comparison.reasons[0].contains("(+20.4%)"))
        }

        /// Candidate `[200 + (i * 37 + 5) % 100 for i in range(30)]`: `mw(base, cand).pvalue` -> 0.8999950372363642,
        /// U₁ = 459 so z = −0.12566761606227736.
        @Test("overlapping samples make no significant difference")
        func noDifference() async throws {
            let comparison = try await Self.compare(Self.versions { Int64(200 + ($0 * 37 + 5) % 100) })
            #expect(comparison.verdict == .noSignificantDifference)
            let latency = try #require(comparison.latency)
            #expect(latency.test.pValue.isApproximately(0.8999950372363642, relative: 1e-9))
            #expect(try #require(latency.test.statistic).isApproximately(-0.12566761606227736, relative: 1e-9))
            #expect(!latency.test.significant && latency.test.direction == .unchanged)
        }

        @Test("fewer runs than minimumRuns on a side: not enough data, with the measures still reported")
        func notEnoughData() async throws {
            let runs = Self.versions { Int64(260 + ($0 * 37) % 100) }
            let comparison = try await Self.compare(runs, options: ComparisonOptions(minimumRuns: 31))
            #expect(comparison.verdict == .notEnoughData)
            #expect(comparison.reasons.first == "only 30 runs on one side; at least 31 are needed")
            #expect(comparison.latency?.test.direction == .worse)
            #expect(comparison.reasons.count == 5)

            // Exactly minimumRuns is enough.
            await #expect(try Self.compare(runs, options: ComparisonOptions(minimumRuns: 30)).verdict == .worse)
        }

        @Test("a side without runs: not enough data, no measures, and a reason naming the side")
        func sideWithoutRuns() async throws {
            let runs = Self.versions { Int64(260 + ($0 * 37) % 100) }
            let comparison = try await Self.compare(runs, .version("1.0"), .version("3.0"))
            #expect(comparison.verdict == .notEnoughData)
            #expect(comparison.candidate.runs == 0 && comparison.candidate.summary == nil)
            #expect(comparison.baseline.runs == 30 && comparison.baseline.summary?.runs == 30)
            #expect(comparison.latency == nil && comparison.tokens == nil && comparison.failureRate == nil)
            #expect(comparison.reasons == ["no runs of s for version 3.0"])

            let neither = try await Self.compare(runs, .version("0.9"), .version("3.0"))
            #expect(neither.reasons == ["no runs of s for version 0.9", "no runs of s for version 3.0"])
            #expect(try await Analyzer(store: try ProfilerDB.inMemory()).compare(skill: "s", baseline: .version("1"), candidate: .version("2")).verdict == .notEnoughData)

            // JSON keeps the absent measures as null.
            let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(comparison)) as? [String: Any])
            #expect(json["latency"] is NSNull && json["failureRate"] is NSNull)
            #expect((json["candidate"] as? [String: Any])?["summary"] is NSNull)
            #expect(json["verdict"] as? String == "not enough data")
        }

        /// 200 runs a side: `b = [1000 + i % 50 for i in range(200)]`, `c = [1020 + i % 50 for i in range(200)]`.
        /// `mw(b, c).pvalue` -> 1.7080719288981023e-28, z = +11.07237786121173; `np.percentile(b, [50, 95])` ->
        /// [1024.5, 1047.0], c -> [1044.5, 1067.0]: p50 +1.9522%, p95 +1.9102% (by hand: 20 / 1024.5, 20 / 1047).
        @Test("a significant but tiny change is suppressed by minimumRelativeChange")
        func tinyChange() async throws {
            let runs: [SkillMetrics] = (0..<200).flatMap { (i: Int) -> [SkillMetrics] in
                let before = Int64(1_000 + i % 50)
                return [sample(ms: before, version: "1.0"), sample(ms: before + 20, version: "2.0")]
            }
            let db = try database(runs)
            func compare(minimumRelativeChange: Double) async throws -> Comparison {
                try await Analyzer(store: db).compare(
                    skill: "s", baseline: .version("1.0"), candidate: .version("2.0"),
                    options: ComparisonOptions(minimumRelativeChange: minimumRelativeChange))
            }
            let suppressed = try await compare(minimumRelativeChange: 0.05)
            let latency = try #require(suppressed.latency)
            #expect(latency.test.pValue.isApproximately(1.7080719288981023e-28, relative: 1e-6))
            #expect(try #require(latency.test.statistic).isApproximately(11.07237786121173, relative: 1e-9))
            #expect(latency.test.significant)
            #expect(latency.test.direction == .unchanged)
            #expect(suppressed.verdict == .noSignificantDifference)

            // The larger agreeing move (p50, +1.952%) decides: 2% suppresses it, 1.9% does not.
            await #expect(try compare(minimumRelativeChange: 0.02).verdict == .noSignificantDifference)
            await #expect(try compare(minimumRelativeChange: 0.019).verdict == .worse)
            await #expect(try compare(minimumRelativeChange: 0.019).latency?.test.direction == .worse)
        }

        // MARK: - Failure rates

        /// Same latency and tokens on both sides (`100 + i % 10` ms), failures 10 of 100 → 30 of 100. Every expected
        /// count is at least 5 (smallest: 100 · 40 / 200 = 20), so the z-test: `chi2_contingency([[10, 90], [30, 70]],
        /// correction=False)` -> p = 0.00040695201744495946, √χ² = 3.5355339059327378 (z = 0.2 / √(0.2 · 0.8 · 2/100)).
        @Test("failure rates with enough failures use the z-test", arguments: [(10, 30), (30, 10)])
        func zTest(_ baselineFailures: Int, _ candidateFailures: Int) async throws {
            let runs: [SkillMetrics] = (0..<100).flatMap { (i: Int) -> [SkillMetrics] in
                let ms = Int64(100 + i % 10)
                return [sample(ms: ms, success: i >= baselineFailures, version: "1.0"),
                        sample(ms: ms, success: i >= candidateFailures, version: "2.0")]
            }
            let comparison = try await Self.compare(runs)
            let worse = candidateFailures > baselineFailures
            let expected: Direction = worse ? .worse : .better
            #expect(comparison.verdict.rawValue == expected.rawValue)
            let failures = try #require(comparison.failureRate)
            #expect(failures.test.method == "two-proportion-z")
            #expect(failures.test.pValue.isApproximately(0.00040695201744495946, relative: 1e-9))
            #expect(try #require(failures.test.statistic).isApproximately(worse ? 3.5355339059327378 : -3.5355339059327378, relative: 1e-9))
            #expect(failures.rate.delta.isApproximately(worse ? 0.2 : -0.2))
            #expect(failures.test.direction == expected)
            #expect(comparison.latency?.test.pValue == 1)
            #expect(comparison.latency?.test.direction == .unchanged)
            #expect(comparison.reasons.last == (worse
                ? "failure rate: 10.0% → 30.0%; z-test p = 0.00041: worse"
                : "failure rate: 30.0% → 10.0%; z-test p = 0.00041: better"))
        }

        /// 0 of 30 → 6 of 30: expected failures 30 · 6 / 60 = 3 < 5, so Fisher's exact test:
        /// `fisher_exact([[0, 30], [6, 24]]).pvalue` -> 0.023720703916957266.
        @Test("failure rates with few failures use Fisher's exact test; minimumFailureRateChange applies")
        func fisher() async throws {
            let runs = Self.versions(candidate: { Int64(200 + ($0 * 37) % 100) }, candidateFailures: 6)
            let comparison = try await Self.compare(runs)
            let failures = try #require(comparison.failureRate)
            #expect(failures.test.method == "fisher-exact")
            #expect(failures.test.pValue.isApproximately(0.023720703916957266, relative: 1e-9))
            #expect(failures.test.statistic == nil)
            #expect(failures.rate.baseline == 0 && failures.rate.candidate == 0.2)
            #expect(failures.test.direction == .worse)
            #expect(comparison.latency?.test.pValue == 1)
            #expect(comparison.verdict == .worse)
            #expect(comparison.reasons.last == "failure rate: 0.0% → 20.0%; Fisher's exact test p = 0.024: worse")

            // A rise of 20 points is ignored when only 25 points matter.
            let lenient = try await Self.compare(runs, options: ComparisonOptions(minimumFailureRateChange: 0.25))
            #expect(lenient.failureRate?.test.significant == true)
            #expect(lenient.failureRate?.test.direction == .unchanged)
            #expect(lenient.verdict == .noSignificantDifference)
        }

        // MARK: - Sides

        @Test("time windows as sides give the same test as versions on the same runs")
        func windowsAsSides() async throws {
            // The "better" data again, by time: the baseline on Nov 20, the candidate on Nov 21.
            let runs: [SkillMetrics] = (0..<30).flatMap { (i: Int) -> [SkillMetrics] in
                let ms = Int64(200 + (i * 37) % 100)
                let at = day20 + Int64(i) * minute
                return [sample(ms: ms, at: at), sample(ms: ms - 50, at: at + day)]
            }
            let comparison = try await Self.compare(
                runs, .window(window(day20, day20 + day)), .window(window(day20 + day, day20 + 2 * day)))
            #expect(comparison.baseline.runs == 30 && comparison.candidate.runs == 30)
            #expect(comparison.baseline.label == "since 2026-11-20T00:00:00Z until 2026-11-21T00:00:00Z")
            #expect(comparison.verdict == .better)
            #expect(comparison.latency?.test.pValue.isApproximately(8.197497229004642e-07, relative: 1e-9) == true)

            // A version inside a window.
            let both = try await Self.compare(
                Self.versions { Int64(150 + ($0 * 37) % 100) }, .version("1.0", in: window(day20, day20 + 1)),
                .version("2.0", in: window(day20 + hour, nil)))
            #expect(both.baseline.runs == 30 && both.candidate.runs == 30)
            #expect(both.candidate.label == "version 2.0 since 2026-11-20T01:00:00Z")
        }

        @Test("a run in both windows counts for the baseline only")
        func overlappingWindows() async throws {
            // 5 runs on Nov 20, 7 on Nov 21, 11 on Nov 22; baseline Nov 20–21, candidate Nov 21–22.
            var runs: [SkillMetrics] = []
            for (offset, count) in [(0, 5), (1, 7), (2, 11)] as [(Int64, Int64)] {
                for i in 0..<count { runs.append(sample(ms: 10 * (offset + 1), at: day20 + offset * day + i * hour)) }
            }
            let comparison = try await Self.compare(
                runs, .window(window(day20, day20 + 2 * day)), .window(window(day20 + day, day20 + 3 * day)),
                options: ComparisonOptions(minimumRuns: 1))
            #expect(comparison.baseline.runs == 12)
            #expect(comparison.candidate.runs == 11)
            #expect(comparison.candidate.summary?.firstRun == day20 + 2 * day)
            #expect(comparison.candidate.summary?.executionMs.min == 30)
            #expect(comparison.baseline.summary?.executionMs.max == 20)
        }

        @Test("the model option filters both sides")
        func model() async throws {
            let runs = [
                sample(ms: 10, version: "1", model: "a"), sample(ms: 20, version: "1", model: "b"),
                sample(ms: 30, version: "2", model: "a"), sample(ms: 40, version: "2", model: "b"),
                sample(ms: 50, version: "2", model: "b"), sample("t", ms: 60, version: "2", model: "a"),
            ]
            let comparison = try await Self.compare(
                runs, .version("1"), .version("2"), options: ComparisonOptions(minimumRuns: 1, model: "b"))
            #expect(comparison.baseline.runs == 1 && comparison.candidate.runs == 2)
            #expect(comparison.latency?.p50.baseline == 20 && comparison.latency?.p50.candidate == 45)
        }
    }
}
