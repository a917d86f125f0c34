import Foundation
import Testing

@testable import SkillForge

extension AnalysisTests {
    /// Cost per run in `compare`, `candidates` and `trend`: over the runs whose cost is known, never
    /// counting an unknown cost as $0. Reference values from scipy 1.17 and numpy 2.4, each call spelled
    /// out next to its value, with `mw` as in ``ComparisonTests``; other numbers worked by hand.
    @Suite("Cost in comparisons, candidates and trends")
    struct CostAnalysisTests {
        /// A run of `skillId` costing `cost` US dollars (`nil`: unknown).
        static func priced(
            _ skillId: String = "s", ms: Int64 = 100, cost: Double?, at timestamp: Int64 = day20, version: String? = nil
        ) -> SkillMetrics {
            var run = sample(skillId, ms: ms, at: timestamp, version: version)
            run.costUsd = cost
            return run
        }

        /// 30 runs a side with the same times and tokens, and 5 more a side whose cost is unknown.
        /// Baseline costs `b = [10_050_000 + (i * 7) % 30 * 100_000 for i in range(30)]` nanodollars
        /// (30 distinct values, $0.01005 to $0.01295); the candidate's are `candidate(b[i])`.
        static func versions(candidate: (Int64) -> Int64?) -> [SkillMetrics] {
            (0..<30).flatMap { i -> [SkillMetrics] in
                let baseline = Int64(10_050_000 + (i * 7) % 30 * 100_000)
                let ms = Int64(200 + (i * 37) % 100)
                return [
                    priced(ms: ms, cost: Double(baseline) / 1e9, version: "1.0"),
                    priced(ms: ms, cost: candidate(baseline).map { Double($0) / 1e9 }, at: day20 + hour, version: "2.0"),
                ]
            } + (0..<5).flatMap { i in
                [priced(ms: 250, cost: nil, at: day20 + Int64(i), version: "1.0"),
                 priced(ms: 250, cost: nil, at: day20 + hour + Int64(i), version: "2.0")]
            }
        }

        /// The SQLite store (counting costs in memory, and with a sparse limit of 2 that leaves the
        /// percentiles and the rank test to SQL), and the memory store.
        static func analyzers(_ runs: [SkillMetrics]) async throws -> [Analyzer] {
            let memory = MemoryMetricsStore()
            try await memory.insert(contentsOf: runs)
            let db = try database(runs)
            return [Analyzer(store: db), Analyzer(store: db, sparseValueLimit: 2), Analyzer(store: memory)]
        }

        // MARK: - compare

        /// Candidate `c = [x + 3_000_000 for x in b]`: `mw(b, c).pvalue` -> 3.019859359162157e-11, U₁ = 0, so
        /// z = +6.64559922588161; `np.mean(b) / 1e9` -> 0.0115, `np.mean(c) / 1e9` -> 0.0145 (+26.1%);
        /// `np.percentile(b, 95) / 1e9` -> 0.012805, `np.percentile(c, 95) / 1e9` -> 0.015805.
        /// Latency and tokens are the same on both sides, so the cost alone makes the verdict.
        @Test("a costlier candidate is worse, tested on the runs whose cost is known, in every store")
        func costlier() async throws {
            for analyzer in try await Self.analyzers(Self.versions { $0 + 3_000_000 }) {
                let comparison = try await analyzer.compare(skill: "s", baseline: .version("1.0"), candidate: .version("2.0"))
                #expect(comparison.verdict == .worse)
                #expect(comparison.baseline.runs == 35 && comparison.baseline.summary?.costRuns == 30)
                #expect(comparison.latency?.test.direction == .unchanged && comparison.tokens?.test.direction == .unchanged)
                let cost = try #require(comparison.cost)
                #expect(approximately([cost.mean.baseline, cost.mean.candidate], [0.0115, 0.0145]))
                #expect(approximately([cost.p95.baseline, cost.p95.candidate], [0.012805, 0.015805]))
                #expect(cost.test.method == "mann-whitney-u")
                #expect(cost.test.pValue.isApproximately(3.019859359162157e-11, relative: 1e-9))
                #expect(try #require(cost.test.statistic).isApproximately(6.64559922588161, relative: 1e-9))
                #expect(cost.test.significant && cost.test.direction == .worse)
                // The order of the reasons: latency, tokens, cost, failure rate.
                try #require(comparison.reasons.count == 4)
                #expect(comparison.reasons[2] == "cost: mean $0.0115 → $0.0145 (+26.1%); Mann-Whitney p < 0.0001: worse")
                #expect(comparison.reasons[3].hasPrefix("failure rate:"))
            }
        }

