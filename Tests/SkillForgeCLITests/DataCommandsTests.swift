import Foundation
import Testing

/// A database with hand-chosen runs, recorded through the CLI.
///
/// Skill "alpha": 100 ms (15 tokens), 200 ms (30 tokens, failed), 600 ms (45 tokens)
///   → by hand: avg 300 ms, avg 30 tokens, 3 runs, failure rate 1/3.
/// Skill "beta, the second": one run of 50 ms with 7 tokens, failed with an error holding a comma and quotes.
private func makeDatabase(in directory: TemporaryDirectory) async throws -> String {
    let db = directory.path("data.db")
    let records: [[String]] = [
        ["--skill", "alpha", "--ms", "100", "--tokens-in", "10", "--tokens-out", "5", "--timestamp", "2026-11-20T10:00:00Z"],
        ["--skill", "alpha", "--ms", "200", "--tokens-in", "20", "--tokens-out", "10", "--failed", "--timestamp", "2026-11-20T11:00:00Z"],
        ["--skill", "alpha", "--ms", "600", "--tokens-in", "30", "--tokens-out", "15", "--timestamp", "2026-11-21T09:00:00Z", "--version", "2"],
        ["--skill", "beta, the second", "--ms", "50", "--tokens-in", "3", "--tokens-out", "4",
         "--error", #"said "no", then left"#, "--timestamp", "1795132800000"],
    ]
    for record in records {
        let result = try await runProcess(skillForgeBinary, ["record", "--db", db] + record)
        #expect(result.status == 0, "\(result.stderr)")
    }
    return db
}

@Suite("skills, stats, metrics, delete, prune")
struct DataCommandsTests {
    @Test("record prints the new id; SKILL_FORGE_DB replaces --db")
    func recordAndEnvironment() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("env.db")
        let first = try await skillForge("record", "--skill", "s", "--ms", "1", "--tokens-in", "0", "--tokens-out", "0",
                                   environment: ["SKILL_FORGE_DB": db], in: directory.url)
        #expect(first.stdout == "1\n")
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(!FileManager.default.fileExists(atPath: directory.path("skill-forge.db")))
        let second = try await skillForge("record", "--db", db, "--skill", "s", "--ms", "2", "--tokens-in", "0", "--tokens-out", "0")
        #expect(second.stdout == "2\n")
    }

    @Test("record --cost stores dollars in cost_usd (the sqlite3 shell reads them); without it, NULL; a negative cost is refused")
    func recordCost() async throws {
        let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is the independent reader")
        let directory = try TemporaryDirectory()
        let db = directory.path("cost.db")
        let base = ["record", "--db", db, "--skill", "s", "--ms", "1", "--tokens-in", "0", "--tokens-out", "0"]
        #expect(try await runProcess(skillForgeBinary, base + ["--cost", "0.0125"]).stdout == "1\n")
        #expect(try await runProcess(skillForgeBinary, base).stdout == "2\n")
        let refused = try await runProcess(skillForgeBinary, base + ["--cost", "-1"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("must be zero or more"))
        let shown = try await runProcess(sqlite3, [db, "SELECT id, quote(cost_usd) FROM skill_metrics ORDER BY id"])
        #expect(shown.stdout == "1|0.0125\n2|NULL\n")
    }

    /// By hand, alpha's times 100, 200, 600 ms (numpy's linear percentiles, h = (n − 1) · p / 100):
    /// mean 300; p50 200; p90: h = 1.8 → 200 + 0.8 · 400 = 520; p95: h = 1.9 → 560; p99: h = 1.98 → 592;
    /// sample σ = √((200² + 100² + 300²) / 2) = √70,000 = 264.575…; tokens 15, 30, 45 → mean 30, sum 90,
    /// p95: h = 1.9 → 30 + 0.9 · 15 = 43.5; 1 failure of 3.
    /// Without options the rollups answer; with a window, a pass over the runs; token
    /// percentiles only with --tokens-p95.
    @Test(
        "stats as JSON has the hand-computed summary, with numbers as numbers, from the rollups or the runs",
        arguments: [[], ["--tokens-p95"], ["--since", "2026-11-01"], ["--since", "2026-11-01", "--tokens-p95"]])
    func statsJSON(options: [String]) async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let result = try await runProcess(skillForgeBinary, ["stats", "alpha", "--db", db, "--format", "json"] + options)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        try #require(rows.count == 1)
        #expect(rows[0]["skillId"] as? String == "alpha")
        #expect(rows[0]["runs"] as? Int == 3)
        #expect(rows[0]["failures"] as? Int == 1)
        #expect(abs((rows[0]["failureRate"] as? Double ?? 0) - 1.0 / 3.0) < 1e-12)
        let time = try #require(rows[0]["executionMs"] as? [String: Any])
        #expect(time["mean"] as? Double == 300)
        #expect(time["p50"] as? Double == 200)
        #expect(abs((time["p90"] as? Double ?? 0) - 520) < 1e-9)
        #expect(abs((time["p95"] as? Double ?? 0) - 560) < 1e-9)
        #expect(abs((time["p99"] as? Double ?? 0) - 592) < 1e-9)
        #expect(time["min"] as? Int == 100 && time["max"] as? Int == 600)
        #expect(abs((time["standardDeviation"] as? Double ?? 0) - 70_000.0.squareRoot()) < 1e-9)
        let total = try #require((rows[0]["tokens"] as? [String: Any])?["total"] as? [String: Any])
        #expect(total["mean"] as? Double == 30)
        #expect(total["sum"] as? Int == 90)
        if options.contains("--tokens-p95") {
            #expect(abs((total["p95"] as? Double ?? 0) - 43.5) < 1e-9)
        } else {
            #expect(total["p95"] is NSNull)
        }
        #expect(rows[0]["firstRun"] as? Int64 == 1_795_168_800_000)  // 2026-11-20T10:00:00Z
    }

    @Test("stats of every skill as CSV reads back with a standard CSV parser")
    func statsCSV() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let rows = try parseCSV(try await skillForge("stats", "--db", db, "--format", "csv").stdout)
        #expect(rows.map { $0["skill_id"] } == ["alpha", "beta, the second"])
        #expect(rows.map { $0["runs"] } == ["3", "1"])
        #expect(rows.map { $0["mean_ms"].flatMap(Double.init) } == [300, 50])
        #expect(rows.map { $0["p50_ms"].flatMap(Double.init) } == [200, 50])
        #expect(rows.map { $0["tokens_total_mean"].flatMap(Double.init) } == [30, 7])
        #expect(rows.map { $0["failure_rate"].flatMap(Double.init) } == [1.0 / 3.0, 1])
        // One run has no sample standard deviation: an empty cell, not 0 or NaN.
        #expect(rows.map { $0["stddev_ms"] } == ["264.5751311064591", ""])
    }

    @Test("the stats table is aligned and readable")
    func statsTable() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let plain = try await skillForge("stats", "--db", db).stdout.split(separator: "\n")
        #expect(plain.first?.split(separator: " ", omittingEmptySubsequences: true)
            == ["skill", "runs", "fail", "p50", "p95", "p99", "mean", "tokens/run", "cost/run", "cost", "cost", "known"])
        let lines = try await skillForge("stats", "--db", db, "--tokens-p95").stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true)
            == ["skill", "runs", "fail", "p50", "p95", "p99", "mean", "tokens/run", "tokens", "p95", "cost/run", "cost", "cost", "known"])
        #expect(lines[1].hasPrefix("alpha"))
        #expect(lines[1].contains("200 ms"))  // p50
        #expect(lines[1].contains("560 ms"))  // p95
        #expect(lines[1].contains("300 ms"))  // mean
        #expect(lines[1].contains("33.3%"))
        #expect(lines[2].hasPrefix("beta, the second"))
        #expect(lines[2].contains("100.0%"))
        // Right-aligned numbers end in the same column as their header.
        for line in lines { #expect(line.count == lines[0].count) }
        let header = lines[0]
        let failEnd = header.distance(from: header.startIndex, to: try #require(header.range(of: "fail")).upperBound)
        #expect(lines[1].prefix(failEnd).hasSuffix("33.3%"))
        #expect(lines[2].prefix(failEnd).hasSuffix("100.0%"))
    }

    @Test("skills lists runs, failure rate, mean time and tokens in every format")
    func skills() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let json = try await skillForge("skills", "--db", db, "--format", "json").stdout
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["skillId"] as? String } == ["alpha", "beta, the second"])
        #expect(rows.map { $0["runs"] as? Int } == [3, 1])
        #expect(rows.map { $0["failures"] as? Int } == [1, 1])
        #expect(rows.map { $0["meanExecutionMs"] as? Double } == [300, 50])
        #expect(rows.map { $0["meanTokens"] as? Double } == [30, 7])
        #expect(rows.map { $0["firstRun"] as? Int64 } == [1_795_168_800_000, 1_795_132_800_000])
        #expect(rows.map { $0["lastRun"] as? Int64 } == [1_795_251_600_000, 1_795_132_800_000])
        let table = try await skillForge("skills", "--db", db).stdout.split(separator: "\n").map(String.init)
        #expect(table.first?.split(separator: " ") == ["skill", "runs", "fail", "mean", "tokens/run", "cost/run", "cost", "cost", "known", "first", "run", "(UTC)", "last", "run", "(UTC)"])
        #expect(table.dropFirst().first?.split(separator: " ") == ["alpha", "3", "33.3%", "300", "ms", "30", "n/a", "n/a", "0", "of", "3", "2026-11-20", "10:00:00", "2026-11-21", "09:00:00"])
        let csv = try parseCSV(try await skillForge("skills", "--db", db, "--format", "csv").stdout)
        #expect(csv.map { $0["failure_rate"].flatMap(Double.init) } == [1.0 / 3, 1])
        #expect(csv.map { $0["tokens_mean"] } == ["30.0", "7.0"])
    }

    @Test("metrics filters by time and round-trips commas and quotes through CSV")
    func metrics() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let windowed = try parseCSV(
            try await skillForge("metrics", "alpha", "--db", db, "--since", "2026-11-20T10:30:00Z", "--until", "2026-11-21", "--format", "csv").stdout)
        #expect(windowed.map { $0["execution_ms"] } == ["200"])
        #expect(windowed.first?["success"] == "0")

        let beta = try parseCSV(try await skillForge("metrics", "beta, the second", "--db", db, "--format", "csv").stdout)
        #expect(beta.first?["error"] == #"said "no", then left"#)
        #expect(beta.first?["skill_id"] == "beta, the second")
        #expect(beta.first?["source"] == "cli")

        let newest = try await skillForge("metrics", "alpha", "--db", db, "--newest-first", "--limit", "1", "--format", "json").stdout
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(newest.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["executionMs"] as? Int } == [600])
        #expect(rows.first?["version"] as? String == "2")
    }

    @Test("delete and prune report what they removed")
    func deleteAndPrune() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        #expect(try await skillForge("delete", "--db", db, "--id", "1").stdout == "deleted run 1\n")
        let missing = try await skillForge("delete", "--db", db, "--id", "1")
        #expect(missing.status != 0)
        #expect(missing.stderr == "Error: no metric has id 1\n")
        #expect(try await skillForge("prune", "--db", db, "--before", "2026-11-21", "--dry-run").stdout
            == "would delete 2 runs that started before 2026-11-21 00:00:00 UTC\n")
        #expect(try await skillForge("prune", "--db", db, "--before", "2026-11-21").stdout
            == "deleted 2 runs that started before 2026-11-21 00:00:00 UTC\n")
        #expect(try await skillForge("delete", "--db", db, "--skill", "alpha").stdout == "deleted 1 run of alpha\n")
        #expect(try await skillForge("skills", "--db", db, "--format", "csv").stdout
            == "skill_id,runs,failure_rate,mean_ms,tokens_mean,token_runs,mean_cost_usd,total_cost_usd,cost_runs,first_run,last_run\n")
    }
}

