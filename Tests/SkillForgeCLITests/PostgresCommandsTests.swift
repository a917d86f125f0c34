import Foundation
import SkillForgeTestSupport
import Testing

/// 2026-11-20T00:00:00Z in Unix milliseconds.
private let postgresDay: Int64 = 1_795_132_800_000

/// Runs of three skills, two versions and two models over three days, with failures,
/// unknown tokens, stated and missing costs and ties: what every analysis reads.
private func history() -> String {
    var lines: [String] = []
    for index in 0..<90 {
        let skill = ["alpha", "beta", "gamma"][index % 3]
        let version = index % 2 == 0 ? "1.0" : "2.0"
        let ms = 100 + (index * 37) % 400 + (version == "2.0" ? 25 : 0)
        let tokens = index % 11 == 0 ? #","tokens_known":false"# : #","tokens_in":\#(200 + index * 3),"tokens_out":\#(40 + index % 17)"#
        let cost = index % 4 == 0 ? "" : #","cost_usd":\#(Double(index % 9) / 1000)"#
        let failure = index % 7 == 0 ? #","success":false,"error":"timeout""# : #","success":true"#
        let timestamp = postgresDay + Int64(index) * 2_900_000
        lines.append(
            #"{"skill_id":"\#(skill)","execution_ms":\#(ms)\#(tokens)\#(failure),"timestamp":\#(timestamp),"#
                + #""version":"\#(version)","model":"\#(index % 5 == 0 ? "claude-haiku-4-5" : "claude-sonnet-4-5")"\#(cost)}"#)
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite("Commands on a PostgreSQL database (--db postgres://…)", .enabled(if: TestPostgres.isEnabled, Comment(rawValue: TestPostgres.skipNotice)))
struct PostgresCommandsTests {
    /// The test server's URL for a new schema, with a password the server (trust
    /// authentication) ignores: it must never show.
    private func postgresURL() throws -> String {
        try TestPostgres.urlWithNewSchema().replacingOccurrences(of: "://postgres@", with: "://postgres:hunter2secret@")
    }

    @Test("the same file imported into SQLite and into PostgreSQL: every analysis prints the same")
    func sameOutput() async throws {
        let directory = try TemporaryDirectory()
        let jsonl = directory.path("history.jsonl")
        try history().write(toFile: jsonl, atomically: true, encoding: .utf8)
        let file = directory.path("skill-forge.db")
        let url = try postgresURL()
        #expect(url.contains("hunter2secret"))
        for database in [file, url] {
            let imported = try await skillForge("import", "--db", database, jsonl)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(!imported.stdout.contains("hunter2secret") && !imported.stderr.contains("hunter2secret"))
        }
        let commands: [[String]] = [
            ["stats"], ["stats", "--format", "json"], ["stats", "alpha", "--format", "json"],
            ["stats", "--since", "2026-11-21", "--version", "2.0"], ["skills"], ["skills", "beta", "--format", "json"],
            ["trend", "alpha", "--bucket", "hour", "--format", "csv"], ["trend", "gamma", "--bucket", "day", "--tz", "America/New_York"],
            ["compare", "alpha", "--baseline", "1.0", "--candidate", "2.0", "--format", "json"],
            ["candidates", "--last", "3650d", "--all", "--format", "json"], ["metrics", "beta", "--limit", "7", "--newest-first"],
            ["export", "--format", "csv"],
        ]
        for command in commands {
            let fromFile = try await runProcess(skillForgeBinary, command + ["--db", file])
            let fromPostgres = try await runProcess(skillForgeBinary, command + ["--db", url])
            #expect(fromFile.status == 0 && fromPostgres.status == 0, "\(command): \(fromFile.stderr) \(fromPostgres.stderr)")
            #expect(fromPostgres.stdout == fromFile.stdout && fromFile.stdout.count > 40, "\(command)")
        }
        // SKILL_FORGE_DB names the database as --db does.
        let fromEnvironment = try await skillForge("stats", environment: ["SKILL_FORGE_DB": url])
        #expect(fromEnvironment.stdout == (try await skillForge("stats", "--db", file)).stdout)
    }

    @Test("migrate copies a file into PostgreSQL and back, once, and names the URL without its password")
    func migrateBothWays() async throws {
        let directory = try TemporaryDirectory()
        let jsonl = directory.path("history.jsonl")
        try history().write(toFile: jsonl, atomically: true, encoding: .utf8)
        let file = directory.path("source.db")
        #expect(try await skillForge("import", "--db", file, jsonl).status == 0)
        let url = try postgresURL()
        let shown = url.replacingOccurrences(of: ":hunter2secret", with: "")

        let there = try await skillForge("migrate", "--from", file, "--to", url, "--batch-size", "20")
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.hasPrefix("copied 90 of 90 runs (0 already stored) from \(file) to \(shown) in "))
        let again = try await skillForge("migrate", "--from", file, "--to", url)
        #expect(again.stdout.hasPrefix("copied 0 of 90 runs (90 already stored) from "))
        let back = directory.path("back.db")
        let returned = try await skillForge("migrate", "--from", url, "--to", back)
        #expect(returned.stdout.hasPrefix("copied 90 of 90 runs (0 already stored) from \(shown) to \(back) in "))
        for result in [there, again, returned] {
            #expect(!result.stdout.contains("hunter2secret") && !result.stderr.contains("hunter2secret"))
        }
        let original = try await skillForge("export", "--format", "jsonl", "--db", file)
        let roundTrip = try await skillForge("export", "--format", "jsonl", "--db", back)
        #expect(roundTrip.stdout == original.stdout && original.stdout.split(separator: "\n").count == 90)

        let same = try await skillForge("migrate", "--from", url, "--to", url.replacingOccurrences(of: "hunter2secret", with: "other"))
        #expect(same.status != 0 && same.stderr.contains("--from and --to both name \(shown)") && !same.stderr.contains("other"))
    }

    @Test("what only an SQLite file has is refused on PostgreSQL, naming what to use; nothing is written")
    func sqliteOnly() async throws {
        let url = try postgresURL()
        let directory = try TemporaryDirectory()
        for (command, advice) in [
            (["backup", directory.path("copy.db")], "use PostgreSQL's own tools (pg_dump, VACUUM) on it"),
            (["vacuum"], "use PostgreSQL's own tools"), (["reprice"], "runs are priced as they are recorded or imported (--pricing)"),
        ] {
            let result = try await runProcess(skillForgeBinary, command + ["--db", url])
            #expect(result.status != 0)
            #expect(result.stderr.contains("\(command[0]) works on SQLite files, and postgres://postgres@"), "\(result.stderr)")
            #expect(result.stderr.contains(advice) && !result.stderr.contains("hunter2secret"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("copy.db")))
    }

    @Test("a server that cannot be reached: the reason, the URL without its password, a non-zero exit")
    func unreachable() async throws {
        let result = try await skillForge(
            "record", "--skill", "alpha", "--ms", "5", "--db", "postgres://forge:hunter2secret@127.0.0.1:9/metrics?sslmode=disable&connect_timeout=60")
        #expect(result.status != 0)
        #expect(result.stderr.contains("postgres://forge@127.0.0.1:9/metrics"), "\(result.stderr)")
        #expect(result.stderr.contains("cannot reach 127.0.0.1:9: connection refused") && !result.stderr.contains("hunter2secret"))
    }
}
