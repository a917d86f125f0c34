import Foundation
import Testing

@testable import SkillForge

/// The Gemini CLI session importer, on the hand-made JSONL session `Fixtures/gemini/` and on
/// real sessions of both forms (`Fixtures/other-agents/`, see its README). Every expected value
/// is worked out by hand from the lines named in the comments.
@Suite("Gemini CLI sessions")
struct GeminiReaderTests {
    // MARK: - The hand-made session (JSONL)

    @Test("an MCP tool named <server>__<tool> becomes mcp:<server>/<tool>, with its message's tokens")
    func mcpCall() throws {
        let read = try Read(Gemini.handMade, reader: GeminiReader(options: TelemetryOptions()))
        #expect(read.metrics == [Gemini.expected["github__create_issue-1"]])
        #expect(read.metricLines == [4])
        // Line 7 is cut short mid-file (not JSON): skipped and reported. The other tools make no row without
        // --all-tools.
        #expect(read.skippedLines == [7])
        #expect(read.ignoredLines.isEmpty)
    }

    @Test("with --all-tools every ended call becomes tool:<name>; a message written twice is read at its last version")
    func allTools() throws {
        let read = try Read(Gemini.handMade, reader: GeminiReader(options: TelemetryOptions(allTools: true)))
        let ids = ["github__create_issue-1", "read_file-2", "run_shell_command-3", "run_shell_command-5", "run_shell_command-6"]
        #expect(read.metrics.map(\.runId) == ids.map { "gemini:\(Gemini.session):\($0)" })
        for metric in read.metrics {
            #expect(metric == Gemini.expected[String(metric.runId?.split(separator: ":").last ?? "")])
        }
        // g2 is on lines 5 (read_file executing) and 6 (ended): one row each, from line 6.
        #expect(read.metricLines == [4, 6, 6, 8, 9])
        // 7 not JSON: skipped; 8 holds a call without an id.
        #expect(read.skippedLines == [7])
        #expect(read.ignoredLines == [8])
        #expect(read.ignoredKinds == ["incomplete tool call"])
    }

    @Test("importing the same session twice adds nothing")
    func reimport() async throws {
        let db = try ProfilerDB.inMemory()
        let options = Importer.Options(format: .gemini, telemetry: TelemetryOptions(allTools: true))
        let first = try await Importer(store: db).run([ImportInput(path: Gemini.handMade)], options: options)
        #expect(first.imported == 5 && first.ignored == 1 && first.rejected == 1)
        let second = try await Importer(store: db).run([ImportInput(path: Gemini.handMade)], options: options)
        #expect(second.imported == 0 && second.duplicates == 5)
    }

    @Test("both forms are detected")
    func detection() throws {
        #expect(try Importer.detectFormat(of: ImportInput(path: Gemini.handMade)) == .gemini)
        #expect(try Importer.detectFormat(of: ImportInput(path: Gemini.realDocument)) == .gemini)
        #expect(try Importer.detectFormat(of: ImportInput(path: Gemini.realLines)) == .gemini)
    }

    @Test("a document that is not JSON is an invalid record at the line where it goes wrong")
    func brokenDocument() throws {
        let read = try Read(text: "{\n  \"sessionId\": \"s\",\n  \"messages\": [\n    {\"id\": \"m1\",\n", reader: GeminiReader(options: TelemetryOptions()))
        #expect(read.invalid.count == 1)
        #expect(read.items.count == 1)
        if case .invalid(let location, _) = read.items.first { #expect(location.line == 5) }
    }

    // MARK: - Real sessions

    /// `gemini-session-tools.json` (jazzyalex), a pretty-printed document, session
    /// `session-2025-12-16T23-47-b4f17607`. Message m2 (its brace on line 15, 23:47:02.000, 100 in, 10 out,
    /// 0 cached, model gemini-3-flash-preview) calls run_shell_command-1, recorded at
    /// 23:47:03.000 with "Exit Code: 0"; m2b (line 44, 23:47:03.500, no tokens, no model) calls
    /// run_shell_command-2, recorded at 23:47:03.600 with "Exit Code: 1".
    @Test("the real document: two shell calls with --all-tools, the second failing on its exit code")
    func realDocument() throws {
        #expect(try Read(Gemini.realDocument, reader: GeminiReader(options: TelemetryOptions())).items.isEmpty)
        let read = try Read(Gemini.realDocument, reader: GeminiReader(options: TelemetryOptions(allTools: true)))
        let session = "session-2025-12-16T23-47-b4f17607"
        // 2025-12-16T23:47:02.000Z = 1_765_928_822_000 ms.
        let start: Int64 = 1_765_928_822_000
        #expect(read.metrics == [
            SkillMetrics(
                skillId: "tool:run_shell_command", executionMs: 1_000, tokensIn: 100, tokensOut: 10, success: true,
                timestamp: start, model: "gemini-3-flash-preview", tokensEstimated: false, cacheReadTokens: 0,
                sessionId: session, runId: "gemini:\(session):run_shell_command-1", source: "gemini"),
            SkillMetrics(
                skillId: "tool:run_shell_command", executionMs: 100, tokensIn: 0, tokensOut: 0, success: false,
                timestamp: start + 1_500, error: "exit code 1: ls: /non-existent-directory: No such file or directory",
                sessionId: session, runId: "gemini:\(session):run_shell_command-2", source: "gemini", tokensKnown: false),
        ])
        #expect(read.metricLines == [15, 44])
    }

    /// `gemini-session.jsonl` (jazzyalex, Gemini CLI 0.40 JSONL): header line 1, a `$set` on line 3,
    /// line 4 message g-assistant-1 (21:39:35.125, 11855 in, 81 out, 0 cached) with one call,
    /// run_shell_command_stage0, recorded at 21:39:35.364: 239 ms.
    @Test("the real JSONL session: one shell call, with its message's tokens")
    func realLines() throws {
        let read = try Read(Gemini.realLines, reader: GeminiReader(options: TelemetryOptions(allTools: true)))
        let session = "gemini_stage0_jsonl"
        // 2026-04-29T21:39:35.125Z = 1_777_498_775_125 ms.
        #expect(read.metrics == [
            SkillMetrics(
                skillId: "tool:run_shell_command", executionMs: 239, tokensIn: 11_855, tokensOut: 81, success: true,
                timestamp: 1_777_498_775_125, model: "gemini-3-flash-preview", tokensEstimated: false, cacheReadTokens: 0,
                sessionId: session, runId: "gemini:\(session):run_shell_command_stage0", source: "gemini"),
        ])
        #expect(read.metricLines == [4])
        #expect(read.ignoredLines.isEmpty)
    }

    /// `gemini-session.json` (agentsview): one read_file call with no id and no timestamp.
    @Test("the real agentsview document: a call without an id is ignored")
    func realCallWithoutId() throws {
        let read = try Read(Gemini.otherAgents.appendingPathComponent("gemini-session.json").path, reader: GeminiReader(options: TelemetryOptions(allTools: true)))
        #expect(read.metrics.isEmpty)
        // The message holding it starts on line 10.
        #expect(read.ignoredLines == [10])
    }
}

