import Foundation
import Testing

/// Runs recorded without token options, whose tokens are unknown, through the CLI.
///
/// Skill "lint": 40 and 60 ms of unknown tokens, and 100 ms with 90 + 10 tokens → by hand: 3 runs, mean 66.7 ms
/// ((40 + 60 + 100) / 3), tokens known for 1 of 3 runs, 100 tokens a run over that one (not 33.3 over 3).
/// Skill "probe": one run of 5 ms of unknown tokens → tokens n/a.
private func makeDatabase(in directory: TemporaryDirectory) async throws -> String {
    let db = directory.path("unknown.db")
    let records: [[String]] = [
        ["--skill", "lint", "--ms", "40", "--timestamp", "2026-11-20T10:00:00Z"],
        ["--skill", "lint", "--ms", "60", "--timestamp", "2026-11-20T11:00:00Z"],
        ["--skill", "lint", "--ms", "100", "--tokens-in", "90", "--tokens-out", "10", "--timestamp", "2026-11-20T12:00:00Z"],
        ["--skill", "probe", "--ms", "5", "--timestamp", "2026-11-20T12:30:00Z"],
    ]
    for record in records {
        let result = try await skillForgeCommand(["record", "--db", db] + record)
        #expect(result.status == 0, "\(result.stderr)")
    }
    return db
}

private func skillForgeCommand(_ arguments: [String]) async throws -> ProcessResult {
    try await runProcess(skillForgeBinary, arguments)
}

@Suite("Unknown tokens on the command line")
struct UnknownTokensCommandsTests {
    @Test("record without --tokens-in and --tokens-out stores tokens_known 0 (the sqlite3 shell reads it); one of them alone is refused")
    func record() async throws {
        let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is the independent reader")
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let shown = try await runProcess(
            sqlite3, [db, "SELECT skill_id, tokens_in, tokens_out, quote(tokens_known) FROM skill_metrics ORDER BY id"])
        #expect(shown.stdout == "lint|0|0|0\nlint|0|0|0\nlint|90|10|NULL\nprobe|0|0|0\n")
        let half = try await skillForgeCommand(["record", "--db", db, "--skill", "x", "--ms", "1", "--tokens-in", "5"])
        #expect(half.status == 64)
        #expect(half.stderr.contains("give both --tokens-in and --tokens-out, or neither"))
        let estimated = try await skillForgeCommand(["record", "--db", db, "--skill", "x", "--ms", "1", "--estimated"])
        #expect(estimated.status == 64)
    }

    @Test("stats shows n/a and how many runs' tokens are known, in the table, CSV and JSON, from the rollups and the runs",
          arguments: [[], ["--since", "2026-11-20T00:00:00Z"]])
    func stats(options: [String]) async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let table = try await skillForgeCommand(["stats", "--db", db] + options)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        // The cost columns follow (no run names a model, so no cost is known: n/a, 0 of N).
        #expect(lines.first?.hasSuffix("tokens/run  tokens known  cost/run  cost  cost known") == true, "\(table.stdout)")
        #expect(lines.count == 3)
        // Right-aligned under "tokens/run" (10 wide) and "tokens known" (12 wide), two spaces apart.
        #expect(lines[1].hasPrefix("lint ") && lines[1].hasSuffix("  66.7 ms         100        1 of 3       n/a   n/a      0 of 3"), "\(lines[1])")
        #expect(lines[2].hasPrefix("probe ") && lines[2].hasSuffix("  5.00 ms         n/a        0 of 1       n/a   n/a      0 of 1"), "\(lines[2])")
        #expect(table.stderr.contains("note: tokens known for 1 of 4 runs"))

        let csv = try parseCSV(try await skillForgeCommand(["stats", "--db", db, "--format", "csv"] + options).stdout)
        #expect(csv.map { $0["token_runs"] } == ["1", "0"])
        #expect(csv.map { $0["tokens_total_mean"] } == ["100.0", ""])
        #expect(csv.map { $0["tokens_total_sum"] } == ["100", ""])

        let json = try await skillForgeCommand(["stats", "--db", db, "--format", "json"] + options)
        let summaries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(summaries.map { $0["tokenRuns"] as? Int } == [1, 0])
        #expect(summaries[1]["tokens"] is NSNull)
        let tokens = try #require(summaries[0]["tokens"] as? [String: Any])
        #expect((tokens["total"] as? [String: Any])?["mean"] as? Double == 100)
    }

    @Test("compare shows n/a for a side without known tokens and does not test them")
    func compare() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("compare.db")
        // Version 1.0: 100, 200, 300 tokens (mean 200); version 2.0: the same times, tokens unknown.
        for index in 1...3 {
            let known = try await skillForgeCommand(
                ["record", "--db", db, "--skill", "c", "--ms", "\(index * 10)", "--tokens-in", "\(index * 100)", "--tokens-out", "0",
                 "--version", "1.0"])
            #expect(known.status == 0, "\(known.stderr)")
            let unknown = try await skillForgeCommand(["record", "--db", db, "--skill", "c", "--ms", "\(index * 10)", "--version", "2.0"])
            #expect(unknown.status == 0, "\(unknown.stderr)")
        }
        let table = try await skillForgeCommand(["compare", "c", "--db", db, "--baseline", "1.0", "--candidate", "2.0"])
        let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("tokens mean") })
        #expect(row == "tokens mean        200        n/a            not compared: known for 3 and 0 runs")
        let csv = try parseCSV(try await skillForgeCommand(
            ["compare", "c", "--db", db, "--baseline", "1.0", "--candidate", "2.0", "--format", "csv"]).stdout)
        let tokens = try #require(csv.first { $0["measure"] == "tokens_mean" })
        #expect(tokens["baseline"] == "200.0" && tokens["candidate"] == "" && tokens["p_value"] == "")
    }

    @Test("skills, metrics and trend show n/a for unknown tokens")
    func otherCommands() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let skills = try await skillForgeCommand(["skills", "--db", db])
        let probe = try #require(skills.stdout.split(separator: "\n").first { $0.hasPrefix("probe") })
        #expect(probe.contains(" n/a "))
        #expect(skills.stderr.contains("note: tokens known for 1 of 4 runs"))
        let metrics = try await skillForgeCommand(["metrics", "probe", "--db", db])
        #expect(metrics.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.contains("n/a") }, "\(metrics.stdout)")
        let trend = try await skillForgeCommand(
            ["trend", "probe", "--db", db, "--bucket", "day", "--since", "2026-11-20T00:00:00Z", "--until", "2026-11-21T00:00:00Z"])
        #expect(trend.stdout.split(separator: "\n").dropFirst().first?.hasSuffix("n/a") == true, "\(trend.stdout)")
    }
}
