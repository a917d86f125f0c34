import Foundation
import Testing

@testable import SkillForge

extension AnalysisTests {
    /// Runs whose tokens are unknown count in runs, latency and failures, and in no token figure.
    @Suite("Unknown tokens")
    struct UnknownTokenTests {
        /// Skill "lint": four runs of 10, 20, 30 and 40 ms; the first three with known tokens, the last unknown.
        /// Token values are 65,536 or more, so a sparse limit of 2 leaves their percentiles to SQL. By hand:
        /// - in 100,000, 200,000, 300,000: mean 200,000, sum 600,000; p95: h = 2 · 0.95 = 1.9 → 200,000 + 0.9 · 100,000 = 290,000
        /// - out 70,000, 80,000, 90,000: mean 80,000, sum 240,000; p95 80,000 + 0.9 · 10,000 = 89,000
        /// - total 170,000, 280,000, 390,000: mean 280,000, sum 840,000; p95 280,000 + 0.9 · 110,000 = 379,000
        /// - latency over all four: mean 25, p50 h = 1.5 → 25; tokens known for 3 of 4 runs.
        static func lintRuns() -> [SkillMetrics] {
            let known = [(100_000, 70_000), (200_000, 80_000), (300_000, 90_000)].enumerated().map { i, tokens in
                sample("lint", ms: Int64(10 * (i + 1)), tokensIn: Int64(tokens.0), tokensOut: Int64(tokens.1), at: day20 + Int64(i) * minute)
            }
            return known + [unknown("lint", ms: 40, at: day20 + 3 * minute)]
        }

        /// A run of `skillId` whose tokens are unknown.
        static func unknown(_ skillId: String, ms: Int64, at timestamp: Int64 = day20, version: String? = nil) -> SkillMetrics {
            SkillMetrics(
                skillId: skillId, executionMs: ms, tokensIn: 0, tokensOut: 0, success: true, timestamp: timestamp,
                version: version, tokensKnown: false)
        }

        static func expectLintSummary(_ summary: SkillSummary, percentiles: Bool, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            #expect(summary.runs == 4, sourceLocation: sourceLocation)
            #expect(summary.tokenRuns == 3, sourceLocation: sourceLocation)
            #expect(summary.executionMs.mean == 25, sourceLocation: sourceLocation)
            #expect(summary.executionMs.p50 == 25, sourceLocation: sourceLocation)
            let tokens = try #require(summary.tokens, sourceLocation: sourceLocation)
            #expect(tokens.in.mean == 200_000 && tokens.in.sum == 600_000, sourceLocation: sourceLocation)
            #expect(tokens.out.mean == 80_000 && tokens.out.sum == 240_000, sourceLocation: sourceLocation)
            #expect(tokens.total.mean == 280_000 && tokens.total.sum == 840_000, sourceLocation: sourceLocation)
            if percentiles {
                #expect(tokens.in.p95?.isApproximately(290_000) == true, sourceLocation: sourceLocation)
                #expect(tokens.out.p95?.isApproximately(89_000) == true, sourceLocation: sourceLocation)
                #expect(tokens.total.p95?.isApproximately(379_000) == true, sourceLocation: sourceLocation)
            } else {
                #expect(tokens.total.p95 == nil, sourceLocation: sourceLocation)
            }
            #expect(summary.estimatedTokensShare == 0, sourceLocation: sourceLocation)
        }

        @Test(
            "means, sums and p95 of tokens over the 3 known runs of 4, from the rollups, the scan, SQL and memory",
            arguments: [false, true], [TimeWindow.all, TimeWindow(since: Date(unixMilliseconds: day20 - 1))])
        func summaryOverKnownRuns(percentiles: Bool, window: TimeWindow) async throws {
            let runs = Self.lintRuns() + [sample("other", ms: 5)]
            let memory = MemoryMetricsStore()
            try await memory.insert(contentsOf: runs)
            let db = try database(runs)
            for analyzer in [Analyzer(store: db), Analyzer(store: db, sparseValueLimit: 2), Analyzer(store: memory)] {
                let summary = try #require(
                    try await analyzer.summary(forSkill: "lint", window: window, includingTokenPercentiles: percentiles))
                try Self.expectLintSummary(summary, percentiles: percentiles)
            }
        }

