import Foundation
import Testing

/// The hourly groups that a plain GROUP BY of the rows gives, in the shell, as
/// `skill|hour|version|model|runs|failures|ms sum|ms min|ms max|tokens in|tokens out|first|last|invalid`.
/// The rows of this test break the rules in one way only (a text `execution_ms`), so
/// `typeof(execution_ms) = 'integer'` tells valid rows here.
private let expectedHourlyGroups = """
    SELECT skill_id, timestamp / 3600000, ifnull(version, 0), ifnull(model, 0),
           SUM(ok), SUM(ok AND success = 0), SUM(CASE WHEN ok THEN execution_ms ELSE 0 END),
           MIN(CASE WHEN ok THEN execution_ms END), MAX(CASE WHEN ok THEN execution_ms END),
           SUM(CASE WHEN ok THEN tokens_in ELSE 0 END), SUM(CASE WHEN ok THEN tokens_out ELSE 0 END),
           MIN(CASE WHEN ok THEN timestamp END), MAX(CASE WHEN ok THEN timestamp END), SUM(NOT ok)
    FROM (SELECT *, typeof(execution_ms) = 'integer' AS ok FROM skill_metrics)
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    """

private let storedHourlyGroups = """
    SELECT skill_id, hour, version, model, runs, failures, execution_ms_sum, execution_ms_min, execution_ms_max,
           tokens_in_sum, tokens_out_sum, first_run, last_run, invalid_runs
    FROM skill_rollups ORDER BY 1, 2, 3, 4
    """

/// The same per skill, version and model, against the all-time table.
private let expectedAllTimeGroups = """
    SELECT skill_id, ifnull(version, 0), ifnull(model, 0), SUM(ok), SUM(ok AND success = 0),
           SUM(CASE WHEN ok THEN execution_ms ELSE 0 END), MIN(CASE WHEN ok THEN execution_ms END),
           MAX(CASE WHEN ok THEN execution_ms END), MIN(CASE WHEN ok THEN timestamp END),
           MAX(CASE WHEN ok THEN timestamp END), SUM(NOT ok)
    FROM (SELECT *, typeof(execution_ms) = 'integer' AS ok FROM skill_metrics)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    """

private let storedAllTimeGroups = """
    SELECT skill_id, version, model, runs, failures, execution_ms_sum, execution_ms_min, execution_ms_max,
           first_run, last_run, invalid_runs
    FROM skill_rollups_all_time ORDER BY 1, 2, 3
    """

/// The execution-time counts a GROUP BY gives, against the stored ones.
private let expectedExecutionTimes = """
    SELECT skill_id, execution_ms, quote(version), quote(model), COUNT(*) FROM skill_metrics
    WHERE typeof(execution_ms) = 'integer'
    GROUP BY 1, 2, version, model ORDER BY 1, 2, 3, 4
    """

/// The counts hold the integer 0 for a run without a version or model: NULL in the rows.
private let storedExecutionTimes = """
    SELECT skill_id, execution_ms, quote(nullif(version, 0)), quote(nullif(model, 0)), runs
    FROM skill_execution_time_counts ORDER BY 1, 2, 3, 4
    """

