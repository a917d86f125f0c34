import Foundation
import GRDB
import Testing

@testable import SkillForge

/// Rows another tool writes with the sqlite3 shell: valid ones in two hours, with
/// NULL and empty versions, and rows that break the rules in every way (text,
/// REAL and out-of-range values, a BLOB skill id, TEXT and REAL timestamps); and
/// valid rows whose tokens are unknown (`tokens_known` 0 or 0.0, one with token
/// counts, which count nowhere) or known (1, any other value).
private let foreignRows = """
    INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, model,
                               tokens_estimated, cache_read_tokens, cache_creation_tokens) VALUES
      ('alpha', 70, 5, 6, 1, 1795132800000, NULL, NULL, NULL, NULL, NULL),
      ('alpha', 90, 5, 6, 0, 1795132800001, '', NULL, 1, 40, 2),
      ('alpha', 20, 5, 6, 1, 1795136400000, '', 'model-b', 0, NULL, NULL),
      ('shell', 1000, 300, 40, 1, 1795132900000, '1.0', NULL, NULL, NULL, NULL),
      ('shell', 3000, 310, 42, 0, 1795133000000, '1.0', NULL, NULL, NULL, NULL),
      ('shell', 'abc', 1, 1, 1, 1795133000000, NULL, NULL, NULL, NULL, NULL),
      ('shell', 1.5, 1, 1, 1, 1795133000000, NULL, NULL, NULL, NULL, NULL),
      ('shell', 10, -1, 1, 1, 1795133000000, NULL, NULL, NULL, NULL, NULL),
      ('shell', 10, 1, 1, 2, 1795133000000, NULL, NULL, NULL, NULL, NULL),
      ('shell', 10, 1, 1, 1, 'yesterday', NULL, NULL, NULL, NULL, NULL),
      ('shell', 10, 1, 1, 1, 1795133000000.5, NULL, NULL, NULL, NULL, NULL),
      ('shell', 10, 1, 1, 1, 123, NULL, NULL, NULL, NULL, NULL),
      (x'00ff', 10, 1, 1, 1, 1795133000000, NULL, NULL, NULL, NULL, NULL),
      ('only-invalid', 10, 1, 1, 1, -5, NULL, NULL, NULL, NULL, NULL);
    INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, model,
                               tokens_estimated, cache_read_tokens, cache_creation_tokens, tokens_known) VALUES
      ('shell', 2000, 0, 0, 1, 1795133100000, '1.0', NULL, NULL, NULL, NULL, 0),
      ('shell', 2500, 500, 50, 1, 1795133200000, '1.0', NULL, 1, 9, 9, 0.0),
      ('alpha', 30, 7, 8, 1, 1795136400001, '', 'model-b', NULL, NULL, NULL, 1),
      ('alpha', 40, 7, 8, 0, 1795136400002, '', 'model-b', NULL, NULL, NULL, 'yes');
    """

@Suite("Rollups follow other tools' writes")
struct RollupForeignWriteTests {
    /// A database with Skill Forge's runs and the shell's.
    private func mixedDatabase(_ directory: TemporaryDirectory) throws -> (ProfilerDB, String) {
        let path = directory.path("mixed.db")
        let db = try ProfilerDB(path: path)
        try db.insert(contentsOf: (0..<24).map { variedRun($0) })
        try shell(path, foreignRows)
        return (db, path)
    }

