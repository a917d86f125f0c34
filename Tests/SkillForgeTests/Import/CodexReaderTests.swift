import Foundation
import Testing

@testable import SkillForge

/// The OpenAI Codex CLI rollout importer, on the hand-made rollout `Fixtures/codex/` and on
/// real rollouts (`Fixtures/other-agents/`, see its README). Every expected value is worked
/// out by hand from the lines named in the comments.
@Suite("Codex rollouts")
struct CodexReaderTests {
    // MARK: - The hand-made rollout

    @Test("MCP calls become mcp:<server>/<tool> rows, from end events or from <server>__<tool> calls")
    func mcpCalls() throws {
        let read = try Read(Codex.handMade, reader: CodexReader(options: TelemetryOptions()))
        #expect(read.metrics.map(\.runId) == ["call_mcp1", "call_mcp2", "call_mcp3"].map { "codex:\(Codex.session):\($0)" })
        for metric in read.metrics {
            #expect(metric == Codex.expected[metric.runId ?? ""])
        }
        // Each row's location is its call's line.
        #expect(read.metricLines == [6, 17, 26])
        // Line 25 is cut short mid-file (not JSON): skipped and reported. update_plan (line 28) makes no row
        // without --all-tools.
        #expect(read.skippedLines == [25])
        #expect(read.ignoredLines.isEmpty)
        #expect(!read.isUnrecognized)
    }

