import Foundation
import Testing

/// The hand-made rollout of Tests/SkillForgeTests/Fixtures/codex (its rows are worked out in CodexReaderTests).
private let rollout = packageRoot.appendingPathComponent(
    "Tests/SkillForgeTests/Fixtures/codex/rollout-2026-03-02T10-00-00-5f3c2a10-0b1e-4c8d-9a7e-1d2c3b4a5f60.jsonl")

@Suite("import --from codex")
struct ImportCodexTests {
    @Test("a rollout's MCP calls are imported and shown by stats; --all-tools adds the other tools; again adds nothing")
    func importThenStats() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let imported = try await skillForge("import", "--db", db, "--from", "codex", rollout.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        // Three MCP calls (lines 6, 17, 26); line 25 is not JSON: skipped, and reported on stderr.
        expectSummary(imported.stdout, imported: "3", of: "4", details: "0 already stored, 1 rejected", files: "1 file")
        #expect(imported.stderr.hasSuffix(":25: line skipped: not a JSON object\n"), "\(imported.stderr)")
        let stats = try await skillForge("stats", "--db", db)
        #expect(stats.status == 0, "\(stats.stderr)")
        for skill in ["mcp:github/create_issue", "mcp:linear/get_issue", "mcp:sentry/search_issues"] {
            #expect(stats.stdout.contains(skill), "\(stats.stdout)")
        }
        #expect(!stats.stdout.contains("tool:shell"))
        let all = try await skillForge("import", "--db", db, "--all-tools", rollout.path)
        #expect(all.status == 0, "\(all.stderr)")
        // Detected as a rollout: 6 rows, the 3 MCP ones already stored; 25 not JSON, 28 unanswered.
        expectSummary(all.stdout, imported: "3", of: "7", details: "3 already stored, 1 rejected, 1 passed over", files: "1 file")
        #expect(all.stdout.hasSuffix("\npassed over: 1 unanswered call\n"), "\(all.stdout)")
        #expect(try await skillForge("stats", "--db", db).stdout.contains("tool:shell"))
    }

    @Test("without paths, --from codex reads ~/.codex/sessions/**/rollout-*.jsonl and nothing else there")
    func defaultLocation() async throws {
        let home = try TemporaryDirectory()
        let day = home.path(".codex/sessions/2026/03/02")
        try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: rollout.path, toPath: day + "/" + rollout.lastPathComponent)
        try write("not a rollout\n", to: day + "/notes.jsonl")
        let db = home.path("data.db")
        let result = try await skillForge("import", "--db", db, "--from", "codex", environment: ["HOME": home.url.path])
        #expect(result.status == 0, "\(result.stderr)")
        expectSummary(result.stdout, imported: "3", of: "4", details: "0 already stored, 1 rejected", files: "1 file")
        // A home without sessions says where it looked.
        let empty = try TemporaryDirectory()
        let none = try await skillForge("import", "--db", db, "--from", "codex", environment: ["HOME": empty.url.path])
        #expect(none.status == 1)
        #expect(none.stderr == "Error: \(empty.url.path)/.codex/sessions: no such file or directory\n")
    }
}
