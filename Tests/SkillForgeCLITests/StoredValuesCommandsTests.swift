import Foundation
import Testing

/// Runs SQL with the sqlite3 shell, as a user editing the file by hand would.
@discardableResult
private func sqlite3Output(_ db: String, _ sql: String) async throws -> String {
    let shell = try #require(sqlite3Path, "these tests write rows with the sqlite3 shell")
    let result = try await runProcess(shell, [db, sql])
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout
}

/// Runs `skill-forge` with an argument array.
private func skillForge(_ arguments: [String]) async throws -> ProcessResult {
    try await runProcess(skillForgeBinary, arguments)
}

private func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// Rows no write path of Skill Forge accepts, inserted with sqlite3, all of skill "s", version "1", started a
/// minute ago: a negative time, Int64.max tokens, text 'abc' and '12x', REAL 1.5, a blob, a `success` of
/// 'yes', 31 days in milliseconds, 10¹² + 1 cache tokens; and one started in 1970, outside every window
/// but `.all`. Ten rows.
private let invalidRowsSQL = """
    INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, cache_read_tokens)
    SELECT 's', ms, tin, 1, ok, CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 60000 + at, '1', cache FROM (
      SELECT -5 AS ms, 1 AS tin, 1 AS ok, 0 AS at, NULL AS cache
      UNION ALL SELECT 7, 9223372036854775807, 1, 0, NULL
      UNION ALL SELECT 'abc', 1, 1, 0, NULL
      UNION ALL SELECT '12x', 1, 1, 0, NULL
      UNION ALL SELECT 1.5, 1, 1, 0, NULL
      UNION ALL SELECT X'0102', 1, 1, 0, NULL
      UNION ALL SELECT 7, 1, 1, -CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 65000, NULL
      UNION ALL SELECT 7, 1, 'yes', 0, NULL
      UNION ALL SELECT 2678400000, 1, 1, 0, NULL
      UNION ALL SELECT 7, 1, 1, 0, 1000000000001
    );
    """

