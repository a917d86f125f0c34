import Foundation
import Testing

@testable import SkillForge

extension AnalysisTests {
    @Suite("Analyzer summaries")
    struct SummaryTests {
        // MARK: - A full summary against numpy

        /// Ten runs of one skill, with ties in time and tokens. Index i has:
        static let ms: [Int64] = [120, 80, 200, 200, 95, 400, 200, 1_500, 80, 310]
        static let tokensIn: [Int64] = [1_000, 1_200, 900, 1_100, 1_000, 5_000, 1_000, 800, 1_200, 1_000]
        static let tokensOut: [Int64] = [200, 250, 180, 300, 200, 900, 220, 150, 260, 200]
        static let failed: Set<Int> = [2, 5, 9]
        static let estimated: Set<Int> = [0, 3, 7]
        static let cacheRead: [Int64?] = [500, nil, 0, 100, nil, 300, nil, nil, 50, 50]
        static let cacheCreation: [Int64?] = [64, nil, nil, nil, nil, nil, nil, 36, nil, nil]

        static func tenRuns(_ skillId: String = "s") -> [SkillMetrics] {
            (0..<10).map { i in
                sample(
                    skillId, ms: ms[i], tokensIn: tokensIn[i], tokensOut: tokensOut[i], success: !failed.contains(i),
                    // Stored out of time order: i = 0 is the first run (+0 h), i = 7 the last (+9 h).
                    at: day20 + Int64((i * 7) % 10) * hour, estimated: estimated.contains(i) ? true : (i == 1 ? nil : false),
                    cacheRead: cacheRead[i], cacheCreation: cacheCreation[i])
            }
        }

        /// Expected values, with numpy 2.4:
        /// - `np.percentile(ms, [50, 90, 95, 99])` -> [200.0, 509.9999999999996, 1004.9999999999989, 1401.0000000000002]
        ///   (by hand: sorted 80 80 95 120 200 200 200 310 400 1500; p95: h = 9 · 0.95 = 8.55 → 400 + 0.55 · 1100 = 1005)
        /// - `np.mean(ms)` -> 318.5, `np.std(ms, ddof=1)` -> 427.9021824877478
        /// - tokens in: `np.mean` 1420.0, `np.percentile(.., 95)` 3289.999999999996, `np.sum` 14200
        /// - tokens out: 286.0, 629.9999999999993, 2860
        /// - total (in + out): 1706.0, 3901.9999999999955, 17060
        /// - by hand: cache read 500 + 0 + 100 + 300 + 50 + 50 = 1000; creation 64 + 36 = 100;
        ///   3 of 10 estimated; 3 failures of 10.
        /// Without a window, version or model (and without token percentiles) the
        /// summary comes from the rollups and the execution-time counts; with a
        /// window that holds every run, from a pass over the runs: the same figures.
        @Test(
            "every field of a ten-run summary matches numpy and hand sums, from the rollups or from the runs",
            arguments: [false, true], [TimeWindow.all, TimeWindow(since: Date(unixMilliseconds: day20 - 1))])
        func tenRunSummary(tokenPercentiles: Bool, window: TimeWindow) async throws {
            let db = try database(Self.tenRuns() + [sample("other", ms: 9_999)])
            let summary = try #require(
                try await Analyzer(store: db).summary(forSkill: "s", window: window, includingTokenPercentiles: tokenPercentiles))
            #expect(summary.skillId == "s")
            #expect(summary.runs == 10)
            #expect(summary.successes == 7)
            #expect(summary.failures == 3)
            #expect(summary.failureRate == 0.3)

            let latency = summary.executionMs
            #expect(latency.min == 80)
            #expect(latency.max == 1_500)
            #expect(latency.mean.isApproximately(318.5))
            #expect(latency.p50 == 200)
            #expect(latency.p90.isApproximately(510))
            #expect(latency.p95.isApproximately(1_005))
            #expect(latency.p99.isApproximately(1_401))
            #expect(try #require(latency.standardDeviation).isApproximately(427.9021824877478))

            let tokens = try #require(summary.tokens)
            #expect(summary.tokenRuns == 10)
            #expect(tokens.in.mean == 1_420)
            #expect(tokens.in.p95?.isApproximately(3_290) ?? !tokenPercentiles)
            #expect(tokens.in.sum == 14_200)
            #expect(tokens.out.mean == 286)
            #expect(tokens.out.p95?.isApproximately(630) ?? !tokenPercentiles)
            #expect(tokens.out.sum == 2_860)
            #expect(tokens.total.mean == 1_706)
            #expect(tokens.total.p95?.isApproximately(3_902) ?? !tokenPercentiles)
            #expect((tokens.total.p95 != nil) == tokenPercentiles)
            #expect(tokens.total.sum == 17_060)