// MARK: - Fixtures

/// The Gemini fixtures and the rows the hand-made one should give.
enum Gemini {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let otherAgents = fixtures.appendingPathComponent("other-agents")
    static let session = "7c1e9a42-3b5d-4f60-8e21-9d0c4b7a6e13"
    static let handMade = fixtures.appendingPathComponent("gemini/session-2026-03-02T11-00-7c1e9a42.jsonl").path
    static let realDocument = otherAgents.appendingPathComponent("gemini-session-tools.json").path
    static let realLines = otherAgents.appendingPathComponent("gemini-session.jsonl").path

    /// 2026-03-02T11:00:00.000Z (10:00 is 1_772_445_600_000).
    static let eleven: Int64 = 1_772_449_200_000

    /// A row of the session; `tokens` `nil` for unknown tokens.
    static func row(
        _ skill: String, _ call: String, at start: Int64, ms: Int64, failure: String? = nil, model: String,
        tokens: (in: Int64, cacheRead: Int64, out: Int64)? = nil, metadata: String? = nil
    ) -> SkillMetrics {
        expectedAgentRow(
            source: "gemini", skill: skill, runId: "gemini:\(session):\(call)", session: session, timestamp: eleven + start,
            ms: ms, failure: failure, model: model, tokens: tokens, metadata: metadata)
    }

    /// By call id. Times are milliseconds after 11:00:00.000.
    static let expected: [String: SkillMetrics] = [
        // Line 4: message g1 at 03.000, its one call recorded at 04.250 = 1250 ms.
        // tokens: 8000 in - 6000 cached + 0 tool = 2000; 150 out + 40 thoughts = 190; cache 6000.
        "github__create_issue-1": row(
            "mcp:github/create_issue", "github__create_issue-1", at: 3_000, ms: 1_250, model: "gemini-2.5-pro",
            tokens: (2_000, 6_000, 190), metadata: #"{"reasoning_tokens":40}"#),
        // Line 6 (g2's last version): 06.000 -> 06.400 = 400 ms; two calls in g2, so tokens unknown.
        "read_file-2": row("tool:read_file", "read_file-2", at: 6_000, ms: 400, model: "gemini-2.5-pro"),
        // 06.000 -> 07.100 = 1100 ms, status error with the response's error.
        "run_shell_command-3": row(
            "tool:run_shell_command", "run_shell_command-3", at: 6_000, ms: 1_100,
            failure: "error: Command rejected: rm is not allowed", model: "gemini-2.5-pro"),
        // Line 8: g4 at 09.000, cancelled at 10.000 = 1000 ms; g4 has no tokens.
        "run_shell_command-5": row(
            "tool:run_shell_command", "run_shell_command-5", at: 9_000, ms: 1_000, failure: "cancelled", model: "gemini-2.5-pro"),
        // Line 9: g5 at 12.000 -> 12.800 = 800 ms; status success but "Exit Code: 2"; the display's two spaces made one.
        // tokens: 500 - 0 + 30 tool = 530 in, 20 out, 0 cache.
        "run_shell_command-6": row(
            "tool:run_shell_command", "run_shell_command-6", at: 12_000, ms: 800,
            failure: "exit code 2: make: *** No rule to make target 'all'. Stop.", model: "gemini-2.5-flash",
            tokens: (530, 0, 20)),
    ]
}