    @Test("with --all-tools every call answered becomes tool:<name>; one never answered is ignored")
    func allTools() throws {
        let read = try Read(Codex.handMade, reader: CodexReader(options: TelemetryOptions(allTools: true)))
        // In the order they are emitted: a row waits for its turn's token_count (line 24 for call_sh3;
        // call_mcp3's turn has none, so it comes at the end of the file).
        #expect(read.metrics.map(\.runId) == ["call_mcp1", "call_sh2", "call_sh1", "call_mcp2", "call_sh3", "call_mcp3"].map {
            "codex:\(Codex.session):\($0)"
        })
        for metric in read.metrics {
            #expect(metric == Codex.expected[metric.runId ?? ""])
        }
        #expect(read.metricLines == [6, 12, 11, 17, 21, 26])
        // 25 not JSON: skipped; 28 update_plan, never answered (the turn was aborted on line 29).
        #expect(read.skippedLines == [25])
        #expect(read.ignoredLines == [28])
        #expect(read.ignoredKinds == ["unanswered call"])
    }

    @Test("a turn's usage is the difference of the cumulative totals, and a call's only when the turn made one call")
    func tokensFromCumulativeTotals() throws {
        let rows = try Read(Codex.handMade, reader: CodexReader(options: TelemetryOptions(allTools: true))).metrics
        let known = rows.filter(\.hasKnownTokens).map { ($0.runId ?? "", $0.tokensIn, $0.cacheReadTokens ?? -1, $0.tokensOut) }
        // Turn 1 (lines 5-7): 5000 - 4000 cached = 1000 in, 4000 cache read, 120 out.
        // Turn 3 (lines 14-18): (18000 - 11500) - (15000 - 9000) = 500 in, 6000 cache read, 420 - 300 = 120 out.
        // Turn 4 (lines 19-24): (24000 - 18000) - (20000 - 15000) = 1000 in, 5000 cache read, 500 - 420 = 80 out.
        #expect(known.map(\.0) == ["call_mcp1", "call_mcp2", "call_sh3"].map { "codex:\(Codex.session):\($0)" })
        #expect(known.map(\.1) == [1_000, 500, 1_000])
        #expect(known.map(\.2) == [4_000, 6_000, 5_000])
        #expect(known.map(\.3) == [120, 120, 80])
        // Turn 2 made two calls (lines 11, 12); call_mcp3's turn ends with no token_count.
        let unknown = rows.filter { !$0.hasKnownTokens }
        #expect(unknown.map(\.runId) == ["call_sh2", "call_sh1", "call_mcp3"].map { "codex:\(Codex.session):\($0)" })
        #expect(unknown.allSatisfy { $0.tokensIn == 0 && $0.tokensOut == 0 && $0.cacheReadTokens == nil && $0.tokensKnown == false })
    }

    @Test("a total that goes down (a reset counter) gives no usage; a turn made of an MCP end event alone owns its usage")
    func resetTotals() throws {
        let lines = [
            Codex.line(0, "session_meta", #"{"id":"s"}"#),
            Codex.tokenCount(1, input: 900, cached: 100, output: 50),
            Codex.mcpEnd(2, id: "c1", server: "docs", tool: "search", milliseconds: 250),
            Codex.tokenCount(3, input: 1_500, cached: 300, output: 90),
            Codex.mcpEnd(4, id: "c2", server: "docs", tool: "search", milliseconds: 40),
            Codex.tokenCount(5, input: 10, cached: 0, output: 5),
        ]
        let rows = try Read(lines: lines, reader: CodexReader(options: TelemetryOptions())).metrics
        #expect(rows.map(\.runId) == ["codex:s:c1", "codex:s:c2"])
        // c1: (1500 - 900) - (300 - 100) = 400 in, 200 cache read, 90 - 50 = 40 out.
        #expect(rows.first?.tokensIn == 400 && rows.first?.cacheReadTokens == 200 && rows.first?.tokensOut == 40)
        // Its start is the event's time less its duration: 12:00:02.000 - 250 ms.
        #expect(rows.first?.timestamp == Codex.noon + 2_000 - 250 && rows.first?.executionMs == 250)
        // c2: 1500 -> 10 went down: unknown.
        #expect(rows.last?.hasKnownTokens == false)
    }

    @Test("a rollout still being written (its last line cut short) leaves the rows of its open turn ignored")
    func cutShort() throws {
        let lines = [
            Codex.line(0, "session_meta", #"{"id":"s"}"#),
            Codex.mcpEnd(1, id: "c1", server: "docs", tool: "search", milliseconds: 250),
        ]
        let reader = CodexReader(options: TelemetryOptions())
        // The token_count that would end c1's turn is cut short, without its newline: c1 (line 2) is ignored,
        // so that importing the completed file later stores it with its tokens.
        let cut = try Read(text: lines.joined(separator: "\n") + "\n" + #"{"timestamp":"2026-03-02T12:00:02.000Z","type":"event_msg","payload":{"type":"tok"#, reader: reader)
        #expect(cut.metrics.isEmpty)
        #expect(cut.ignoredLines == [3, 2])
        // Complete, without a token_count, the same row is stored with unknown tokens.
        let whole = try Read(lines: lines, reader: reader)
        #expect(whole.metrics.map(\.runId) == ["codex:s:c1"])
        #expect(whole.metrics.first?.hasKnownTokens == false)
    }

    @Test("importing the same rollout twice adds nothing: run ids are codex:<session>:<call_id>")
    func reimport() async throws {
        let db = try ProfilerDB.inMemory()
        let importer = Importer(store: db)
        let options = Importer.Options(format: .codex, telemetry: TelemetryOptions(allTools: true))
        let first = try await importer.run([ImportInput(path: Codex.handMade)], options: options)
        #expect(first.imported == 6 && first.ignored == 1 && first.rejected == 1 && first.duplicates == 0)
        let second = try await importer.run([ImportInput(path: Codex.handMade)], options: options)
        #expect(second.imported == 0 && second.duplicates == 6)
        // Without --all-tools the MCP rows are the same rows, already stored.
        let mcpOnly = try await importer.run([ImportInput(path: Codex.handMade)], options: Importer.Options(format: .codex))
        #expect(mcpOnly.imported == 0 && mcpOnly.duplicates == 3)
    }

    @Test("a rollout is detected from its first line")
    func detection() throws {
        #expect(try Importer.detectFormat(of: ImportInput(path: Codex.handMade)) == .codex)
        #expect(try Importer.detectFormat(of: ImportInput(path: Codex.real0146)) == .codex)
    }

    @Test("a file with no rollout line is refused by --from codex, saying what it looks like")
    func notARollout() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("runs.jsonl")
        try #"{"skill_id":"a","execution_ms":1,"tokens_in":1,"tokens_out":1,"success":true,"timestamp":1795132800000}"#
            .appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        let db = try ProfilerDB.inMemory()
        await #expect(throws: ImportError.unreadableInput(
            file: path, problem: "holds no OpenAI Codex CLI rollout line: it looks like metric JSONL; import it without --from codex"
        )) {
            try await Importer(store: db).run([ImportInput(path: path)], options: Importer.Options(format: .codex))
        }
    }

    // MARK: - Real rollouts

    /// Codex CLI 0.146 (`codex-rollout-0.146.jsonl`). Lines 1-25 are one turn with real values
    /// (all at 2026-08-03T10:48:56.000Z): calls on lines 9 (custom_tool_call shell, call-1, answered
    /// on 21), 10 (function_call shell, call-2, answered on 11), 12 (tool_search_call, call-3, answered
    /// on 13), 14 (web_search_call, no row) and the MCP end event of line 16 (call-5, no call before it,
    /// server example, tool example_tool, duration 0 s 4_000_000 ns = 4 ms); token_count on line 22.
    /// From line 26 on, timestamps read "[trimmed for fixture]".
    @Test("the real 0.146 rollout: one MCP call, tokens unknown (its turn made five calls)")
    func real0146() throws {
        let read = try Read(Codex.real0146, reader: CodexReader(options: TelemetryOptions()))
        let session = "019fc8be-3658-7ca3-9e29-000000000000"
        // 2026-08-03T10:48:56.000Z = 1_785_754_136_000 ms; less the 4 ms duration.
        #expect(read.metrics == [
            SkillMetrics(
                skillId: "mcp:example/example_tool", executionMs: 4, tokensIn: 0, tokensOut: 0, success: true,
                timestamp: 1_785_754_136_000 - 4, model: "gpt-5.6-luna", sessionId: session,
                runId: "codex:\(session):call-5", source: "codex", tokensKnown: false),
        ])
        // MCP end events without a usable timestamp (lines 40, 52, 53, 90, 95).
        #expect(read.ignoredLines == [40, 52, 53, 90, 95])
        let all = try Read(Codex.real0146, reader: CodexReader(options: TelemetryOptions(allTools: true)))
        // Emitted at line 22, in the order their outputs came: 11, 13, 16 (the MCP event), 21.
        #expect(all.metrics.map(\.skillId) == ["tool:shell", "tool:tool_search", "mcp:example/example_tool", "tool:shell"])
        #expect(all.metrics.map(\.runId) == ["call-2", "call-3", "call-5", "call-1"].map { "codex:\(session):\($0)" })
        #expect(all.metrics.map(\.executionMs) == [0, 0, 4, 0])
        #expect(all.metrics.allSatisfy { $0.success && !$0.hasKnownTokens })
        // Also the calls with trimmed timestamps: tool_search_call 43, custom_tool_call 103, function_call 114.
        #expect(all.ignoredLines == [40, 43, 52, 53, 90, 95, 103, 114])
    }

    @Test("agentsview's rollout: two calls with one call_id and no output make no row")
    func realUnansweredCalls() throws {
        let path = Codex.otherAgents.appendingPathComponent("codex-function-calls.jsonl").path
        #expect(try Read(path, reader: CodexReader(options: TelemetryOptions())).items.isEmpty)
        let all = try Read(path, reader: CodexReader(options: TelemetryOptions(allTools: true)))
        #expect(all.metrics.isEmpty)
        // shell_command (line 3) and apply_patch (line 4) share call_test; neither is answered.
        #expect(all.ignoredLines == [3, 4])
    }

    @Test("the real 0.53 rollout holds usage and rate limits but no call")
    func real053() throws {
        let read = try Read(Codex.otherAgents.appendingPathComponent("codex-rollout.jsonl").path, reader: CodexReader(options: TelemetryOptions(allTools: true)))
        #expect(read.items.isEmpty)
    }
}

