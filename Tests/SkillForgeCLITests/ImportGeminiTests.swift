import Foundation
import Testing

private let fixtures = packageRoot.appendingPathComponent("Tests/SkillForgeTests/Fixtures")
/// The hand-made JSONL session (its rows are worked out in GeminiReaderTests).
private let session = fixtures.appendingPathComponent("gemini/session-2026-03-02T11-00-7c1e9a42.jsonl")
/// Real sessions (Fixtures/other-agents/README.md): a pretty-printed document with two shell calls.
private let document = fixtures.appendingPathComponent("other-agents/gemini-session-tools.json")

@Suite("import --from gemini")
struct ImportGeminiTests {
    @Test("a session's MCP call is imported and shown by stats; --all-tools adds the other tools; again adds nothing")
    func importThenStats() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let imported = try await skillForge("import", "--db", db, "--from", "gemini", session.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        // One MCP call (line 4); line 7 is not JSON: skipped.
        expectSummary(imported.stdout, imported: "1", of: "2", details: "0 already stored, 1 rejected", files: "1 file")
        #expect(try await skillForge("stats", "--db", db).stdout.contains("mcp:github/create_issue"))
        // Detected, both forms: 5 rows of the session (1 stored already) and 2 of the document.
        let all = try await skillForge("import", "--db", db, "--all-tools", session.path, document.path)
        #expect(all.status == 0, "\(all.stderr)")
        // Line 7 of the session is skipped; its line 8 holds a call without an id.
        expectSummary(all.stdout, imported: "6", of: "8", details: "1 already stored, 1 rejected, 1 passed over", files: "2 files")
        let stats = try await skillForge("stats", "--db", db)
        #expect(stats.stdout.contains("tool:run_shell_command"), "\(stats.stdout)")
        #expect(stats.stdout.contains("tool:read_file"), "\(stats.stdout)")
        let again = try await skillForge("import", "--db", db, "--all-tools", session.path, document.path)
        expectSummary(again.stdout, imported: "0", of: "8", details: "7 already stored, 1 rejected, 1 passed over", files: "2 files")
    }

    @Test("without paths, --from gemini reads ~/.gemini/tmp/**/session-*.json(l)")
    func defaultLocation() async throws {
        let home = try TemporaryDirectory()
        let chats = home.path(".gemini/tmp/3f9a0c55/chats")
        try FileManager.default.createDirectory(atPath: chats, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: session.path, toPath: chats + "/" + session.lastPathComponent)
        try FileManager.default.copyItem(atPath: document.path, toPath: chats + "/session-2025-12-16T23-47-b4f17607.json")
        try write("{}\n", to: home.path(".gemini/tmp/3f9a0c55/logs.json"))
        let db = home.path("data.db")
        let result = try await skillForge("import", "--db", db, "--from", "gemini", "--all-tools", environment: ["HOME": home.url.path])
        #expect(result.status == 0, "\(result.stderr)")
        expectSummary(result.stdout, imported: "7", of: "8", details: "0 already stored, 1 rejected, 1 passed over", files: "2 files")
    }

    @Test("a Gemini session given to --from claude-code names the --from to use")
    func wrongFormat() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let result = try await skillForge("import", "--db", db, "--from", "claude-code", document.path)
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(document.path): holds no Claude Code transcript line: it is a Gemini CLI session: use --from gemini\n")
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
