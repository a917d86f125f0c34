import Foundation
import Testing

@testable import SkillForge

@Suite("Claude Code hook events")
struct ClaudeCodeHookEventTests {
    private let now = Date(unixMilliseconds: 1_795_132_800_000)

    private func action(_ json: String) throws -> ClaudeCodeHookAction {
        try ClaudeCodeHookEvent(json: Array(json.utf8)).action(now: now)
    }

    @Test("a finished MCP call is a row: the hook's duration, ending now, tokens estimated at 4 bytes a token")
    func mcpCall() throws {
        let row = try action("""
            {"session_id":"s1","transcript_path":"/t.jsonl","cwd":"/p","hook_event_name":"PostToolUse",
             "tool_name":"mcp__github__create_issue","tool_input":{"title":"bug"},"tool_use_id":"toolu_01",
             "tool_response":[{"type":"text","text":"created #12"}],"duration_ms":412}
            """)
        // {"title":"bug"} is 15 bytes: 4 tokens out; "created #12" is 11 bytes: 3 tokens in.
        #expect(row == .record(SkillMetrics(
            skillId: "mcp:github/create_issue", executionMs: 412, tokensIn: 3, tokensOut: 4, success: true,
            timestamp: 1_795_132_800_000 - 412, tokensEstimated: true, sessionId: "s1", runId: "toolu_01",
            source: "claude-code-hook")))
    }

    @Test("a failed call keeps its error; an interrupted one says so; a response with isError fails too")
    func failures() throws {
        let failure = try action("""
            {"hook_event_name":"PostToolUseFailure","tool_name":"mcp__db__query","tool_use_id":"t2","tool_input":{},
             "error":"  connection refused\\n","is_interrupt":false,"duration_ms":1500.4}
            """)
        guard case .record(let failed) = failure else { Issue.record("\(failure)"); return }
        #expect(failed.success == false && failed.error == "connection refused" && failed.executionMs == 1_500)
        #expect(failed.tokensOut == 1 && failed.tokensIn == 0)  // {} is 2 bytes; no response
        let interrupted = try action("""
            {"hook_event_name":"PostToolUseFailure","tool_name":"mcp__db__query","tool_use_id":"t3","is_interrupt":true,"duration_ms":9}
            """)
        guard case .record(let stopped) = interrupted else { Issue.record("\(interrupted)"); return }
        #expect(stopped.error == "interrupted" && stopped.success == false)
        let isError = try action("""
            {"hook_event_name":"PostToolUse","tool_name":"mcp__db__query","tool_use_id":"t4","duration_ms":3,
             "tool_response":{"isError":true,"content":[{"type":"text","text":"no such table"}]}}
            """)
        guard case .record(let erred) = isError else { Issue.record("\(isError)"); return }
        #expect(erred.success == false && erred.error == "failed" && erred.tokensIn == 4)  // 13 bytes
    }

    @Test("the end of a turn, a subagent or a session imports its transcript; the subagent's own file first")
    func transcripts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("s/subagents"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (session, agent) = (directory.appendingPathComponent("s.jsonl").path, directory.appendingPathComponent("s/subagents/agent-a.jsonl").path)
        for path in [session, agent] { try Data().write(to: URL(fileURLWithPath: path)) }
        #expect(try action(#"{"hook_event_name":"Stop","transcript_path":"\#(session)","stop_hook_active":false}"#)
            == .importTranscripts([session]))
        #expect(try action(#"{"hook_event_name":"SubagentStop","transcript_path":"\#(session)","agent_transcript_path":"\#(agent)"}"#)
            == .importTranscripts([agent]))
        #expect(try action(#"{"hook_event_name":"SessionEnd","transcript_path":"\#(session)","reason":"other"}"#)
            == .importTranscripts([session]))
    }

    @Test("what records nothing says why", arguments: [
        #"{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_use_id":"t","duration_ms":5}"#,
        #"{"hook_event_name":"PostToolUse","tool_name":"Skill","tool_use_id":"t","duration_ms":5}"#,
        #"{"hook_event_name":"PostToolUse","tool_name":"mcp__a__b","duration_ms":5}"#,
        #"{"hook_event_name":"PostToolUse","tool_name":"mcp__a__b","tool_use_id":"t"}"#,
        #"{"hook_event_name":"PostToolUse","tool_name":"mcp__a__b","tool_use_id":"t","duration_ms":-1}"#,
        #"{"hook_event_name":"SessionEnd","reason":"other"}"#,
        #"{"hook_event_name":"Stop","transcript_path":"relative/s.jsonl"}"#,
        #"{"hook_event_name":"Stop","transcript_path":"/dev/zero"}"#,
        #"{"hook_event_name":"Stop","transcript_path":"/etc/hostname"}"#,
        #"{"hook_event_name":"Stop","transcript_path":"/no/such/session.jsonl"}"#,
        #"{"hook_event_name":"UserPromptSubmit","prompt":"hi"}"#,
    ])
    func ignored(_ json: String) throws {
        guard case .ignore(let reason) = try action(json) else { Issue.record("not ignored: \(json)"); return }
        #expect(!reason.isEmpty)
    }

    @Test("a skill typed as /name records nothing at its expansion: the transcript at Stop has it")
    func userPromptExpansion() throws {
        let json = #"{"hook_event_name":"UserPromptExpansion","session_id":"s","transcript_path":"/tmp/s.jsonl","expansion_type":"slash_command","command_name":"pdf","command_args":"a.pdf","command_source":"skill","prompt":"Base directory for this skill: /x"}"#
        #expect(try action(json) == .ignore("a skill typed as /name is read from the transcript at Stop"))
    }

    @Test("input that is not a hook event is unreadable", arguments: ["", "garbage", "[1]", #"{"session_id":"s"}"#, #"{"hook_event_name":""}"#])
    func unreadable(_ json: String) {
        #expect(throws: ClaudeCodeHookEvent.Unreadable.self) { try ClaudeCodeHookEvent(json: Array(json.utf8)) }
    }
}
