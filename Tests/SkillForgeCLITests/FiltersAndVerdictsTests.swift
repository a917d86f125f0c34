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
}
