import Foundation
import GRDB
import Testing

@testable import SkillForge

/// Costs in the database: the v10/v11 migrations, the rollups' cost columns
/// against the rows, repricing, and the summaries' cost figures, with every
/// expected number worked by hand in a comment.
@Suite("Costs in the database")
struct CostStorageTests {
    static let hour: Int64 = 1_795_132_800_000

    static func run(
        _ skill: String, cost: Double?, model: String? = "claude-sonnet-4-5", tokensIn: Int64 = 1_200,
        tokensOut: Int64 = 310, at offset: Int64 = 0
    ) -> SkillMetrics {
        SkillMetrics(
            skillId: skill, executionMs: 100, tokensIn: tokensIn, tokensOut: tokensOut, success: true,
            timestamp: hour + offset, model: model, runId: UUID().uuidString, costUsd: cost)
    }

    // MARK: - Migration

    @Test("a v9 file keeps its stated costs: v11 fills cost_runs and cost_nanodollars and appends cost_usd to idx_skill_runs")
    func migrationFromV9() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.olderDatabase("v9.db", upTo: "v9-tokens-known") { db in
            try db.execute(
                sql: """
                    INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, cost_usd) VALUES
                      ('a', 10, 100, 10, 1, 1795132800000, 0.25), ('a', 30, 300, 30, 0, 1795136400000, 0.125),
                      ('a', 30, 300, 30, 1, 1795136400001, NULL), ('a', 30, 300, 30, 1, 1795136400002, 'abc'),
                      ('b', 5, 0, 0, 1, 1795132800000, -1)
                    """)
        }
        let db = try ProfilerDB(path: path)
        try expectRollupsMatchRows(db.writer)
        let indexed = try await db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('idx_skill_runs') ORDER BY seqno")
        }
        #expect(indexed.last == "cost_usd" && indexed.count == 13)
        // a: 0.25 + 0.125 = 0.375 over 2 known costs (NULL and 'abc' are unknown); b: a negative cost is unknown.
        let totals = try await db.skillTotals(matching: MetricsFilter()).skills.map(\.totals)
        #expect(totals.map(\.costRuns) == [2, 0])
        #expect(totals.map(\.costNanodollars) == [375_000_000, 0])
        let summaries = try await Analyzer(store: db).summaries()
        #expect(summaries.map(\.costRuns) == [2, 0])
        #expect(summaries.first?.cost?.total == 0.375)
        #expect(summaries.first?.cost?.mean == 0.1875)
        #expect(summaries.last?.cost == nil)
        // The seed's contract still holds.
        let sqlite3 = try #require(sqlite3Path)
        #expect(try runProcess(sqlite3, [path, "SELECT * FROM skill_metrics;"]).status == 0)
    }

    @Test("another tool's writes keep the rollups' costs in step (triggers), whatever it stores in cost_usd")
    func foreignWrites() async throws {
        let db = try ProfilerDB.inMemory()
        _ = try await db.insert(Self.run("a", cost: 0.5))
        try db.writeAsAnotherTool(
            """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, model, cost_usd)
            VALUES ('a', 10, 1, 1, 1, 1795132800000, 'claude-sonnet-4-5', 0.25), ('a', 10, 1, 1, 1, 1795132800000, NULL, 2),
                   ('a', 10, 1, 1, 1, 1795132800000, 'x', 'free'), ('b', 10, 1, 1, 1, 1795132800000, NULL, 1e7)
            """)
        try expectRollupsMatchRows(db.writer)
        try db.writeAsAnotherTool("UPDATE skill_metrics SET cost_usd = 0.75 WHERE cost_usd = 0.25")
        try db.writeAsAnotherTool("UPDATE skill_metrics SET model = 'y', cost_usd = NULL WHERE cost_usd = 2")
        try db.writeAsAnotherTool("UPDATE skill_metrics SET cost_usd = 3 WHERE cost_usd = 'free'")
        try expectRollupsMatchRows(db.writer)
        try db.writeAsAnotherTool("DELETE FROM skill_metrics WHERE cost_usd = 0.5")
        try expectRollupsMatchRows(db.writer)
        // Left: a's 0.75 and 3; b's 1e7 is beyond the store's limit, unknown.
        let totals = try await db.skillTotals(matching: MetricsFilter()).skills.map(\.totals)
        #expect(totals.map(\.costNanodollars) == [3_750_000_000, 0])
    }

    // MARK: - Repricing

    @Test("reprice prices unknown costs, keeps stated ones, is idempotent, and keeps the rollups equal to the rows")
    func reprice() async throws {
        let db = try ProfilerDB.inMemory()
        // Written as by an older Skill Forge: no cost computed at write time.
        _ = try await db.insert(contentsOf: [
            Self.run("a", cost: nil), Self.run("a", cost: nil, tokensIn: 2_000, tokensOut: 100, at: 1),
            Self.run("a", cost: 0.5, at: 2), Self.run("a", cost: nil, model: "my-local-model", at: 3),
            Self.run("b", cost: nil, model: nil),
        ])
        var summary = try await db.reprice(MetricsFilter(), with: .shipped, batchSize: 2)
        // Examined: the four without a cost; priced: the two of claude-sonnet-4-5.
        #expect(summary.examined == 4 && summary.changed == 2 && summary.priced == 2 && summary.unknown == 2)
        try expectRollupsMatchRows(db.writer)
        // 1,200 × 3e-6 + 310 × 15e-6 = 0.00825;  2,000 × 3e-6 + 100 × 15e-6 = 0.0075;  stated 0.5
        //   total 0.51575 over 3 runs of a
        let totals = try await db.skillTotals(matching: MetricsFilter(skillId: "a")).skills.first?.totals
        #expect(totals?.costRuns == 3)
        #expect(totals?.costNanodollars == 515_750_000)
        let stated = try db.metrics(forSkill: "a").first { $0.costUsd == 0.5 }
        #expect(stated?.costEstimated == nil)

        summary = try await db.reprice(MetricsFilter(), with: .shipped, batchSize: 2)
        #expect(summary.examined == 4 && summary.changed == 0)

        // Another price list prices the estimated runs again, never the stated one.
        let cheaper = try PriceList(
            json: Data(#"{"claude-sonnet-4-5":{"input_cost_per_token":1e-6,"output_cost_per_token":1e-5}}"#.utf8),
            file: "cheaper.json")
        summary = try await db.reprice(MetricsFilter(skillId: "a"), with: cheaper)
        #expect(summary.changed == 2)
        try expectRollupsMatchRows(db.writer)
        // 1,200 × 1e-6 + 310 × 1e-5 = 0.0043;  2,000 × 1e-6 + 100 × 1e-5 = 0.003;  + 0.5 = 0.5073
        let repriced = try await db.skillTotals(matching: MetricsFilter(skillId: "a")).skills.first?.totals
        #expect(repriced?.costNanodollars == 507_300_000)
    }

    // MARK: - Summaries

    @Test("a summary's cost percentiles are exact, over the runs whose cost is known, in every store")
    func costPercentiles() async throws {
        for store in [try ProfilerDB.inMemory() as any MetricsStore, MemoryMetricsStore()] {
            let costs: [Double?] = [0.01, 0.02, 0.03, 0.04, nil]
            _ = try await store.insert(
                contentsOf: costs.enumerated().map { Self.run("a", cost: $1, model: nil, at: Int64($0)) },
                duplicateRuns: .fail)
            let summary = try #require(
                try await Analyzer(store: store).summary(forSkill: "a", window: .all, includingTokenPercentiles: true))
            // numpy.percentile([0.01, 0.02, 0.03, 0.04], [50, 95]) = [0.025, 0.0385]; mean 0.025, total 0.1.
            #expect(summary.costRuns == 4)
            let cost = try #require(summary.cost)
            #expect(abs(cost.total - 0.1) < 1e-12 && abs(cost.mean - 0.025) < 1e-12)
            #expect(abs(try #require(cost.p50) - 0.025) < 1e-12)
            #expect(abs(try #require(cost.p95) - 0.0385) < 1e-12)
        }
    }
}
