import Foundation
import SkillForgeTestSupport
import Testing

@testable import SkillForge
@testable import SkillForgePostgres

/// 2026-11-20T00:00:00Z in Unix milliseconds.
private let rollupDay: Int64 = 1_795_132_800_000

/// The rollups of `table` worked out again from `skill_metrics` by a query written here, not
/// by the store's SQL: groups by hour (when `hourly`), with CASE sums where the store uses
/// FILTER and `coalesce` where it uses CASE, and the rollups' slots added up; then how many
/// groups either side has that the other lacks, and how many the rows make.
private func disagreements(in table: String, hourly: Bool) -> String {
    let hour = hourly ? "timestamp / 3600000 AS hour, " : ""
    let keys = hourly ? "1, 2, 3, 4" : "1, 2, 3"
    return """
        WITH raw AS (
          SELECT skill_id, \(hour)coalesce('v' || version, '') AS version_key,
                 coalesce('m' || model, '') AS model_key, count(*) AS runs,
                 sum(CASE WHEN success THEN 0 ELSE 1 END) AS failures, sum(execution_ms) AS execution_ms_sum,
                 sum(execution_ms::numeric * execution_ms) AS execution_ms_squares,
                 min(execution_ms) AS execution_ms_min, max(execution_ms) AS execution_ms_max,
                 sum(CASE WHEN tokens_known = false THEN 0 ELSE 1 END) AS token_runs,
                 sum(CASE WHEN tokens_known = false THEN 0 ELSE tokens_in END) AS tokens_in_sum,
                 sum(CASE WHEN tokens_known = false THEN 0 ELSE tokens_out END) AS tokens_out_sum,
                 min(timestamp) AS first_run, max(timestamp) AS last_run, count(cost_usd) AS cost_runs,
                 coalesce(sum(round(cost_usd * 1000000000)::numeric), 0) AS cost_nanodollars_sum
          FROM skill_metrics GROUP BY \(keys)),
        kept AS (
          SELECT skill_id, \(hourly ? "hour, " : "")version_key, model_key, sum(runs), sum(failures), sum(execution_ms_sum),
                 sum(execution_ms_squares), min(execution_ms_min), max(execution_ms_max), sum(token_runs),
                 sum(tokens_in_sum), sum(tokens_out_sum), min(first_run), max(last_run), sum(cost_runs),
                 sum(cost_nanodollars_sum)
          FROM \(table) GROUP BY \(keys))
        SELECT (SELECT count(*) FROM (SELECT * FROM raw EXCEPT SELECT * FROM kept) AS missing),
               (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM raw) AS extra),
               (SELECT count(*) FROM raw)
        """
}

/// Expects both levels of rollups in `schema` to be the rows' totals, over more than `groups` hourly groups.
private func expectRollupsAgreeWithRows(schema: String, moreThan groups: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    for (table, hourly) in [("skill_rollups", true), ("skill_rollups_all_time", false)] {
        let check = try psql(disagreements(in: table, hourly: hourly), schema: schema)
        #expect(check.status == 0, "\(check.stderr)", sourceLocation: sourceLocation)
        let counts = check.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").compactMap { Int($0) }
        #expect(
            counts.count == 3 && counts[0] == 0 && counts[1] == 0 && counts[2] > (hourly ? groups : 0),
            "\(table): missing|extra|groups: \(check.stdout)", sourceLocation: sourceLocation)
    }
}

@Suite("PostgreSQL rollups: kept in each writing transaction, by every writer", TestPostgres.enabled)
struct PostgresRollupTests {
    private func run(_ skill: String, _ index: Int, writer: Int, runId: String? = nil) -> SkillMetrics {
        let tokensKnown = index % 10 != 7
        return SkillMetrics(
            skillId: skill, executionMs: Int64(50 + (index * 37 + writer * 11) % 2_000), tokensIn: tokensKnown ? Int64(index % 300) : 0,
            tokensOut: tokensKnown ? Int64(index % 70) : 0, success: index % 9 != 0, timestamp: rollupDay + Int64(index % 40) * 900_000,
            version: index % 3 == 0 ? nil : "v\(index % 2)", model: index % 4 == 0 ? nil : "claude-sonnet-4-5",
            cacheReadTokens: index % 5 == 0 ? Int64(index) : nil, runId: runId,
            costUsd: index % 6 == 0 ? nil : Double(index % 13) * 0.000_123_4, tokensKnown: tokensKnown ? nil : false)
    }