        /// Candidate `[x - 3_000_000 for x in b]`: the same p-value, z = −6.64559922588161, mean 0.0085 (−26.1%).
        @Test("a cheaper candidate is better")
        func cheaper() async throws {
            for analyzer in try await Self.analyzers(Self.versions { $0 - 3_000_000 }) {
                let comparison = try await analyzer.compare(skill: "s", baseline: .version("1.0"), candidate: .version("2.0"))
                #expect(comparison.verdict == .better)
                let cost = try #require(comparison.cost)
                #expect(cost.mean.candidate.isApproximately(0.0085))
                #expect(try #require(cost.test.statistic).isApproximately(-6.64559922588161, relative: 1e-9))
                #expect(cost.test.direction == .better)
            }
        }

        /// Baseline `[10_000_000 + i * 1_000 for i in range(30)]`, candidate 100,000 nanodollars more:
        /// `mw(b, c).pvalue` -> 3.019859359162157e-11, but the mean rises by
        /// `np.mean(c) / np.mean(b) - 1` -> 0.00998552099455785 and the p95 by 0.009972525691719358: under 5%.
        @Test("a significant cost change under --min-change does not count")
        func smallChange() async throws {
            let runs = (0..<30).flatMap { i -> [SkillMetrics] in
                let cost = Double(10_000_000 + i * 1_000) / 1e9
                return [Self.priced(cost: cost, version: "1.0"), Self.priced(cost: cost + 0.0001, version: "2.0")]
            }
            let comparison = try await Analyzer(store: try database(runs))
                .compare(skill: "s", baseline: .version("1.0"), candidate: .version("2.0"))
            let cost = try #require(comparison.cost)
            #expect(cost.test.significant && cost.test.direction == .unchanged)
            #expect(comparison.verdict == .noSignificantDifference)
        }

