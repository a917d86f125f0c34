import Foundation
import Testing

@testable import SkillForge

/// The fixture project's files and the rows they should give.
enum Fixture {
    static let project = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/claude-code/-Users-dana-code-invoice-tool")
    static let mainSessionId = "8f14e45f-ceea-467f-a8f8-3b1c4f0e2d71"
    static let liveSessionId = "c9f0f895-fb98-4b91-9a0c-e8f1d2b3a456"
    static let mainSession = project.appendingPathComponent("\(mainSessionId).jsonl").path
    static let subagent = project.appendingPathComponent("\(mainSessionId)/subagents/agent-a3f7c2e1.jsonl").path
    static let warmup = project.appendingPathComponent("agent-5e1d9b07.jsonl").path
    static let liveSession = project.appendingPathComponent("\(liveSessionId).jsonl").path

    static let sonnet = "claude-sonnet-4-5-20250929"
    static let opus = "claude-opus-4-5-20251101"
    static let haiku = "claude-haiku-4-5-20251001"

    /// 2026-03-02T09:00:00.000Z.
    static let nine: Int64 = 1_772_442_000_000

    /// The rows every fixture should give, by run id.
    static let expected: [String: SkillMetrics] = [
        // pdf, main session, lines 5-14. Starts at the Skill call (line 5, 09:00:02.500); the
        // last owned line is line 14 (09:00:15.000), since line 15 is an assistant line of
        // another message with no attribution: 15_000 - 2_500 = 12_500 ms.
        // tokens_in  = 1200 (msg_02B2, counted once although on lines 8, 9 and 10) + 800 (msg_03C3) + 600 (msg_04D4) = 2600
        // tokens_out = 150 + 220 + 300 = 670
        // cache_read = 13000 + 14000 + 14500 = 41500; cache_creation = 500 + 0 + 200 = 700
        // The calling message msg_01A1 (lines 4-5) is not attributed to pdf: not counted.
        // Line 11 answers toolu_02Bash (owned, line 10) with is_error: failure, error from its text.
        // metadata: 3 messages, 2 tool calls (toolu_02Bash, toolu_03Bash).
        "toolu_01PdfSkill": SkillMetrics(
            skillId: "pdf", executionMs: 12_500, tokensIn: 2_600, tokensOut: 670, success: false,
            timestamp: nine + 2_500, model: sonnet,
            error: "Bash: Exit code 127 /bin/bash: line 1: pdftotext: command not found", tokensEstimated: false,
            cacheReadTokens: 41_500, cacheCreationTokens: 700, sessionId: mainSessionId, runId: "toolu_01PdfSkill",
            source: "claude-code", metadata: #"{"messages":3,"tool_calls":2}"#),
        // xlsx, main session, lines 16-24, ended by the new prompt on line 25.
        // 09:00:16.500 -> 09:00:29.750 (line 24) = 13_250 ms. The system line 22 changes nothing.
        // tokens_in = 900 + 300 + 400 = 1600; tokens_out = 1100 + 80 + 120 = 1300
        // cache_read = 16000 + 17000 + 17500 = 50500; cache_creation = 400 + 0 + 100 = 500
        "toolu_04XlsxSkill": SkillMetrics(
            skillId: "xlsx", executionMs: 13_250, tokensIn: 1_600, tokensOut: 1_300, success: true,
            timestamp: nine + 16_500, model: sonnet, tokensEstimated: false, cacheReadTokens: 50_500,
            cacheCreationTokens: 500, sessionId: mainSessionId, runId: "toolu_04XlsxSkill", source: "claude-code",
            metadata: #"{"messages":3,"tool_calls":2}"#),
        // mcp__github__create_issue on line 26 (09:01:03.000), answered on line 27 (09:01:04.500): 1_500 ms.
        // input {"owner":"acme","repo":"invoice-tool","title":"Q1 invoice totals","body":"3 invoices, 12,480.00 EUR in total."}
        //   is 111 bytes -> tokens_out = ceil(111 / 4) = 28
        // result text "Created issue #42: https://github.com/acme/invoice-tool/issues/42" is 65 bytes -> tokens_in = ceil(65 / 4) = 17
        "toolu_07GithubIssue": SkillMetrics(
            skillId: "mcp:github/create_issue", executionMs: 1_500, tokensIn: 17, tokensOut: 28, success: true,
            timestamp: nine + 63_000, model: sonnet, tokensEstimated: true, sessionId: mainSessionId,
            runId: "toolu_07GithubIssue", source: "claude-code"),
        // The second call, line 29 (09:01:06.000), fails on line 30 (09:01:06.800): 800 ms.
        // input {"owner":"acme","repo":"invoice-tool","title":"Landing page","labels":["website"]} is 82 bytes -> ceil(82 / 4) = 21
        // result "MCP error -32603: Validation Failed: label website does not exist" is 65 bytes -> 17
        "toolu_08GithubIssue": SkillMetrics(
            skillId: "mcp:github/create_issue", executionMs: 800, tokensIn: 17, tokensOut: 21, success: false,
            timestamp: nine + 66_000, model: sonnet,
            error: "MCP error -32603: Validation Failed: label website does not exist", tokensEstimated: true,
            sessionId: mainSessionId, runId: "toolu_08GithubIssue", source: "claude-code"),
        // frontend-design, main session, lines 35-44 on Opus. 09:05:02.000 -> 09:05:58.000 (line 44) = 56_000 ms;
        // line 45 (no attribution) ends it. The Task result on line 41 (09:05:40.000) is owned but earlier.
        // tokens_in = 2000 (msg_12L2 on lines 38-40, once) + 1000 + 500 = 3500; tokens_out = 900 + 4000 + 200 = 5100
        // cache_read = 20000 + 22000 + 23000 = 65000; cache_creation = 1500 + 0 + 300 = 1800
        // The subagent's tokens are in its own file, not here.
        "toolu_09FrontendSkill": SkillMetrics(
            skillId: "frontend-design", executionMs: 56_000, tokensIn: 3_500, tokensOut: 5_100, success: true,
            timestamp: nine + 302_000, model: opus, tokensEstimated: false, cacheReadTokens: 65_000,
            cacheCreationTokens: 1_800, sessionId: mainSessionId, runId: "toolu_09FrontendSkill",
            source: "claude-code", metadata: #"{"messages":3,"tool_calls":2}"#),
        // pdf in the subagent (sidechain, Haiku), lines 3-9, ended by the end of the file.
        // 09:05:09.000 -> 09:05:38.000 (line 9) = 29_000 ms
        // tokens_in = 400 + 1500 (msg_s3S3 on lines 8 and 9, once) = 1900; tokens_out = 90 + 250 = 340
        // cache_read = 5500 + 5500 = 11000; cache_creation = 0 + 600 = 600
        "toolu_21PdfSkill": SkillMetrics(
            skillId: "pdf", executionMs: 29_000, tokensIn: 1_900, tokensOut: 340, success: true,
            timestamp: nine + 309_000, model: haiku, tokensEstimated: false, cacheReadTokens: 11_000,
            cacheCreationTokens: 600, sessionId: mainSessionId, runId: "toolu_21PdfSkill", source: "claude-code",
            metadata: #"{"messages":2,"tool_calls":1,"sidechain":true}"#),
        // xlsx in the live session, lines 3-8, ended by the prompt on line 9.
        // 10:00:03.000 -> 10:00:12.000 = 9_000 ms; 10:00:03.000 is nine + 3_603_000.
        // tokens_in = 700 + 350 = 1050; tokens_out = 160 + 90 = 250; cache_read = 12000 + 12800 = 24800; cache_creation = 800
        "toolu_31XlsxSkill": SkillMetrics(
            skillId: "xlsx", executionMs: 9_000, tokensIn: 1_050, tokensOut: 250, success: true,
            timestamp: nine + 3_603_000, model: sonnet, tokensEstimated: false, cacheReadTokens: 24_800,
            cacheCreationTokens: 800, sessionId: liveSessionId, runId: "toolu_31XlsxSkill", source: "claude-code",
            metadata: #"{"messages":2,"tool_calls":1}"#),
    ]

    /// The costs the shipped price list gives the skill executions (each API message priced on
    /// its own; none is near a tier, so the sum of the totals' costs is the same). Per million
    /// tokens: claude-sonnet-4-5-20250929 $3 in, $15 out, $0.30 cache read, $3.75 cache creation;
    /// claude-opus-4-5-20251101 $5, $25, $0.50, $6.25; claude-haiku-4-5-20251001 $1, $5, $0.10, $1.25.
    static let costs: [String: Double] = [
        // 2,600 × 3e-6 + 670 × 15e-6 + 41,500 × 3e-7 + 700 × 3.75e-6 = 0.0078 + 0.01005 + 0.01245 + 0.002625
        "toolu_01PdfSkill": 0.032925,
        // 1,600 × 3e-6 + 1,300 × 15e-6 + 50,500 × 3e-7 + 500 × 3.75e-6 = 0.0048 + 0.0195 + 0.01515 + 0.001875
        "toolu_04XlsxSkill": 0.041325,
        // 3,500 × 5e-6 + 5,100 × 25e-6 + 65,000 × 5e-7 + 1,800 × 6.25e-6 = 0.0175 + 0.1275 + 0.0325 + 0.01125
        "toolu_09FrontendSkill": 0.18875,
        // 1,900 × 1e-6 + 340 × 5e-6 + 11,000 × 1e-7 + 600 × 1.25e-6 = 0.0019 + 0.0017 + 0.0011 + 0.00075
        "toolu_21PdfSkill": 0.00545,
        // 1,050 × 3e-6 + 250 × 15e-6 + 24,800 × 3e-7 + 800 × 3.75e-6 = 0.00315 + 0.00375 + 0.00744 + 0.003
        "toolu_31XlsxSkill": 0.01734,
    ]

    /// What an import adds: the MCP calls' estimated tokens priced as one request on claude-sonnet-4-5:
    /// 17 × 3e-6 + 28 × 15e-6 = 0.000051 + 0.00042 and 17 × 3e-6 + 21 × 15e-6 = 0.000051 + 0.000315.
    static let importedCosts = costs.merging(["toolu_07GithubIssue": 0.000471, "toolu_08GithubIssue": 0.000366]) { a, _ in a }
}

/// Checks `metric` against its fixture row (`Fixture.expected`) and its cost against `costs`,
/// within floating-point rounding: a cost is marked estimated; a run without one has none.
func expectFixtureRow(
    _ metric: SkillMetrics, costs: [String: Double] = Fixture.costs,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let runId = metric.runId ?? ""
    var uncosted = metric
    (uncosted.costUsd, uncosted.costEstimated) = (nil, nil)
    #expect(uncosted == Fixture.expected[runId], sourceLocation: sourceLocation)
    if let expected = costs[runId] {
        #expect(abs((metric.costUsd ?? .nan) - expected) < 1e-12, "\(runId): \(String(describing: metric.costUsd))",
                sourceLocation: sourceLocation)
        #expect(metric.costEstimated == true, sourceLocation: sourceLocation)
    } else {
        #expect(metric.costUsd == nil && metric.costEstimated == nil, sourceLocation: sourceLocation)
    }
}

// MARK: - Helpers

/// What a reader (Claude Code's unless told) gave for one file.
struct Read {
    var items: [ImportItem] = []

    init(_ path: String, reader: any RecordReader = ClaudeCodeReader()) throws {
        try reader.read(ImportInput(path: path)) { _ in } emit: { items.append($0) }
    }

    /// Reads `lines` written to a temporary file, one a line.
    init(lines: [String], reader: any RecordReader = ClaudeCodeReader()) throws {
        try self.init(text: lines.joined(separator: "\n") + "\n", reader: reader)
    }

    init(text: String, reader: any RecordReader = ClaudeCodeReader()) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("session.jsonl")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try self.init(path, reader: reader)
    }

    var metrics: [SkillMetrics] {
        items.compactMap { if case .metric(let metric, _) = $0 { metric } else { nil } }
    }

    var metricLines: [Int] {
        items.compactMap { if case .metric(_, let location) = $0 { location.line } else { nil } }
    }

    var ignoredLines: [Int] {
        items.compactMap { if case .ignored(let location, _) = $0 { location.line } else { nil } }
    }

    /// What the ignored items were, in order.
    var ignoredKinds: [String] {
        items.compactMap { if case .ignored(_, let kind) = $0 { kind.name } else { nil } }
    }

    var skippedLines: [Int] {
        items.compactMap { if case .skipped(let location, _) = $0 { location.line } else { nil } }
    }

    var skipped: [String] {
        items.compactMap { if case .skipped(_, let problem) = $0 { problem } else { nil } }
    }

    var isUnrecognized: Bool {
        items.contains { if case .unrecognizedInput = $0 { true } else { false } }
    }

    var invalid: [String] {
        items.compactMap { if case .invalid(_, let problem) = $0 { problem } else { nil } }
    }
}

/// Builds transcript lines for the inline cases, at seconds after 2026-03-02T12:00:00Z.
enum T {
    static let base: Int64 = 1_772_452_800_000

    static func time(_ seconds: Int) -> String {
        String(format: "2026-03-02T12:%02d:%02d.000Z", seconds / 60, seconds % 60)
    }

    static func prompt(_ seconds: Int, _ text: String) -> String {
        #"{"type":"user","isSidechain":false,"sessionId":"s","message":{"role":"user","content":"\#(text)"},"timestamp":"\#(time(seconds))"}"#
    }

    static func assistant(
        _ seconds: Int, id: String, request: String? = nil, skill: String? = nil, sidechain: Bool = false,
        _ blocks: [String], usage: (Int, Int, Int, Int)
    ) -> String {
        let attribution = skill.map { #","attributionSkill":"\#($0)""# } ?? ""
        return #"{"type":"assistant","isSidechain":\#(sidechain),"sessionId":"s","requestId":"\#(request ?? "r-" + id)"\#(attribution),"message":{"id":"\#(id)","model":"claude-sonnet-4-5","role":"assistant","content":[\#(blocks.joined(separator: ","))],"usage":{"input_tokens":\#(usage.0),"output_tokens":\#(usage.1),"cache_read_input_tokens":\#(usage.2),"cache_creation_input_tokens":\#(usage.3)}},"timestamp":"\#(time(seconds))"}"#
    }

    static func result(_ seconds: Int, _ toolId: String, _ text: String, error: Bool = false) -> String {
        #"{"type":"user","sessionId":"s","message":{"role":"user","content":[{"tool_use_id":"\#(toolId)","type":"tool_result","content":"\#(text)"\#(error ? #","is_error":true"# : "")}]},"timestamp":"\#(time(seconds))"}"#
    }

    static func text(_ text: String) -> String {
        #"{"type":"text","text":"\#(text)"}"#
    }

    static func toolUse(_ id: String, _ name: String, _ input: String) -> String {
        #"{"type":"tool_use","id":"\#(id)","name":"\#(name)","input":\#(input)}"#
    }

    static func skillCall(_ id: String, _ skill: String) -> String {
        toolUse(id, "Skill", #"{"skill":"\#(skill)"}"#)
    }
}