    @Test(
        "after writers on separate connections insert, update, delete and prune at once, and psql writes too, the rollups are the rows' totals",
        .timeLimit(.minutes(10)))
    func concurrentWriters() async throws {
        let url = try TestPostgres.urlWithNewSchema()
        let location = try PostgresLocation(url: url)
        let stores = try await withThrowingTaskGroup(of: PostgresMetricsStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresMetricsStore(location) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { for store in stores { store.close() } }

        try await withThrowingTaskGroup(of: Void.self) { group in
            // Batches that share their skills and hours with every other writer.
            group.addTask {
                for batch in 0..<15 {
                    let runs = (0..<200).map { self.run(["a", "b"][$0 % 2], batch * 200 + $0, writer: 0, runId: "w0-\(batch)-\($0)") }
                    _ = try await stores[0].insert(contentsOf: runs, duplicateRuns: .skip)
                }
            }
            // Single runs, some of them sent twice.
            group.addTask {
                for index in 0..<300 {
                    _ = try await stores[1].insert(contentsOf: [self.run("a", index, writer: 1, runId: "w1-\(index % 250)")], duplicateRuns: .skip)
                }
            }
            // Runs that move: stored, then updated into another hour, version and skill; some deleted.
            group.addTask {
                for index in 0..<150 {
                    var stored = try await stores[2].insert(self.run("b", index, writer: 2))
                    stored.timestamp += 3 * 3_600_000
                    stored.version = "moved"
                    stored.skillId = index % 2 == 0 ? "c" : "b"
                    stored.executionMs = 9_999
                    try await stores[2].update(stored)
                    if index % 5 == 0 { _ = try await stores[2].delete(id: stored.id ?? 0) }
                }
            }
            // Deletions of whole skills and prunes while the others write.
            group.addTask {
                for round in 0..<10 {
                    _ = try await stores[3].insert(contentsOf: (0..<50).map { self.run("doomed", round * 50 + $0, writer: 3) })
                    _ = try await stores[3].deleteMetrics(forSkill: "doomed", upToId: nil)
                    _ = try await stores[3].prune(before: Date(timeIntervalSince1970: Double(rollupDay) / 1000 + Double(round) * 600), upToId: nil)
                }
            }
            // Another tool: psql, inserting and deleting rows of its own.
            group.addTask {
                for round in 0..<10 {
                    let insert = try psql(
                        """
                        INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, cost_usd)
                        SELECT 'a', 100 + i, i, 2 * i, i % 4 <> 0, \(rollupDay) + i * 60000, 'v1', i * 0.001
                        FROM generate_series(1, 40) AS i
                        """, schema: location.schema)
                    #expect(insert.status == 0, "\(insert.stderr)")
                    // With another search path, naming the schema: the triggers still find their rollups.
                    let qualified = try psql(
                        """
                        INSERT INTO "\(location.schema)".skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp)
                        VALUES ('b', \(300 + round), 1, 1, true, \(rollupDay) + \(round) * 3600000)
                        """, schema: "public")
                    #expect(qualified.status == 0, "\(qualified.stderr)")
                    if round % 3 == 2 {
                        let delete = try psql("DELETE FROM skill_metrics WHERE execution_ms BETWEEN 110 AND 120", schema: location.schema)
                        #expect(delete.status == 0, "\(delete.stderr)")
                    }
                }
            }
            try await group.waitForAll()
        }

        try expectRollupsAgreeWithRows(schema: location.schema, moreThan: 50)

        // And the store's totals (rollups and edge rows) are psql's sums over the rows, in a window of parts of hours.
        let since = rollupDay + 1_800_000, until = rollupDay + 7 * 3_600_000 + 600_000
        let window = TimeWindow(since: Date(timeIntervalSince1970: Double(since) / 1000), until: Date(timeIntervalSince1970: Double(until) / 1000))
        let report = try await stores[0].skillTotals(matching: MetricsFilter(window: window))
        let expected = try psql(
            """
            SELECT skill_id, count(*), sum(execution_ms), min(execution_ms), max(execution_ms) FROM skill_metrics
            WHERE timestamp >= \(since) AND timestamp < \(until) GROUP BY 1 ORDER BY 1
            """, schema: location.schema).stdout
        let reported = report.skills.sorted { $0.skillId < $1.skillId }.map {
            "\($0.skillId)|\($0.totals.runs)|\($0.totals.executionMsSum)|\($0.totals.executionMsMin ?? -1)|\($0.totals.executionMsMax ?? -1)"
        }
        #expect(reported == expected.split(separator: "\n").map(String.init) && !reported.isEmpty)

        // Without a window, the all-time rollups answer: psql's sums over every row.
        let allTime = try await stores[1].skillTotals(matching: MetricsFilter()).skills.map {
            "\($0.skillId)|\($0.totals.runs)|\($0.totals.executionMsSum)|\($0.totals.executionMsMin ?? -1)|\($0.totals.firstRun ?? -1)"
        }
        let everyRow = try psql(
            "SELECT skill_id, count(*), sum(execution_ms), min(execution_ms), min(timestamp) FROM skill_metrics GROUP BY 1 ORDER BY 1",
            schema: location.schema
        ).stdout
        #expect(allTime.sorted() == everyRow.split(separator: "\n").map(String.init) && !allTime.isEmpty)
        #expect(try await stores[2].allSkills() == everyRow.split(separator: "\n").map { String($0.prefix { $0 != "|" }) })
    }

    @Test("a schema of the last release (v2-rollups) gains the all-time rollups, added up from its hours, and keeps them")
    func upgradeFromHourlyRollups() async throws {
        let url = try TestPostgres.urlWithNewSchema()
        let location = try PostgresLocation(url: url)
        // The schema as v2-rollups left it, written by psql with the migrations' own statements.
        let released = PostgresSchema.migrations.prefix { $0.name != "v3-rollups-all-time" }
        #expect(released.map(\.name) == ["v1-skill-metrics", "v2-rollups"])
        let create = try psql(
            """
            CREATE SCHEMA "\(location.schema)";
            CREATE TABLE skill_forge_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
            \(released.flatMap(\.sql).joined(separator: ";\n"));
            INSERT INTO skill_forge_migrations (name) VALUES ('v1-skill-metrics'), ('v2-rollups');
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, model)
            SELECT 's' || (i % 3), 10 * i, i, i, i % 5 <> 0, \(rollupDay) + i * 600000,
                   CASE WHEN i % 2 = 0 THEN '1' END, CASE WHEN i % 3 = 0 THEN 'm' END
            FROM generate_series(1, 300) AS i
            """, schema: location.schema)
        #expect(create.status == 0, "\(create.stderr)")
        let before = try psql("SELECT to_regclass('skill_rollups_all_time') IS NULL", schema: location.schema).stdout
        #expect(before.hasPrefix("t"))

        let store = try await PostgresMetricsStore(location)
        defer { store.close() }
        try expectRollupsAgreeWithRows(schema: location.schema, moreThan: 100)
        // And the new functions keep both levels from here on.
        _ = try await store.insert(contentsOf: (0..<40).map { run("s1", $0, writer: 0) })
        _ = try await store.deleteMetrics(forSkill: "s2", upToId: nil)
        try expectRollupsAgreeWithRows(schema: location.schema, moreThan: 100)
        #expect(try await store.allSkills() == ["s0", "s1"])
    }
}
