import Foundation

@testable import SkillForge

/// The Claude Code telemetry fixtures (Fixtures/claude-code-otel, see its README) and the rows
/// they should give, worked out by hand from the events the README lists.
enum TelemetryFixture {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/claude-code-otel")
    static let file = folder.appendingPathComponent("claude-code-telemetry.jsonl").path
    static let request = folder.appendingPathComponent("claude-code-request.json").path

    /// 2026-11-20T10:00:00Z.
    static let t: Int64 = 1_795_168_800_000
    static let session1 = "5f0c2c1e-8d7a-4c2b-9a51-3f6e2d1b7a90"
    static let session2 = "9d3e4b70-1c55-4f0e-b7a2-6a8c0e9d4f13"
    static let prompt1 = "a1b2c3d4-0001-4e5f-8a9b-0000000000a1"
    static let prompt2 = "a1b2c3d4-0002-4e5f-8a9b-0000000000a2"
    static let prompt3 = "b7c8d9e0-0003-4a1b-9c2d-0000000000b3"

    /// pdf-report in prompt 1: the Skill call (2.65 s − 180 ms = 2.47 s), its activation
    /// (2.48 s) and three requests (5.9 s − 3.1 s, 9.95 s − 2.65 s, 14 s − 1.8 s).
    /// From 2.47 s to 14 s: 11,530 ms. Tokens 1,840 + 420 + 2,210 = 4,470 in,
    /// 612 + 980 + 340 = 1,932 out; cache 15,230 + 17,278 + 18,000 = 50,508 read,
    /// 2,048 + 0 + 512 = 2,560 written; $0.03121 + $0.02054 + $0.01337 = $0.06512.
    /// The model of the first request to end (5.9 s).
    static let pdfReport = SkillMetrics(
        skillId: "pdf-report", executionMs: 11_530, tokensIn: 4_470, tokensOut: 1_932, success: true, timestamp: t + 2_470,
        model: "claude-sonnet-4-5", tokensEstimated: false, cacheReadTokens: 50_508, cacheCreationTokens: 2_560,
        sessionId: session1, runId: "claude-code:\(session1):\(prompt1):pdf-report", source: "claude-code-otel",
        metadata: #"{"events":{"api_request":3,"skill_activated":1,"tool_result":1},"model_at":1795168805900}"#,
        costUsd: 0.06512)

    /// commit in prompt 2: the Skill call fails (60.035 s − 35 ms = 60 s), one request
    /// (62.5 s − 2.3 s): 60 s to 62.5 s, 2,500 ms; the error's full text (OTEL_LOG_TOOL_DETAILS).
    static let commit = SkillMetrics(
        skillId: "commit", executionMs: 2_500, tokensIn: 310, tokensOut: 95, success: false, timestamp: t + 60_000,
        model: "claude-sonnet-4-5", error: "ENOENT: no such file or directory, open '.claude/skills/commit/SKILL.md'",
        tokensEstimated: false, cacheReadTokens: 20_100, cacheCreationTokens: 0, sessionId: session1,
        runId: "claude-code:\(session1):\(prompt2):commit", source: "claude-code-otel",
        metadata: #"{"error_at":1795168860035,"events":{"api_request":1,"tool_result":1},"model_at":1795168862500}"#,
        costUsd: 0.00712)

    /// The MCP call: 11.2 s − 820 ms; tokens from bytes, 4 a token rounded up: 1,530 result
    /// bytes → 383 in, 412 input bytes → 103 out.
    static let mcp = SkillMetrics(
        skillId: "mcp:github/create_issue", executionMs: 820, tokensIn: 383, tokensOut: 103, success: true,
        timestamp: t + 10_380, tokensEstimated: true, sessionId: session1,
        runId: "claude-code:\(session1):toolu_01C7GithubIssue", source: "claude-code-otel",
        metadata: #"{"events":{"tool_result":1}}"#)

    /// review in session 2 (no tool details): only its request, named in skill.name (124 s − 3.5 s).
    static let review = SkillMetrics(
        skillId: "review", executionMs: 3_500, tokensIn: 5_120, tokensOut: 777, success: true, timestamp: t + 120_500,
        model: "claude-opus-4-1", tokensEstimated: false, cacheReadTokens: 0, cacheCreationTokens: 4_096,
        sessionId: session2, runId: "claude-code:\(session2):\(prompt3):review", source: "claude-code-otel",
        metadata: #"{"events":{"api_request":1},"model_at":1795168924000}"#, costUsd: 0.04203)

    /// With --all-tools, the Bash call: 7.1 s − 1,150 ms, failed with its error type; 311 result
    /// bytes → 78 tokens in, 86 input bytes → 22 out.
    static let bash = SkillMetrics(
        skillId: "tool:Bash", executionMs: 1_150, tokensIn: 78, tokensOut: 22, success: false, timestamp: t + 5_950,
        error: "ShellError", tokensEstimated: true, sessionId: session1,
        runId: "claude-code:\(session1):toolu_01B3BashPdftk", source: "claude-code-otel",
        metadata: #"{"error_at":1795168807100,"events":{"tool_result":1}}"#)

    /// The rows of the file, by run id.
    static let rows = [pdfReport, commit, mcp, review]
}

extension [SkillMetrics] {
    /// The rows without their ids, in run id order: what an import gives whatever order it stored them in.
    var byRunId: [SkillMetrics] {
        map { row in
            var row = row
            row.id = nil
            return row
        }.sorted { ($0.runId ?? "") < ($1.runId ?? "") }
    }
}