// MARK: - Fixtures

/// The Codex fixtures and the rows the hand-made one should give.
enum Codex {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let otherAgents = fixtures.appendingPathComponent("other-agents")
    static let session = "5f3c2a10-0b1e-4c8d-9a7e-1d2c3b4a5f60"
    static let handMade = fixtures.appendingPathComponent("codex/rollout-2026-03-02T10-00-00-\(session).jsonl").path
    static let real0146 = otherAgents.appendingPathComponent("codex-rollout-0.146.jsonl").path

    /// 2026-03-02T10:00:00.000Z (09:00 is 1_772_442_000_000).
    static let ten: Int64 = 1_772_445_600_000
    /// 2026-03-02T12:00:00.000Z, for the inline lines.
    static let noon: Int64 = 1_772_452_800_000

    /// A row of the session; `tokens` `nil` for unknown tokens.
    static func row(
        _ skill: String, _ call: String, at start: Int64, ms: Int64, failure: String? = nil, model: String,
        tokens: (in: Int64, cacheRead: Int64, out: Int64)? = nil, metadata: String? = nil
    ) -> SkillMetrics {
        expectedAgentRow(
            source: "codex", skill: skill, runId: "codex:\(session):\(call)", session: session, timestamp: ten + start,
            ms: ms, failure: failure, model: model, tokens: tokens, metadata: metadata)
    }