            #expect(summary.cacheReadTokens == 1_000)
            #expect(summary.cacheCreationTokens == 100)
            #expect(summary.estimatedTokensShare == 0.3)
            #expect(summary.firstRun == day20)
            #expect(summary.lastRun == day20 + 9 * hour)
        }

        @Test("one run: every percentile is its time, the standard deviation is nil (JSON null)")
        func oneRun() async throws {
            let db = try database([sample(ms: 250, tokensIn: 40, tokensOut: 2, success: false, at: day20 + 5)])
            let summary = try #require(try await Analyzer(store: db).summary(forSkill: "s", includingTokenPercentiles: true))
            #expect(summary.runs == 1)
            #expect(summary.failures == 1 && summary.successes == 0)
            #expect(summary.failureRate == 1)
            let latency = summary.executionMs
            #expect([latency.p50, latency.p90, latency.p95, latency.p99, latency.mean] == [250, 250, 250, 250, 250])
            #expect(latency.min == 250 && latency.max == 250)
            #expect(latency.standardDeviation == nil)
            #expect(summary.tokens?.total.p95 == 42 && summary.tokens?.total.mean == 42 && summary.tokens?.total.sum == 42)
            #expect(summary.firstRun == day20 + 5 && summary.lastRun == day20 + 5)
            #expect(summary.cacheReadTokens == 0 && summary.estimatedTokensShare == 0)

            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any]
            let executionMs = try #require(json?["executionMs"] as? [String: Any])
            #expect(executionMs["standardDeviation"] is NSNull)
            #expect(executionMs["p95"] as? Double == 250)
        }

        /// `np.percentile([100, 300], [50, 90, 95, 99])` -> [200.0, 280.0, 290.0, 298.0];
        /// `np.std([100, 300], ddof=1)` -> 141.4213562373095 (by hand: √((100² + 100²) / 1) = 100√2).
        @Test("two runs")
        func twoRuns() async throws {
            let db = try database([sample(ms: 300, at: day20 + hour), sample(ms: 100)])
            let latency = try #require(try await Analyzer(store: db).summary(forSkill: "s")).executionMs
            #expect(approximately([latency.p50, latency.p90, latency.p95, latency.p99], [200, 280, 290, 298]))
            #expect(latency.mean == 200)
            #expect(try #require(latency.standardDeviation).isApproximately(100 * 2.0.squareRoot()))
        }

        /// `np.percentile([5, 7, 9], [50, 90, 95, 99])` -> [7.0, 8.6, 8.8, 8.96]; `np.std([5, 7, 9], ddof=1)` -> 2.0.
        @Test("all runs failed")
        func allFailures() async throws {
            let db = try database([5, 9, 7].map { sample(ms: $0, success: false) })
            let summary = try #require(try await Analyzer(store: db).summary(forSkill: "s"))
            #expect(summary.failures == 3 && summary.successes == 0)
            #expect(summary.failureRate == 1)
            #expect(approximately([summary.executionMs.p50, summary.executionMs.p90, summary.executionMs.p95,
                                   summary.executionMs.p99], [7, 8.6, 8.8, 8.96]))
            #expect(summary.executionMs.standardDeviation == 2)
        }

        @Test("an empty database or window gives nil and [], never NaN")
        func empty() async throws {
            let empty = Analyzer(store: try ProfilerDB.inMemory())
            await #expect(try empty.summaries().isEmpty)
            await #expect(try empty.summary(forSkill: "s") == nil)
            for order in SummaryOrder.allCases { await #expect(try empty.summaries(sortedBy: order).isEmpty) }

            let analyzer = Analyzer(store: try database([sample(ms: 10)]))
            let before = window(nil, day20)  // until is exclusive: the run at day20 is outside
            #expect(try await analyzer.summaries(window: before).isEmpty)
            #expect(try await analyzer.summary(forSkill: "s", window: before) == nil)
            #expect(try await analyzer.summary(forSkill: "unknown") == nil)
            #expect(try await analyzer.summaries(version: "9").isEmpty)
        }

        // MARK: - Windows and filters

        @Test("since is inclusive and until exclusive, at a UTC midnight")
        func windowBoundaries() async throws {
            let db = try database([
                sample(ms: 1, at: day20 - 1), sample(ms: 2, at: day20), sample(ms: 3, at: day20 + day - 1),
                sample(ms: 4, at: day20 + day),
            ])
            let analyzer = Analyzer(store: db)
            let november20 = window(
                try TimestampParser.unixMilliseconds(from: "2026-11-20"), try TimestampParser.unixMilliseconds(from: "2026-11-21"))
            let summary = try #require(try await analyzer.summary(forSkill: "s", window: november20))
            #expect(summary.runs == 2)
            #expect(summary.executionMs.min == 2 && summary.executionMs.max == 3)
            #expect(summary.firstRun == day20 && summary.lastRun == day20 + day - 1)

            #expect(try await analyzer.summary(forSkill: "s", window: window(day20, nil))?.runs == 3)
            #expect(try await analyzer.summary(forSkill: "s", window: window(nil, day20))?.executionMs.max == 1)
            #expect(try await analyzer.summary(forSkill: "s", window: window(day20 + day, day20 + day + 1))?.executionMs.p50 == 4)
        }

        /// The runs' times are written with UTC offsets; which day they fall in depends on the instant, not the text.
        /// By hand: 23:30 at −05:00 is 04:30 UTC the next day; 00:30 at +01:00 is 23:30 UTC the day before;
        /// 12:00 at +09:00 is 03:00 UTC the same day. A "2026-11-20" day in New York runs from 05:00 UTC to 05:00 UTC.
        @Test("timestamps written in other time zones fall in the window of their instant")
        func otherTimeZones() async throws {
            let lateInNewYork = try TimestampParser.unixMilliseconds(from: "2026-11-20T23:30:00-05:00")
            let earlyInParis = try TimestampParser.unixMilliseconds(from: "2026-11-20T00:30:00+01:00")
            let noonInTokyo = try TimestampParser.unixMilliseconds(from: "2026-11-20T12:00:00+09:00")
            // Independently: python3 datetime.fromisoformat('2026-11-20T23:30:00-05:00').timestamp() * 1000 -> 1795235400000.
            #expect(lateInNewYork == 1_795_235_400_000)
            #expect(earlyInParis == day20 - 30 * minute)
            #expect(noonInTokyo == day20 + 3 * hour)
            let analyzer = Analyzer(store: try database([
                sample(ms: 1, at: lateInNewYork), sample(ms: 2, at: earlyInParis), sample(ms: 3, at: noonInTokyo),
            ]))

            let utcDay = window(day20, day20 + day)
            let utc = try #require(try await analyzer.summary(forSkill: "s", window: utcDay))
            #expect(utc.runs == 1 && utc.executionMs.p50 == 3)

            let newYork = try zone("America/New_York")
            let newYorkDay = window(
                try TimestampParser.unixMilliseconds(from: "2026-11-20", timeZone: newYork),
                try TimestampParser.unixMilliseconds(from: "2026-11-21", timeZone: newYork))
            #expect(newYorkDay.sinceMilliseconds == day20 + 5 * hour)
            let local = try #require(try await analyzer.summary(forSkill: "s", window: newYorkDay))
            #expect(local.runs == 1 && local.executionMs.p50 == 1)

            #expect(try await analyzer.summary(forSkill: "s", window: window(nil, day20))?.executionMs.p50 == 2)
        }

        @Test("version and model filters, alone and together")
        func versionAndModel() async throws {
            let db = try database([
                sample(ms: 10, version: "1", model: "m1"), sample(ms: 20, version: "1", model: "m2"),
                sample(ms: 30, version: "2", model: "m1"), sample(ms: 40, version: "2", model: "m1"),
                sample(ms: 50), sample("t", ms: 60, version: "2", model: "m1"),
            ])
            let analyzer = Analyzer(store: db)
            #expect(try await analyzer.summary(forSkill: "s", version: "1")?.executionMs.mean == 15)
            #expect(try await analyzer.summary(forSkill: "s", model: "m1")?.executionMs.mean == (10 + 30 + 40) / 3.0)
            #expect(try await analyzer.summary(forSkill: "s", version: "2", model: "m1")?.runs == 2)
            #expect(try await analyzer.summary(forSkill: "s", version: "1", model: "m3") == nil)
            #expect(try await analyzer.summary(forSkill: "s")?.runs == 5)
            let version2 = try await analyzer.summaries(version: "2")
            #expect(version2.map(\.skillId) == ["s", "t"])
            #expect(version2.map(\.runs) == [2, 1])
        }

        // MARK: - Several skills and their order

        /// Four skills whose keys are worked out by hand (numpy where percentiles interpolate):
        ///
        ///     skill runs fail rate  ms           mean p50 p90 p95 p99   max tokens      tokens p95 last run
        ///     a     3    0    0     10 20 30     20   20  28  29  29.8  30  15 15 15    15         +3 h
        ///     b     1    1    1     500          500  500 500 500 500   500 150         150        +10 h
        ///     c     2    1    0.5   100 300      200  200 280 290 298   300 15 45       43.5       +6 h
        ///     d     2    0    0     200 200      200  200 200 200 200   200 15 15       15         +3 h
        ///
        /// `np.percentile([10, 20, 30], [50, 90, 95, 99])` -> [20.0, 28.0, 29.0, 29.8];
        /// `np.percentile([100, 300], ...)` -> [200.0, 280.0, 290.0, 298.0]; `np.percentile([15, 45], 95)` -> 43.5.
        static let population: [SkillMetrics] = [
            sample("d", ms: 200, at: day20), sample("a", ms: 10, at: day20 + 1 * hour),
            sample("a", ms: 20, at: day20 + 2 * hour), sample("a", ms: 30, at: day20 + 3 * hour),
            sample("d", ms: 200, at: day20 + 3 * hour),
            sample("b", ms: 500, tokensIn: 100, tokensOut: 50, success: false, at: day20 + 10 * hour),
            sample("c", ms: 300, tokensIn: 30, tokensOut: 15, success: false, at: day20 + 6 * hour),
            sample("c", ms: 100, at: day20 + 5 * hour),
        ]

        @Test("summaries() has one summary per skill, each as summary(forSkill:) gives it")
        func severalSkills() async throws {
            let analyzer = Analyzer(store: try database(Self.population + Self.tenRuns("e")))
            let all = try await analyzer.summaries(includingTokenPercentiles: true)
            #expect(all.map(\.skillId) == ["a", "b", "c", "d", "e"])
            for summary in all {
                #expect(try await analyzer.summary(forSkill: summary.skillId, includingTokenPercentiles: true) == summary)
            }
            let c = try #require(all.first { $0.skillId == "c" })
            #expect(approximately([c.executionMs.p90, c.executionMs.p95, c.tokens?.total.p95 ?? .nan], [280, 290, 43.5]))
            #expect(all.last?.executionMs.p95.isApproximately(1_005) == true)
        }

        @Test(
            "sorting: skill ascending, every measure descending, ties by skill id",
            arguments: [
                (SummaryOrder.skill, "abcd"), (.runs, "acdb"), (.failures, "bcad"), (.failureRate, "bcad"),
                (.mean, "bcda"), (.p50, "bcda"), (.p90, "bcda"), (.p95, "bcda"), (.p99, "bcda"), (.max, "bcda"),
                (.tokens, "bcad"), (.tokensP95, "bcad"), (.lastRun, "bcad"),
            ])
        func sorting(_ order: SummaryOrder, _ expected: String) async throws {
            let analyzer = Analyzer(store: try database(Self.population))
            #expect(try await analyzer.summaries(sortedBy: order).map(\.skillId).joined() == expected)
        }

        /// x: three runs of $1 each ($3 in all, $1 a run); y: one run of $2; z: no known cost;
        /// w: $0.50 and an unknown cost ($0.50 in all and a run). By total: x y w z; per run: y x w z.
        @Test("sorting by cost: the total or the mean per run of the known costs, unknown last", arguments: [
            (SummaryOrder.cost, "xywz"), (.costPerRun, "yxwz"),
        ])
        func sortingByCost(_ order: SummaryOrder, _ expected: String) async throws {
            func priced(_ skill: String, _ cost: Double?) -> SkillMetrics {
                var run = sample(skill, ms: 10)
                run.costUsd = cost
                return run
            }
            let runs = [
                priced("x", 1), priced("x", 1), priced("x", 1), priced("y", 2), priced("z", nil), priced("w", 0.5),
                priced("w", nil),
            ]
            let memory = MemoryMetricsStore()
            try await memory.insert(contentsOf: runs, duplicateRuns: .fail)
            for store in [try database(runs) as any MetricsStore, memory] {
                let ordered = try await Analyzer(store: store).summaries(sortedBy: order).map(\.skillId).joined()
                #expect(ordered == expected)
            }
        }

        @Test("every sort order has a test above, under the name the CLI accepts")
        func sortOrderNames() {
            #expect(SummaryOrder.allCases.map(\.rawValue) == [
                "skill", "runs", "failures", "failure-rate", "mean", "p50", "p90", "p95", "p99", "max", "tokens",
                "tokens-p95", "cost", "cost-per-run", "last-run",
            ])
        }
    }
}