        @Test("a side without a known cost is not compared: cost nil, JSON null, and a reason with the counts")
        func sideWithoutCost() async throws {
            for analyzer in try await Self.analyzers(Self.versions { _ in nil }) {
                let comparison = try await analyzer.compare(skill: "s", baseline: .version("1.0"), candidate: .version("2.0"))
                #expect(comparison.cost == nil)
                #expect(comparison.verdict == .noSignificantDifference)
                #expect(comparison.reasons.contains(
                    "cost: not compared, cost known for 30 of 35 baseline runs and 0 of 35 candidate runs"))
                let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(comparison)) as? [String: Any])
                #expect(json["cost"] is NSNull)
                #expect(json["tokens"] is [String: Any])
            }
        }

        // MARK: - candidates

        /// 20 runs each in the judged week of skills costing $0.05, $0.01 and $0.002 a run, and of "unpriced",
        /// whose cost is unknown; "mid" cost $0.0075 a run the week before. Same time and tokens for all.
        /// By hand: the median skill's cost is the median of 0.05, 0.01 and 0.002 (0.01; counting "unpriced"
        /// as $0 would make it (0.002 + 0.01) / 2 = 0.006); 0.05 / 0.01 = 5.0x, severity 5 / 2 = 2.5 (optimize);
        /// "mid" rose 0.01 / 0.0075 − 1 = +33.3%, severity 0.333… / 0.25 = 1.333… (monitor).
        static func candidateRuns() -> [SkillMetrics] {
            (0..<20).flatMap { i -> [SkillMetrics] in
                let at = day20 + Int64(i) * hour
                return [
                    priced("pricey", cost: 0.05, at: at), priced("mid", cost: 0.01, at: at), priced("cheap", cost: 0.002, at: at),
                    priced("unpriced", cost: nil, at: at), priced("mid", cost: 0.0075, at: day20 - day + Int64(i) * hour),
                ]
            }
        }

        @Test("a skill is costly at --cost-factor times the median skill's cost per run, and regressing when it rose")
        func candidates() async throws {
            let now = Date(unixMilliseconds: day20 + 7 * day)
            let analyzer = Analyzer(store: try database(Self.candidateRuns()))
            let byId = Dictionary(uniqueKeysWithValues: try await analyzer.candidates(now: now).map { ($0.skillId, $0) })
            #expect(byId["pricey"]?.reasons == ["$0.0500 per run, 5.0x the median skill ($0.0100)"])
            #expect(byId["pricey"]?.score.isApproximately(2.5) == true)
            #expect(byId["pricey"]?.recommendation == .optimize)
            #expect(byId["mid"]?.reasons == ["cost per run up +33.3% vs the previous 1w ($0.0075 → $0.0100)"])
            #expect(byId["mid"]?.score.isApproximately(4.0 / 3) == true)
            #expect(byId["mid"]?.recommendation == .monitor)
            #expect(byId["unpriced"]?.reasons == [] && byId["cheap"]?.reasons == [])

            // 5.0x is under a cost factor of 6: no longer costly.
            let lenient = try await analyzer.candidates(thresholds: CandidateThresholds(costFactor: 6), now: now)
            #expect(lenient.first { $0.skillId == "pricey" }?.reasons == [])
        }

        // MARK: - trend

        /// Day 20: $0.01 and $0.0325 known, one unknown: mean 0.0425 / 2 = 0.02125, total 0.0425;
        /// day 21: one unknown run: nil; day 22: $0.5 alone: mean and total 0.5. By hand.
        static let trendRuns = [
            priced("t", cost: 0.01, at: day20 + hour), priced("t", cost: 0.0325, at: day20 + 2 * hour),
            priced("t", cost: nil, at: day20 + 3 * hour), priced("t", cost: nil, at: day20 + day + hour),
            priced("t", cost: 0.5, at: day20 + 2 * day + hour),
        ]

        @Test("a trend's cost per run and total per bucket cover its known costs, from the hourly rollups and from the rows")
        func trend() async throws {
            let memory = MemoryMetricsStore()
            try await memory.insert(contentsOf: Self.trendRuns)
            let db = try database(Self.trendRuns)
            // Whole hours read the hourly rollups; a window starting 1 ms into an hour reads that hour's part
            // from the rows; the memory store reads runs.
            for (store, since) in [(db as any MetricsStore, day20), (db, day20 + 1), (memory, day20)] {
                let points = try await Analyzer(store: store).timeSeries(
                    forSkill: "t", bucket: .day, window: window(since, day20 + 3 * day), timeZone: .gmt)
                #expect(points.map(\.runs) == [3, 1, 1])
                #expect(points.map(\.costRuns) == [2, 0, 1])
                #expect(points[1].meanCostUsd == nil && points[1].totalCostUsd == nil)
                #expect(approximately([points[0].meanCostUsd, points[0].totalCostUsd], [0.02125, 0.0425]))
                #expect(approximately([points[2].meanCostUsd, points[2].totalCostUsd], [0.5, 0.5]))
            }
        }

        /// Asia/Kolkata is UTC+5:30: its days split UTC hours, so no bucket is read from the hourly rollups.
        /// Local days from 2026-11-20 05:30 to 2026-11-23 05:30: the runs fall on the 20th (06:30 to 08:30),
        /// the 21st and the 22nd; the 23rd is empty.
        @Test("buckets that split hours, read from the rows alone, agree with the memory store's")
        func trendInHalfHourZone() async throws {
            let memory = MemoryMetricsStore()
            try await memory.insert(contentsOf: Self.trendRuns)
            let kolkata = try zone("Asia/Kolkata")
            var series: [[TimeSeriesPoint]] = []
            for store in [try database(Self.trendRuns) as any MetricsStore, memory] {
                let points = try await Analyzer(store: store).timeSeries(
                    forSkill: "t", bucket: .day, window: window(day20, day20 + 3 * day), timeZone: kolkata)
                #expect(points.map(\.label) == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"])
                #expect(points.map(\.costRuns) == [2, 0, 1, 0])
                #expect(points.map { $0.totalCostUsd == nil } == [false, true, false, true])
                #expect(approximately([points[0].meanCostUsd, points[0].totalCostUsd], [0.02125, 0.0425]))
                series.append(points)
            }
            #expect(series[0] == series[1])
        }

        @Test("a trend point's JSON has costRuns, meanCostUsd and totalCostUsd, null without a known cost")
        func trendJSON() async throws {
            let points = try await Analyzer(store: try database(Self.trendRuns)).timeSeries(
                forSkill: "t", bucket: .day, window: window(day20, day20 + 2 * day), timeZone: .gmt)
            let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(points)) as? [[String: Any]])
            #expect(json.map { $0["costRuns"] as? Int } == [2, 0])
            #expect(json[1]["meanCostUsd"] is NSNull && json[1]["totalCostUsd"] is NSNull)
            #expect((json[0]["totalCostUsd"] as? Double)?.isApproximately(0.0425) == true)
        }
    }
}