    /// Checks the reads against the rows: totals over several windows, run counts, averages and versions.
    private func expectReadsMatchRows(_ db: ProfilerDB, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let windows: [(Int64?, Int64?)] = [
            (nil, nil), (day20 + hour, nil), (nil, day20 + 2 * hour), (day20 + 1, day20 + 3 * hour - 7),
            (day20 + 10, day20 + 20), (day20 - 5, nil),
        ]
        for (since, until) in windows {
            let expected = try expectedSkillTotals(db.writer, since: since, until: until)
            let totals = try db.skillTotals(matching: MetricsFilter(window: window(since, until)))
            #expect(totals.skills.map(\.line) == expected.lines, "window \(String(describing: since))..<\(String(describing: until))", sourceLocation: sourceLocation)
            #expect(totals.invalidRows == expected.invalidRows, sourceLocation: sourceLocation)
        }
        let all = try expectedSkillTotals(db.writer)
        let (counts, invalidRows) = try db.skillRunCountsCountingInvalidRows()
        #expect(counts.map { "\($0.skillId)|\($0.runs)|\($0.lastRun)" } == all.lines.map { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            return "\(fields[0])|\(fields[1])|\(fields[12])"
        }, sourceLocation: sourceLocation)
        #expect(invalidRows == all.invalidRows, sourceLocation: sourceLocation)
        #expect(try db.invalidCount() == all.invalidRows, sourceLocation: sourceLocation)

        // The seed's getAverageMetrics, over the valid rows.
        let seedAverages = try db.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT skill_id, AVG(execution_ms), AVG(CASE WHEN \(expectedKnown) = 1 THEN tokens_in + tokens_out END), COUNT(*),
                           SUM(CASE WHEN success = 0 THEN 1 ELSE 0 END) * 1.0 / COUNT(*)
                    FROM skill_metrics WHERE \(expectedValidity) GROUP BY skill_id ORDER BY skill_id
                    """
            ).map { AggregatedMetrics(skillId: $0[0], avgExecutionMs: $0[1], avgTokens: $0[2], totalRuns: $0[3], failureRate: $0[4]) }
        }
        #expect(try db.averageMetrics() == seedAverages, sourceLocation: sourceLocation)
        for skill in ["alpha", "shell", "only-invalid", "none"] {
            #expect(try db.averageMetrics(forSkill: skill) == seedAverages.first { $0.skillId == skill }, sourceLocation: sourceLocation)
            let versions = try db.writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT version, COUNT(*), MIN(timestamp), MAX(timestamp) FROM skill_metrics
                        WHERE skill_id = ? AND \(expectedValidity) GROUP BY version ORDER BY MIN(timestamp), version
                        """, arguments: [skill]
                ).map { VersionRunCount(version: $0[0], runs: $0[1], firstRun: $0[2], lastRun: $0[3]) }
            }
            #expect(try db.versionRunCounts(forSkill: skill) == versions, sourceLocation: sourceLocation)
        }
    }

    @Test("rows the sqlite3 shell inserts, valid or not, are added by the triggers")
    func foreignInserts() throws {
        let directory = try TemporaryDirectory()
        let (db, _) = try mixedDatabase(directory)
        try expectRollupsMatchRows(db.writer)
        let invalid = try db.writer.read { try Int.fetchOne($0, sql: "SELECT SUM(invalid_runs) FROM skill_rollups_all_time") }
        #expect(invalid == 9)
        // By hand: shell's valid rows are 300/40 and 310/42 tokens, and two of unknown tokens
        // (one of them with 500/50, 9 and 9 cache tokens, estimated), which count in runs only.
        let shellTotals = try #require(try db.skillTotals(matching: MetricsFilter(skillId: "shell")).skills.first).totals
        #expect(shellTotals.runs == 4 && shellTotals.tokenRuns == 2)
        #expect(shellTotals.tokensInSum == 610 && shellTotals.tokensOutSum == 82)
        #expect(shellTotals.cacheReadTokensSum == 0 && shellTotals.estimatedRuns == 0)
        // Every value of tokens_known reads: 1 and 'yes' are known, 0 and 0.0 unknown.
        let alphaKnown = try db.metrics(forSkill: "alpha").filter { $0.executionMs == 30 || $0.executionMs == 40 }.map(\.tokensKnown)
        #expect(alphaKnown == [true, true])
        let shellKnown = try db.metrics(forSkill: "shell").filter { $0.executionMs >= 2_000 && $0.executionMs <= 2_500 }.map(\.tokensKnown)
        #expect(shellKnown == [false, false])
        try expectReadsMatchRows(db)
    }

    @Test("the shell's deletes and updates keep the counts and sums; stale extremes are recomputed by reads and repaired by the next write")
    func foreignDeletesAndUpdates() throws {
        let directory = try TemporaryDirectory()
        let (db, path) = try mixedDatabase(directory)
        // The slowest and the fastest run of shell and alpha's first: extremes of their groups.
        try shell(path, "DELETE FROM skill_metrics WHERE skill_id = 'shell' AND execution_ms IN (3000, 1000)")
        try shell(path, "DELETE FROM skill_metrics WHERE id = (SELECT MIN(id) FROM skill_metrics WHERE skill_id = 'alpha')")
        try shell(path, "DELETE FROM skill_metrics WHERE timestamp = 'yesterday' OR skill_id = x'00ff'")
        try shell(
            path,
            """
            UPDATE skill_metrics SET execution_ms = execution_ms + 1000 WHERE skill_id = 'beta' AND version = '1.0';
            UPDATE skill_metrics SET version = '' WHERE skill_id = 'gamma' AND version IS NULL;
            UPDATE skill_metrics SET tokens_in = -3 WHERE id = (SELECT MAX(id) FROM skill_metrics WHERE skill_id = 'gamma');
            UPDATE skill_metrics SET execution_ms = 77 WHERE execution_ms = 'abc';
            UPDATE skill_metrics SET timestamp = timestamp + 7200000 WHERE skill_id = 'alpha' AND version = '';
            UPDATE skill_metrics SET tokens_known = 0 WHERE skill_id = 'alpha' AND execution_ms = 30;
            UPDATE skill_metrics SET tokens_known = NULL WHERE skill_id = 'shell' AND execution_ms = 2000;
            UPDATE skill_metrics SET tokens_known = 0, model = 'model-z' WHERE skill_id = 'alpha' AND execution_ms = 40;
            """)
        let stale = try expectRollupsMatchRows(db.writer)
        #expect(stale > 0, "deleting a group's extremes marks it stale")
        try expectReadsMatchRows(db)

        try db.insert(run("zeta", ms: 1))
        #expect(try staleGroups(db.writer) == 0, "Skill Forge's write repaired the stale groups")
        try expectRollupsMatchRows(db.writer)
        try expectReadsMatchRows(db)
    }

    @Test("reads stay exact with more stale groups than they recompute: they read the rows")
    func manyStaleGroups() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stale.db")
        let db = try ProfilerDB(path: path)
        // 100 hourly groups of two runs; deleting the faster run of each leaves all 100 stale.
        try db.insert(contentsOf: (0..<100).flatMap { index in
            [run("s", ms: 10, at: day20 + Int64(index) * hour), run("s", ms: 20, at: day20 + Int64(index) * hour + 1)]
        })
        try shell(path, "DELETE FROM skill_metrics WHERE execution_ms = 10")
        #expect(try staleGroups(db.writer) > Rollups.staleGroupsPerRead)
        let totals = try #require(try db.skillTotals(matching: MetricsFilter()).skills.first)
        #expect(totals.line == "s|100|0|2000|20|20|1000|500|0|0|0|\(day20 + 1)|\(day20 + 99 * hour + 1)|100")
        let window = try #require(try db.skillTotals(matching: MetricsFilter(window: window(day20 + hour, day20 + 3 * hour))).skills.first)
        #expect(window.line == "s|2|0|40|20|20|20|10|0|0|0|\(day20 + hour + 1)|\(day20 + 2 * hour + 1)|2")
        try expectRollupsMatchRows(db.writer)
    }

    @Test("a file made by the seed's DDL gets its rollups when first opened for writing; read-only, the rows answer")
    func seedMadeFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("seed.db")
        try shell(
            path,
            """
            CREATE TABLE IF NOT EXISTS skill_metrics (
              id INTEGER PRIMARY KEY AUTOINCREMENT, skill_id TEXT NOT NULL, execution_ms INTEGER NOT NULL,
              tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, success BOOLEAN NOT NULL, timestamp INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS idx_skill_id ON skill_metrics(skill_id);
            CREATE INDEX IF NOT EXISTS idx_timestamp ON skill_metrics(timestamp);
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp) VALUES
              ('time-tracker', 120, 300, 40, 1, 1795132800000), ('time-tracker', 480, 310, 42, 0, 1795132860000),
              ('summarise', 2200, 5000, 800, 1, 1795136400000), ('summarise', 'slow', 1, 1, 1, 1795136400000);
            """)
        let reader = try ProfilerDB(path: path, readOnly: true)
        #expect(try reader.writer.read { try Rollups.exist(in: $0) } == false)
        let (counts, invalidRows) = try reader.skillRunCountsCountingInvalidRows()
        #expect(counts == [
            SkillRunCount(skillId: "summarise", runs: 1, lastRun: 1_795_136_400_000),
            SkillRunCount(skillId: "time-tracker", runs: 2, lastRun: 1_795_132_860_000),
        ])
        #expect(invalidRows == 1)
        #expect(try reader.skillTotals(matching: MetricsFilter()).skills.map(\.line) == [
            "summarise|1|0|2200|2200|2200|5000|800|0|0|0|1795136400000|1795136400000|1",
            "time-tracker|2|1|600|120|480|610|82|0|0|0|1795132800000|1795132860000|2",
        ])
        #expect(try reader.averageMetrics(forSkill: "time-tracker")?.avgExecutionMs == 300)
        #expect(try reader.executionTimePercentiles([50], forSkill: "time-tracker") == nil)

        let db = try ProfilerDB(path: path)
        #expect(try db.writer.read { try Rollups.exist(in: $0) })
        #expect(try db.executionTimePercentiles([50], forSkill: "time-tracker") == [300])  // 120 and 480
        try expectRollupsMatchRows(db.writer)
        try expectReadsMatchRows(db)
        try shell(path, "INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp) VALUES ('summarise', 1800, 4000, 700, 0, 1795136500000)")
        try expectRollupsMatchRows(db.writer)
    }

    @Test("a file of an older Skill Forge (schema v3) gets its rollups when opened")
    func olderSkillForgeFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.olderDatabase("v3.db", upTo: "v3-skill-runs-index") { db in
            for index in 0..<30 {
                let metric = variedRun(index)
                try db.execute(
                    sql: """
                        INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version,
                                                   model, tokens_estimated, cache_read_tokens, cache_creation_tokens)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        metric.skillId, metric.executionMs, metric.tokensIn, metric.tokensOut, metric.success,
                        metric.timestamp, metric.version, metric.model, metric.tokensEstimated, metric.cacheReadTokens,
                        metric.cacheCreationTokens,
                    ])
            }
        }
        let db = try ProfilerDB(path: path)
        try expectRollupsMatchRows(db.writer)
        try expectReadsMatchRows(db)
    }

    @Test("the check notices rollups that drift from the rows")
    func checkNoticesDrift() throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(contentsOf: (0..<6).map { variedRun($0) })
        try db.writer.write { db in
            try db.execute(sql: "INSERT INTO skill_rollups_suspended VALUES (1)")
            try db.execute(sql: "UPDATE skill_metrics SET tokens_in = tokens_in + 1 WHERE id = 1")
            try db.execute(sql: "DELETE FROM skill_rollups_suspended")
        }
        withKnownIssue("a row changed behind the triggers' back") {
            try expectRollupsMatchRows(db.writer)
        }
    }
}