        @Test("a skill without any known tokens has tokens nil, JSON null, and tokenRuns 0")
        func noKnownTokens() async throws {
            let db = try database([Self.unknown("probe", ms: 7), Self.unknown("probe", ms: 9)])
            for window in [TimeWindow.all, TimeWindow(since: Date(unixMilliseconds: day20 - 1))] {
                let summary = try #require(try await Analyzer(store: db).summary(forSkill: "probe", window: window))
                #expect(summary.runs == 2 && summary.tokenRuns == 0)
                #expect(summary.tokens == nil)
                #expect(summary.executionMs.mean == 8)
                let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any]
                #expect(json?["tokens"] is NSNull)
                #expect(json?["tokenRuns"] as? Int == 0)
            }
            let overview = try #require(try await db.skillTotals(matching: MetricsFilter()).skills.first.map(SkillOverview.init))
            #expect(overview.meanTokens == nil && overview.tokenRuns == 0)
            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(overview)) as? [String: Any]
            #expect(json?["meanTokens"] is NSNull)
        }

        @Test("compare tests tokens on known runs only, and not at all when a side has none")
        func comparison() async throws {
            // Baseline 1.0: known totals 100, 200, 300 and an unknown run; candidate 2.0: 100, 200, 300. By hand
            // both means are 200 over 3 runs (not 150 over 4 on the baseline).
            var runs: [SkillMetrics] = []
            for (index, tokens) in [100, 200, 300].enumerated() {
                runs.append(sample("c", ms: 10, tokensIn: Int64(tokens), tokensOut: 0, at: day20 + Int64(index), version: "1.0"))
                runs.append(sample("c", ms: 10, tokensIn: Int64(tokens), tokensOut: 0, at: day20 + Int64(index), version: "2.0"))
            }
            runs.append(Self.unknown("c", ms: 10, version: "1.0"))
            runs += (0..<3).map { Self.unknown("c", ms: 10, at: day20 + Int64($0), version: "3.0") }
            let analyzer = Analyzer(store: try database(runs))
            let known = try await analyzer.compare(skill: "c", baseline: .version("1.0"), candidate: .version("2.0"))
            let tokens = try #require(known.tokens)
            #expect(tokens.mean.baseline == 200 && tokens.mean.candidate == 200)
            #expect(known.baseline.runs == 4 && known.baseline.summary?.tokenRuns == 3)

            let unknown = try await analyzer.compare(skill: "c", baseline: .version("1.0"), candidate: .version("3.0"))
            #expect(unknown.tokens == nil)
            #expect(unknown.reasons.contains("tokens: not compared, tokens known for 3 of 4 baseline runs and 0 of 3 candidate runs"))
        }

        @Test("a trend's mean tokens per bucket cover its known runs; a bucket with none has nil, from hours and from rows")
        func trend() async throws {
            // Day 20: totals 100 and 300 known, one unknown: mean 200 over 2. Day 21: one unknown run: nil.
            let runs = [
                sample("t", ms: 10, tokensIn: 100, tokensOut: 0, at: day20 + hour),
                sample("t", ms: 10, tokensIn: 250, tokensOut: 50, at: day20 + 2 * hour),
                Self.unknown("t", ms: 10, at: day20 + 3 * hour),
                Self.unknown("t", ms: 10, at: day20 + day + hour),
            ]
            let memory = MemoryMetricsStore()
            try await memory.insert(contentsOf: runs)
            let db = try database(runs)
            // A window of whole hours is read from the hourly rollups; one with part-hours, partly from the rows.
            for (store, since) in [(db as any MetricsStore, day20), (db, day20 + 1), (memory, day20)] {
                let points = try await Analyzer(store: store).timeSeries(
                    forSkill: "t", bucket: .day, window: window(since, day20 + 2 * day), timeZone: .gmt)
                #expect(points.map(\.runs) == [3, 1])
                #expect(points.map(\.tokenRuns) == [2, 0])
                #expect(points.map(\.meanTokens) == [200, nil])
            }
        }

        @Test("candidates give no token reason for a skill whose tokens are unknown")
        func candidates() async throws {
            let now = Date(unixMilliseconds: day20 + day)
            // "hungry" has 10,000 tokens a run, "mid" 100, "tiny" 10, "dark" unknown tokens: the median skill
            // is the median of 10,000, 100 and 10 (100); counting dark as 0 would make it (100 + 10) / 2 = 55.
            var runs: [SkillMetrics] = []
            for index in 0..<20 {
                let at = day20 + Int64(index) * minute
                runs.append(sample("hungry", ms: 100, tokensIn: 10_000, tokensOut: 0, at: at))
                runs.append(sample("mid", ms: 100, tokensIn: 100, tokensOut: 0, at: at))
                runs.append(sample("tiny", ms: 100, tokensIn: 10, tokensOut: 0, at: at))
                runs.append(Self.unknown("dark", ms: 100, at: at))
            }
            let candidates = try await Analyzer(store: try database(runs)).candidates(now: now)
            let dark = try #require(candidates.first { $0.skillId == "dark" })
            #expect(dark.reasons.isEmpty)
            let hungry = try #require(candidates.first { $0.skillId == "hungry" })
            #expect(hungry.reasons == ["10,000 tokens per run, 100.0x the median skill (100)"])
        }
    }
}
