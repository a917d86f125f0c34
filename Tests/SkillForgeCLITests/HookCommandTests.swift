import Foundation
import Testing

/// `../shared/realdata/…` from the repository: transcripts Claude Code itself wrote.
private func realData(_ path: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/realdata").appendingPathComponent(path).path
}

/// Runs `skill-forge ARGUMENTS` with `input` on standard input, and `HOME` in `home`.
private func skillForge(_ arguments: [String], input: String, home: String) async throws -> ProcessResult {
    let directory = try TemporaryDirectory()
    let file = directory.path("input.json")
    try Data(input.utf8).write(to: URL(fileURLWithPath: file))
    return try await runProcess(
        "/bin/sh", ["-c", #""$0" "$@" < "$INPUT""#, skillForgeBinary] + arguments, environment: ["HOME": home, "INPUT": file])
}

/// Polls `query` with the sqlite3 shell until it prints `expected` (a detached import is still running), for up to a minute.
private func eventually(_ db: String, _ query: String, is expected: String) async throws -> String {
    var output = ""
    for _ in 0..<300 {
        if FileManager.default.fileExists(atPath: db) {
            output = (try? await sqlite3(db, query).stdout) ?? ""
            if output == expected { return output }
        }
        try await Task.sleep(for: .milliseconds(200))
    }
    return output
}

@Suite("skill-forge hook: live capture from Claude Code")
struct HookCommandTests {
    @Test("install merges the hooks into settings.json, keeping the rest; again changes nothing; uninstall restores it")
    func installAndUninstall() async throws {
        let home = try TemporaryDirectory()
        let settings = home.path(".claude/settings.json")
        try FileManager.default.createDirectory(atPath: home.path(".claude"), withIntermediateDirectories: true)
        let original = #"{"model":"opus","hooks":{"Stop":[{"hooks":[{"type":"command","command":"notify-send done"}]}]}}"#
        try Data(original.utf8).write(to: URL(fileURLWithPath: settings))
        let db = home.path("runs.db")

        let install = try await skillForge("hook", "install", "--db", db, environment: ["HOME": home.url.path])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("PostToolUse") && install.stdout.contains("SessionEnd"))
        let installed = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: settings))) as? [String: Any])
        #expect(installed["model"] as? String == "opus")
        let hooks = try #require(installed["hooks"] as? [String: [[String: Any]]])
        #expect(Set(hooks.keys) == ["PostToolUse", "PostToolUseFailure", "Stop", "SubagentStop", "SessionEnd"])
        #expect(hooks["Stop"]?.count == 2)  // the user's own Stop hook, then ours
        #expect(hooks["PostToolUse"]?.first?["matcher"] as? String == "mcp__.*")
        let command = try #require(((hooks["PostToolUse"]?.first?["hooks"] as? [[String: Any]])?.first?["command"]) as? String)
        #expect(command.hasSuffix("hook claude-code --db '\(db)'"))
        #expect(try String(contentsOfFile: settings + ".skill-forge-backup", encoding: .utf8) == original)

        let again = try await skillForge("hook", "install", "--db", db, environment: ["HOME": home.url.path])
        #expect(again.stdout.contains("nothing changed"))
        let status = try await skillForge("hook", "status", environment: ["HOME": home.url.path])
        #expect(status.stdout.contains("5 Skill Forge hooks"))

        let uninstall = try await skillForge("hook", "uninstall", environment: ["HOME": home.url.path])
        #expect(uninstall.status == 0 && uninstall.stdout.contains("Removed"))
        let restored = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: settings))) as? NSDictionary
        let expected = try JSONSerialization.jsonObject(with: Data(original.utf8)) as? NSDictionary
        #expect(restored == expected)
    }

    @Test("settings.json that is not a JSON object is left as it is, with an error")
    func unreadableSettings() async throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: home.path(".claude"), withIntermediateDirectories: true)
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: home.path(".claude/settings.json")))
        let install = try await skillForge("hook", "install", environment: ["HOME": home.url.path])
        #expect(install.status != 0 && install.stderr.contains("not a JSON object"))
        #expect(try String(contentsOfFile: home.path(".claude/settings.json"), encoding: .utf8) == "{ not json")
    }

    @Test("an MCP call is stored as it ends; bad input exits 0 and goes to the log, not stderr")
    func mcpCallAndBadInput() async throws {
        let home = try TemporaryDirectory()
        let db = home.path("runs.db")
        let call = try await skillForge(["hook", "claude-code", "--db", db], input: """
            {"session_id":"s1","hook_event_name":"PostToolUseFailure","tool_name":"mcp__github__create_issue",
             "tool_input":{"title":"bug"},"tool_use_id":"toolu_01","error":"rate limited","duration_ms":412}
            """, home: home.url.path)
        #expect(call.status == 0 && call.stderr.isEmpty)
        let row = try await sqlite3(db, "SELECT skill_id, execution_ms, success, error, run_id, source, tokens_out FROM skill_metrics")
        #expect(row.stdout == "mcp:github/create_issue|412|0|rate limited|toolu_01|claude-code-hook|4\n")

        let bad = try await skillForge(["hook", "claude-code", "--db", db], input: "not json", home: home.url.path)
        #expect(bad.status == 0 && bad.stdout.isEmpty && bad.stderr.isEmpty)
        let log = try String(contentsOfFile: home.path(".skill-forge/hooks.log"), encoding: .utf8)
        #expect(log.contains("not a JSON object"))
    }

    @Test("Stop imports the transcript in the background: its skill executions, once, as import --from claude-code stores them")
    func stopImportsTheTranscript() async throws {
        let transcript = realData("claude-code/spotter/8463c716-a2ea-4c14-9efa-87158ebd9f20.jsonl")
        try #require(FileManager.default.fileExists(atPath: transcript), "the real transcripts are in ../shared/realdata")
        let home = try TemporaryDirectory()
        let (hooked, imported) = (home.path("hooked.db"), home.path("imported.db"))
        let stop = #"{"hook_event_name":"Stop","session_id":"8463c716","transcript_path":"\#(transcript)"}"#
        let hook = try await skillForge(["hook", "claude-code", "--db", hooked], input: stop, home: home.url.path)
        #expect(hook.status == 0)
        try await skillForge("import", "--from", "claude-code", "--db", imported, transcript)
        let query = "SELECT skill_id, run_id, execution_ms, tokens_in, tokens_out, success FROM skill_metrics ORDER BY run_id"
        let expected = try await sqlite3(imported, query).stdout
        #expect(expected.hasPrefix("handgemacht:commit|toolu_01WD7R52g4Tq4muwnGEgs9nD|"))
        #expect(try await eventually(hooked, query, is: expected) == expected)
        // The same session imported later, or its next Stop, adds nothing.
        let later = try await skillForge("import", "--from", "claude-code", "--db", hooked, transcript)
        #expect(later.stdout.contains("imported 0 of 1 records (1 already stored"))
    }
}
