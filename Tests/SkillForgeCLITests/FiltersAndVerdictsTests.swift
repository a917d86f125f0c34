import Foundation
import SkillForge
import Testing

/// Runs `skill-forge` with an argument array.
private func skillForge(_ arguments: [String]) async throws -> ProcessResult {
    try await runProcess(skillForgeBinary, arguments)
}

private func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// 2026-11-20T00:00:00Z and 2026-11-21T00:00:00Z in Unix milliseconds.
private let day20: Int64 = 1_795_132_800_000
private let day21: Int64 = 1_795_219_200_000

/// Skill "s": version 1.0 twice (day 20, 10 and 20 ms), version 2.0 three times (day 21, 30 ms; one
/// failed), one run without a version (day 21 + 1 h); all on model "m". Skill "other": one run.
private func makeDatabase(in directory: TemporaryDirectory) throws -> String {
    let path = directory.path("filters.db")
    func run(_ skill: String, _ ms: Int64, at timestamp: Int64, _ version: String?, success: Bool = true) -> SkillMetrics {
        SkillMetrics(
            skillId: skill, executionMs: ms, tokensIn: 1, tokensOut: 1, success: success, timestamp: timestamp,
            version: version, model: "m")
    }
    try ProfilerDB(path: path).insert(contentsOf: [
        run("s", 10, at: day20, "1.0"), run("s", 20, at: day20 + 1, "1.0"),
        run("s", 30, at: day21, "2.0"), run("s", 30, at: day21 + 1, "2.0"), run("s", 30, at: day21 + 2, "2.0", success: false),
        run("s", 5, at: day21 + 3_600_000, nil), run("other", 5, at: day20, "1.0"),
    ])
    return path
}

@Suite("filters that match nothing, versions, verdicts")
struct FiltersAndVerdictsTests {
    // MARK: - Which filter matched nothing (issue 8, item 11)

    @Test("stats and trend name the filter that matched nothing, and list the skill's versions")
    func emptyFilterIsNamed() async throws {
        let directory = try TemporaryDirectory()
        let db = try makeDatabase(in: directory)
        let versions = #"its versions: 1.0 (2 runs), 2.0 (3 runs), (none) (1 run)"#

        let version = try await skillForge(["stats", "s", "--db", db, "--version", "7.7"])
        #expect(version.status == 0)
        #expect(version.stderr == "warning: no runs of \"s\" with version \"7.7\"; \(versions)\n")
        let model = try await skillForge(["stats", "s", "--db", db, "--model", "nope"])
        #expect(model.stderr == "warning: no runs of \"s\" on model \"nope\"\n")
        let unknown = try await skillForge(["stats", "nobody", "--db", db, "--version", "1.0"])
        #expect(unknown.stderr == "warning: no runs of \"nobody\" at all\n")
        // Each condition matches on its own, not together: version 1.0 ran on day 20 only.
        let together = try await skillForge(["stats", "s", "--db", db, "--version", "1.0", "--since", "2026-11-21"])
        #expect(together.stderr == "warning: no runs of \"s\" match all of: version \"1.0\", since 2026-11-21 00:00:00 UTC\n")
        let window = try await skillForge(["stats", "s", "--db", db, "--since", "2026-11-22"])
        #expect(window.stderr == "warning: no runs of \"s\" since 2026-11-22 00:00:00 UTC\n")
        // Every skill, one version.
        let everySkill = try await skillForge(["stats", "--db", db, "--version", "7.7"])
        #expect(everySkill.stderr == "warning: no runs with version \"7.7\"\n")

        let trend = try await skillForge(["trend", "s", "--db", db, "--version", "7.7"])
        #expect(trend.status == 0)
        #expect(trend.stderr == "warning: no runs of \"s\" with version \"7.7\"; \(versions)\n")
        let metrics = try await skillForge(["metrics", "s", "--db", db, "--since", "2026-11-22"])
        #expect(metrics.stderr == "warning: no runs of \"s\" since 2026-11-22 00:00:00 UTC\n")
    }

    // MARK: - A comparison side without runs; a skill's versions (item 12)