@Suite("stored values: bounds on what is recorded, and rows that break the rules")
struct StoredValuesCommandsTests {
    @Test("record refuses execution times past 30 days (hinting at µs/ns) and token counts past 10^12")
    func recordBounds() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("bounds.db")
        let base = ["record", "--db", db, "--skill", "s", "--tokens-out", "0"]
        let tooLong = try await skillForge(base + ["--ms", "2592000001", "--tokens-in", "0"])
        #expect(tooLong.status == 1)
        #expect(tooLong.stderr.hasPrefix("Error: invalid execution_ms 2592000001: must be at most 2592000000 (30 days)"))
        #expect(tooLong.stderr.contains("microseconds") && tooLong.stderr.contains("nanoseconds"))
        let tooMany = try await skillForge(base + ["--ms", "0", "--tokens-in", "9223372036854775807"])
        #expect(tooMany.status == 1)
        #expect(tooMany.stderr == "Error: invalid tokens_in 9223372036854775807: must be at most 10^12 (1,000,000,000,000)\n")
        // The largest accepted values are stored, and every command shows them.
        for version in ["1", "2"] {
            let largest = try await skillForge(base + ["--ms", "2592000000", "--tokens-in", "1000000000000", "--version", version])
            #expect(largest.status == 0, "\(largest.stderr)")
        }
        #expect(try await sqlite3Output(db, "SELECT COUNT(*) FROM skill_metrics") == "2\n")
        let table = try await skillForge(["stats", "--db", db])
        #expect(table.status == 0, "\(table.stderr)")
        // 2,592,000,000 ms = 43,200 min; 10^12 tokens with separators.
        #expect(table.stdout.contains("43200 min 0 s") && table.stdout.contains("1,000,000,000,000"))
        let compare = try await skillForge(["compare", "s", "--db", db, "--baseline", "1", "--candidate", "2"])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains("1,000,000,000,000"))
        let trend = try await skillForge(["trend", "s", "--db", db, "--last", "2d"])
        #expect(trend.status == 0, "\(trend.stderr)")
    }

    @Test("import refuses an execution time in microseconds with file:line and the hint")
    func importBounds() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("runs.jsonl")
        try """
            {"skillId":"s","executionMs":840,"tokensIn":1,"tokensOut":1,"success":true,"timestamp":1795132800000}
            {"skillId":"s","executionMs":840000000000,"tokensIn":1,"tokensOut":1,"success":true,"timestamp":1795132800000}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let db = directory.path("import.db")
        let result = try await skillForge(["import", "--db", db, file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("runs.jsonl:2: invalid execution_ms 840000000000: must be at most 2592000000"))
        #expect(result.stderr.contains("microseconds"))
    }

    /// Three valid runs of "s" (100 and 200 ms in version 1, 300 ms in version 2, 15 tokens each), plus
    /// the ten invalid rows. By hand over the valid runs: runs 3, mean 200, p50 200, p95 h = 1.9 → 290.
    private func makeDatabase(in directory: TemporaryDirectory) async throws -> String {
        let db = directory.path("broken.db")
        for (ms, version) in [("100", "1"), ("200", "1"), ("300", "2")] {
            let result = try await skillForge([
                "record", "--db", db, "--skill", "s", "--ms", ms, "--tokens-in", "10", "--tokens-out", "5",
                "--version", version,
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        try await sqlite3Output(db, invalidRowsSQL)
        #expect(try await sqlite3Output(db, "SELECT COUNT(*) FROM skill_metrics") == "13\n")
        return db
    }

    /// The warning of a command that skipped `count` rows.
    private static func skipped(_ count: Int) -> String {
        "warning: skipped \(count) stored rows that break the rules of the database"
    }

    @Test("stats skips the invalid rows, says how many, and agrees with the hand-computed summary")
    func statsSkipsInvalidRows() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        for format in ["table", "csv", "json"] {
            let result = try await skillForge(["stats", "--db", db, "--format", format])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stderr.hasPrefix(Self.skipped(10)), "\(format): \(result.stderr)")
        }
        let result = try await skillForge(["stats", "s", "--db", db, "--format", "json"])
        let summary = try #require((try json(result.stdout) as? [[String: Any]])?.first)
        #expect(summary["runs"] as? Int == 3)
        let ms = try #require(summary["executionMs"] as? [String: Any])
        #expect(ms["mean"] as? Double == 200 && ms["p50"] as? Double == 200 && ms["p95"] as? Double == 290)
        #expect(ms["min"] as? Int == 100 && ms["max"] as? Int == 300)
    }

    @Test("trend, compare, candidates, skills and metrics skip the same rows, warn, and agree")
    func otherCommandsSkipInvalidRows() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)

        let trend = try await skillForge(["trend", "s", "--db", db, "--last", "2d", "--format", "json"])
        #expect(trend.status == 0, "\(trend.stderr)")
        #expect(trend.stderr.hasPrefix(Self.skipped(9)), "\(trend.stderr)")
        let buckets = try #require(try json(trend.stdout) as? [[String: Any]])
        #expect(buckets.compactMap { $0["runs"] as? Int }.reduce(0, +) == 3)
        #expect(try await skillForge(["trend", "s", "--db", db, "--last", "2d"]).status == 0)

        for format in ["table", "csv", "json"] {
            let compare = try await skillForge(["compare", "s", "--db", db, "--baseline", "1", "--candidate", "2", "--format", format])
            #expect(compare.status == 0, "\(format): \(compare.stderr)")
            #expect(compare.stderr.hasPrefix(Self.skipped(10)), "\(compare.stderr)")
        }
        let compare = try await skillForge(["compare", "s", "--db", db, "--baseline", "1", "--candidate", "2", "--format", "json"])
        let comparison = try #require(try json(compare.stdout) as? [String: Any])
        #expect((comparison["baseline"] as? [String: Any])?["runs"] as? Int == 2)
        #expect((comparison["candidate"] as? [String: Any])?["runs"] as? Int == 1)

        let candidates = try await skillForge(["candidates", "--db", db, "--all", "--min-runs", "1", "--format", "json"])
        #expect(candidates.status == 0, "\(candidates.stderr)")
        // The last 7 days and the 7 before: the row of 1970 is outside.
        #expect(candidates.stderr.hasPrefix(Self.skipped(9)), "\(candidates.stderr)")
        let judged = try #require((try json(candidates.stdout) as? [[String: Any]])?.first)
        #expect((judged["summary"] as? [String: Any])?["runs"] as? Int == 3)

        let skills = try await skillForge(["skills", "--db", db, "--format", "csv"])
        #expect(skills.status == 0 && skills.stderr.hasPrefix(Self.skipped(10)))
        #expect(try parseCSV(skills.stdout).first?["runs"] == "3")

        let metrics = try await skillForge(["metrics", "s", "--db", db, "--format", "json"])
        #expect(metrics.status == 0 && metrics.stderr.hasPrefix(Self.skipped(10)))
        #expect((try json(metrics.stdout) as? [[String: Any]])?.compactMap { $0["executionMs"] as? Int } == [100, 200, 300])
        #expect(try await skillForge(["metrics", "s", "--db", db]).status == 0)
    }

    @Test("export leaves the invalid rows out with a warning counting them, and import accepts every file")
    func exportSkipsInvalidRows() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        // A row whose numbers are valid but whose metadata import refuses.
        try await sqlite3Output(
            db,
            "INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, metadata) "
                + "VALUES ('s', 5, 1, 1, 1, 1795132800000, 'not json')")
        for format in ["jsonl", "csv", "otlp"] {
            let file = directory.path("export.\(format)")
            let export = try await skillForge(["export", "--db", db, "--format", format, "--output", file])
            #expect(export.status == 0, "\(export.stderr)")
            #expect(export.stderr.contains("wrote 3 runs to \(file)"))
            #expect(export.stderr.contains("warning: left out 11 stored rows that break the rules of the database"))
            let copy = directory.path("copy-\(format).db")
            let imported = try await skillForge(["import", "--db", copy, file])
            #expect(imported.status == 0, "\(format): \(imported.stderr)")
            #expect(try await sqlite3Output(copy, "SELECT group_concat(execution_ms) FROM skill_metrics") == "100,200,300\n")
        }
    }
}
