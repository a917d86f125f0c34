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
    }
}