    @Test("compare with a side that matches no run is an error, exit 3, listing the versions")
    func compareEmptySide() async throws {
        let directory = try TemporaryDirectory()
        let db = try makeDatabase(in: directory)
        let typo = try await skillForge(["compare", "s", "--db", db, "--baseline", "9.9", "--candidate", "8.8", "--exit-code"])
        #expect(typo.status == 3)
        #expect(typo.stdout == "")
        #expect(
            typo.stderr == "Error: no runs of \"s\" match the baseline (version 9.9) or the candidate (version 8.8); "
                + "its versions: 1.0 (2 runs), 2.0 (3 runs), (none) (1 run)\n")
        // Without --exit-code too, and for one side only.
        let oneSide = try await skillForge(["compare", "s", "--db", db, "--baseline", "1.0", "--candidate", "8.8"])
        #expect(oneSide.status == 3)
        #expect(oneSide.stderr.hasPrefix("Error: no runs of \"s\" match the candidate (version 8.8); its versions: 1.0"))
        let model = try await skillForge(["compare", "s", "--db", db, "--baseline", "1.0", "--candidate", "2.0", "--model", "x"])
        #expect(model.status == 3)
        #expect(model.stderr.hasPrefix("Error: no runs of \"s\" on model \"x\" match the baseline (version 1.0) or the candidate"))
        let nobody = try await skillForge(["compare", "nobody", "--db", db, "--baseline", "1.0", "--candidate", "2.0"])
        #expect(nobody.status == 3)
        #expect(nobody.stderr.hasSuffix("; the skill has no runs at all\n"))
        // Sides with runs but too few stay inconclusive: exit 2.
        let tooFew = try await skillForge(["compare", "s", "--db", db, "--baseline", "1.0", "--candidate", "2.0", "--exit-code"])
        #expect(tooFew.status == 2, "\(tooFew.stderr)")
    }

    @Test("skills SKILL lists its versions with runs and first and last run, oldest first")
    func skillVersions() async throws {
        let directory = try TemporaryDirectory()
        let db = try makeDatabase(in: directory)
        let table = try await skillForge(["skills", "s", "--db", db])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(
            table.stdout == """
                version  runs  first run (UTC)      last run (UTC)
                1.0         2  2026-11-20 00:00:00  2026-11-20 00:00:00
                2.0         3  2026-11-21 00:00:00  2026-11-21 00:00:00
                (none)      1  2026-11-21 01:00:00  2026-11-21 01:00:00

                """)
        let rows = try #require(try json(try await skillForge(["skills", "s", "--db", db, "--format", "json"]).stdout) as? [[String: Any]])
        #expect(rows.map { $0["version"] as? String } == ["1.0", "2.0", nil])
        #expect(rows.map { $0["runs"] as? Int } == [2, 3, 1])
        #expect(rows.map { ($0["firstRun"] as? NSNumber)?.int64Value } == [day20, day21, day21 + 3_600_000])
        #expect(rows.map { ($0["lastRun"] as? NSNumber)?.int64Value } == [day20 + 1, day21 + 2, day21 + 3_600_000])
        let csv = try parseCSV(try await skillForge(["skills", "s", "--db", db, "--format", "csv"]).stdout)
        #expect(csv.map { $0["version"] } == ["1.0", "2.0", ""])
        #expect(csv.map { $0["first_run"] } == ["\(day20)", "\(day21)", "\(day21 + 3_600_000)"])
        let unknown = try await skillForge(["skills", "nobody", "--db", db])
        #expect(unknown.stderr == "warning: no runs of \"nobody\" at all\n")
    }

    // MARK: - compare CSV (item 19)

    @Test("compare --format csv: run counts as integers and a last verdict row")
    func compareCSV() async throws {
        let directory = try TemporaryDirectory()
        let db = try makeDatabase(in: directory)
        let result = try await skillForge(["compare", "s", "--db", db, "--baseline", "1.0", "--candidate", "2.0", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try parseCSV(result.stdout)
        #expect(rows.first?["measure"] == "runs")
        #expect(rows.first?["baseline"] == "2" && rows.first?["candidate"] == "3")
        #expect(rows.last?["measure"] == "verdict")
        #expect(rows.last?["direction"] == "not enough data")
        // p50 of 10 and 20 ms is 15.
        #expect(rows.first { $0["measure"] == "latency_p50" }?["baseline"] == "15.0")
    }

    // MARK: - candidates (items 17 and 19)

    @Test("candidates --failure-rate must be a fraction from 0 to 1, as --alpha")
    func candidatesFailureRateIsAFraction() async throws {
        let directory = try TemporaryDirectory()
        let db = try makeDatabase(in: directory)
        for rate in ["5", "0", "1.5"] {
            let result = try await skillForge(["candidates", "--db", db, "--failure-rate", rate])
            #expect(result.status == 64, "\(rate)")
            #expect(result.stderr.hasPrefix(
                "Error: The value '\(rate)' is invalid for '--failure-rate <rate>': must be more than 0 and at most 1\n"))
        }
        #expect(try await skillForge(["candidates", "--db", db, "--failure-rate", "1"]).status == 0)
    }

    @Test("candidates names its window and points at older runs it did not judge; unjudged skills say so")
    func candidatesWindow() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.db")
        let now = Date().unixMilliseconds
        let day: Int64 = 86_400_000
        // 20 runs 30 days ago that all failed, then a skill with 2 recent runs.
        let old = (0..<20).map { i in
            SkillMetrics(skillId: "broken", executionMs: 10, tokensIn: 1, tokensOut: 1, success: false, timestamp: now - 30 * day + Int64(i))
        }
        try await ProfilerDB(path: path).insert(contentsOf: old)
        let empty = try await skillForge(["candidates", "--db", path])
        #expect(empty.status == 0)
        let lines = empty.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(empty.stdout)")
        #expect(lines[0].hasPrefix("No runs in the last 1w (since 20"))
        #expect(lines[1].hasPrefix("20 older runs were not judged, the latest on "))
        // 30 days ago (and a few ms): rounded up to 31 days.
        #expect(lines[1].hasSuffix(" UTC: judge them with --last 31d."))
        let widened = try await skillForge(["candidates", "--db", path, "--last", "31d"])
        #expect(widened.stdout.hasPrefix("  1. broken  optimize  score 20\n       - failure rate 100.0% over 20 runs\n"))

        try await ProfilerDB(path: path).insert(contentsOf: [
            SkillMetrics(skillId: "new", executionMs: 10, tokensIn: 1, tokensOut: 1, success: true, timestamp: now - 1_000)
        ])
        let quiet = try await skillForge(["candidates", "--db", path])
        #expect(quiet.stdout.hasPrefix("Nothing stands out in the last 1w (since 20"))
        #expect(quiet.stdout.contains("\n20 older runs were not judged"))
        let all = try await skillForge(["candidates", "--db", path, "--all"])
        #expect(all.stdout.hasPrefix("  1. new  not judged\n       - only 1 run in the last 1w: too few to judge\n"), "\(all.stdout)")
        #expect(!all.stdout.contains("score 0"))
    }
}