@Suite("Errors on the command line")
struct CommandLineErrorTests {
    @Test("invalid values are refused with one line naming the field, and nothing is stored", arguments: [
        (["--timestamp", "1732000000"], "Error: invalid timestamp 1732000000: looks like Unix seconds; timestamps are Unix milliseconds (multiply by 1000)\n"),
        (["--metadata", "[1]"], "Error: invalid metadata \"[1]\": must be the text of a JSON object\n"),
    ] as [([String], String)])
    func invalidValues(_ change: [String], _ message: String) async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("v.db")
        let arguments = ["record", "--db", db, "--skill", "s", "--ms", "5", "--tokens-in", "1", "--tokens-out", "1"]
        let result = try await runProcess(skillForgeBinary, arguments + change)
        #expect(result.status == 1)
        #expect(result.stderr == message)
        #expect(result.stdout.isEmpty)
        // Nothing is stored: not even an empty database is left behind.
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test("database problems are one clear line and a non-zero exit")
    func databaseProblems() async throws {
        let directory = try TemporaryDirectory()
        let notes = directory.path("notes.txt")
        try "not a database".write(toFile: notes, atomically: true, encoding: .utf8)
        let notADatabase = try await skillForge("stats", "--db", notes)
        #expect(notADatabase.status == 1)
        #expect(notADatabase.stderr == "Error: \(notes) is not a Skill Forge database (it is not an SQLite file)\n")

        let absent = try await skillForge("stats", "--db", directory.path("absent.db"))
        #expect(absent.stderr == "Error: no database at \(directory.path("absent.db")): nothing has been recorded there yet\n")
        #expect(!FileManager.default.fileExists(atPath: directory.path("absent.db")), "reading never creates a database")

        let noDirectory = try await skillForge("record", "--db", directory.path("a/b.db"), "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1")
        #expect(noDirectory.stderr == "Error: cannot create the database \(directory.path("a/b.db")): its directory does not exist\n")
    }

    @Test("every command explains itself with an example", arguments: [
        "profile", "record", "skills", "stats", "metrics", "delete", "prune",
    ])
    func help(_ command: String) async throws {
        let result = try await skillForge(command, "--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("OVERVIEW:"))
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("skill-forge \(command)"))
    }
}