@Suite("Rollups with many processes writing at once")
struct RollupProcessesTests {
    @Test("records, imports and shell inserts from six processes at once, then deletes and a prune: the rollups equal a GROUP BY of the rows")
    func concurrentWriters() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("rollups.db")
        // Two imports that share 200 runs (skipped by the second to store them, by run id), over 12 hours.
        for file in 0..<2 {
            let lines = (file * 400..<file * 400 + 600).map { index in
                jsonl("import-\(index % 3)", ms: 10 + index % 97, tokensIn: index % 13, hourOffset: index % 12)
            }
            try write(lines.joined(), to: directory.path("runs-\(file).jsonl"))
        }
        let recordLoop = """
            i=0
            while [ $i -lt 60 ]; do
              "$SKILL_FORGE" record --db "$DB" --skill "record-$WRITER" --ms $((i * 7 % 50)) --tokens-in $i --tokens-out 1 \
                --timestamp $((1795132800000 + i * 600000)) --version "v$((i % 2))" > /dev/null || exit 1
              i=$((i + 1))
            done
            """
        // Another tool: 60 inserts, one of them with a text execution_ms, through the triggers.
        let shellLoop = """
            i=0
            while [ $i -lt 60 ]; do
              ms=$i; [ $i -eq 30 ] && ms="'slow'"
              "$SQLITE3" -cmd ".timeout 30000" "$DB" "INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, model) VALUES ('shell', $ms, 1, 2, $((i % 4 != 0)), $((1795132800000 + i * 900000)), 'm')" || exit 1
              i=$((i + 1))
            done
            """
        let shellPath = try #require(sqlite3Path)
        // The database exists before the shell writes to it.
        #expect(try await skillForge("record", "--db", db, "--skill", "first", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1").status == 0)
        let files = (0..<2).map { directory.path("runs-\($0).jsonl") }
        let environment = ["SKILL_FORGE": skillForgeBinary, "SQLITE3": shellPath, "DB": db]
        try await withThrowingTaskGroup(of: ProcessResult.self) { group in
            for writer in 0..<3 {
                group.addTask {
                    try await runProcess("/bin/sh", ["-c", recordLoop], environment: environment.merging(["WRITER": "\(writer)"]) { $1 })
                }
            }
            for file in files {
                group.addTask { try await skillForge("import", "--db", db, "--batch-size", "50", file) }
            }
            group.addTask { try await runProcess("/bin/sh", ["-c", shellLoop], environment: environment) }
            for try await result in group {
                #expect(result.status == 0, "\(result.stderr)")
            }
        }
        #expect(try await sqlite3(db, "SELECT COUNT(*) FROM skill_metrics").stdout == "\(1 + 180 + 1_000 + 60)\n")
        #expect(try await sqlite3(db, "SELECT COUNT(*) FROM skill_rollups WHERE stale").stdout == "0\n")
        try await expectRollupsEqualGroupBy(db)

        // The shell deletes the fastest run of a few groups: stale groups, which reads recompute.
        let deleted = try await sqlite3(
            db,
            """
            DELETE FROM skill_metrics WHERE id IN (
              SELECT MIN(id) FROM skill_metrics WHERE skill_id LIKE 'record-%' GROUP BY skill_id);
            SELECT changes();
            """)
        #expect(deleted.stdout == "3\n")
        let skills = try parseCSV(try await skillForge("skills", "--db", db, "--format", "csv").stdout)
        let counts = try await sqlite3(
            db,
            """
            SELECT skill_id || ',' || COUNT(*) || ',' || SUM(success = 0) || ',' || MIN(timestamp) || ',' || MAX(timestamp)
            FROM skill_metrics WHERE typeof(execution_ms) = 'integer' GROUP BY skill_id ORDER BY skill_id
            """)
        let listed = skills.map { row in
            ["skill_id", "runs", "failures", "first_run", "last_run"].map { key in
                key == "failures"
                    ? (Double(row["runs"] ?? "").flatMap { runs in Double(row["failure_rate"] ?? "").map { "\(Int(($0 * runs).rounded()))" } } ?? "")
                    : row[key] ?? ""
            }.joined(separator: ",")
        }
        #expect(listed.map { $0 + "\n" }.joined() == counts.stdout)

        #expect(try await sqlite3(db, "SELECT COUNT(*) > 0 FROM skill_rollups WHERE stale").stdout == "1\n")

        // Skill Forge deletes a run, a skill, and prunes to a time inside hour 5; each repairs stale groups.
        #expect(try await skillForge("delete", "--db", db, "--id", "1").status == 0)
        #expect(try await skillForge("delete", "--db", db, "--skill", "import-1", "--yes").status == 0)
        let prune = try await skillForge("prune", "--db", db, "--before", "\(1_795_132_800_000 + 5 * 3_600_000 + 1_800_000)", "--yes")
        #expect(prune.status == 0, "\(prune.stderr)")
        #expect(try await sqlite3(db, "SELECT COUNT(*) FROM skill_rollups WHERE stale").stdout == "0\n")
        try await expectRollupsEqualGroupBy(db)
    }

    private func expectRollupsEqualGroupBy(_ db: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let pairs = [
            (expectedHourlyGroups, storedHourlyGroups), (expectedAllTimeGroups, storedAllTimeGroups),
            (expectedExecutionTimes, storedExecutionTimes),
        ]
        for (expected, stored) in pairs {
            let want = try await sqlite3(db, expected)
            let have = try await sqlite3(db, stored)
            #expect(want.status == 0 && have.status == 0, "\(want.stderr)\(have.stderr)", sourceLocation: sourceLocation)
            #expect(!want.stdout.isEmpty, sourceLocation: sourceLocation)
            #expect(have.stdout == want.stdout, sourceLocation: sourceLocation)
        }
    }
}