    /// By run id. Times are milliseconds after 10:00:00.000.
    static let expected: [String: SkillMetrics] = Dictionary(uniqueKeysWithValues: [
        // Line 6 (02.000) github__create_issue; its end event (line 9) says 1 s + 250_000_000 ns = 1250 ms.
        // Turn 1 (lines 5-7) made this one call: 5000 in - 4000 cached = 1000, cache 4000, 120 out, 64 reasoning.
        row("mcp:github/create_issue", "call_mcp1", at: 2_000, ms: 1_250, model: "gpt-5-codex", tokens: (1_000, 4_000, 120),
            metadata: #"{"reasoning_tokens":64}"#),
        // Line 12 (04.010) -> output line 14 (04.500) = 490 ms; the JSON output's metadata.exit_code is 0.
        row("tool:shell", "call_sh2", at: 4_010, ms: 490, model: "gpt-5-codex"),
        // Line 11 (04.000) -> output line 15 (09.000) = 5000 ms; exit_code 1.
        row("tool:shell", "call_sh1", at: 4_000, ms: 5_000, failure: "exit code 1: error: CartTests.testTotal failed", model: "gpt-5-codex"),
        // Line 17 (11.000), after the turn_context of line 16 (gpt-5.1-codex); end event line 19: 580_000_000 ns = 580 ms, Err.
        // Turn 3: 500 in, 6000 cache, 120 out, 160 - 128 = 32 reasoning.
        row("mcp:linear/get_issue", "call_mcp2", at: 11_000, ms: 580, failure: "failed: tool call failed: unknown issue ENG-42",
            model: "gpt-5.1-codex", tokens: (500, 6_000, 120), metadata: #"{"reasoning_tokens":32}"#),
        // Line 21 (12.000) -> output line 23 (12.310) = 310 ms; exec_command_end (line 22): exit_code 2 and its stderr.
        // Turn 4: 1000 in, 5000 cache, 80 out, 160 - 160 = 0 reasoning.
        row("tool:shell", "call_sh3", at: 12_000, ms: 310, failure: "exit code 2: ls: cannot access 'build': No such file or directory",
            model: "gpt-5.1-codex", tokens: (1_000, 5_000, 80)),
        // Line 26 (13.500) mcp__sentry__search_issues -> output line 27 (13.900) = 400 ms, no end event; no token_count after.
        row("mcp:sentry/search_issues", "call_mcp3", at: 13_500, ms: 400, model: "gpt-5.1-codex"),
    ].map { ($0.runId ?? "", $0) })

    // MARK: Inline lines, at seconds after 12:00:00Z

    static func line(_ seconds: Int, _ type: String, _ payload: String) -> String {
        #"{"timestamp":"2026-03-02T12:00:\#(String(format: "%02d", seconds)).000Z","type":"\#(type)","payload":\#(payload)}"#
    }

    static func tokenCount(_ seconds: Int, input: Int, cached: Int, output: Int) -> String {
        line(seconds, "event_msg", #"{"type":"token_count","info":{"total_token_usage":{"input_tokens":\#(input),"cached_input_tokens":\#(cached),"output_tokens":\#(output),"reasoning_output_tokens":0}}}"#)
    }

    static func mcpEnd(_ seconds: Int, id: String, server: String, tool: String, milliseconds: Int) -> String {
        line(seconds, "event_msg", #"{"type":"mcp_tool_call_end","call_id":"\#(id)","invocation":{"server":"\#(server)","tool":"\#(tool)"},"duration":{"secs":0,"nanos":\#(milliseconds * 1_000_000)},"result":{"Ok":{"content":[],"isError":false}}}"#)
    }
}
