import Foundation
import Testing

@testable import SkillForge

/// The Claude Code transcript importer, on hand-made transcripts whose every expected
/// value is computed by hand in the comments below.
///
/// The fixture project `Fixtures/claude-code/-Users-dana-code-invoice-tool` holds:
/// - `8f14e45f-….jsonl`, the main session (47 lines): skills `pdf` (a failing Bash call,
///   a message written on three lines), `xlsx`, two `mcp__github__create_issue` calls
///   (one failing), `frontend-design` (on Opus, starting a subagent), an MCP call left
///   without a result, and seven lines that are no use: `summary`,
///   `file-history-snapshot`, `system`, an invented `turn-telemetry`, an assistant line
///   whose `message` is a string, a line that is not JSON, the unanswered MCP call;
/// - `8f14e45f-…/subagents/agent-a3f7c2e1.jsonl`, the subagent started by
///   `frontend-design` (sidechain lines on Haiku), running `pdf` itself;
/// - `agent-5e1d9b07.jsonl`, a warm-up agent at the project root: no skill;
/// - `c9f0f895-….jsonl`, a second session still being written: `xlsx`, then `pdf`
///   cut short by a truncated last line.
///
/// All times are on 2026-03-02 (UTC); 09:00:00.000Z is 1_772_442_000_000 ms.
@Suite("Claude Code transcripts")
struct ClaudeCodeReaderTests {
    // MARK: - Reading the fixtures

    @Test("the main session gives pdf, xlsx, two MCP calls and frontend-design, in the order they end")
    func mainSession() throws {
        let read = try Read(Fixture.mainSession)
        #expect(read.metrics.map(\.runId) == [
            "toolu_01PdfSkill", "toolu_04XlsxSkill", "toolu_07GithubIssue", "toolu_08GithubIssue",
            "toolu_09FrontendSkill",
        ])
        read.metrics.forEach { expectFixtureRow($0) }
        // Each row's location is its tool_use line.
        #expect(read.metricLines == [5, 16, 26, 29, 35])
        #expect(read.invalid.isEmpty)
    }

    @Test("ignored, by kind: summary, snapshot, system, an invented type, a wrong shape, an unanswered MCP call")
    func mainSessionIgnored() throws {
        let read = try Read(Fixture.mainSession)
        // 1 summary, 2 file-history-snapshot, 22 system, 31 turn-telemetry, 32 an assistant line whose
        // "message" is a string, 47 mcp__github__list_pull_requests without a result.
        #expect(read.ignoredLines == [1, 2, 22, 31, 32, 47])
        #expect(
            read.ignoredKinds == [
                "summary line", "file-history-snapshot line", "system line", "turn-telemetry line",
                "odd-shaped assistant line", "unanswered call",
            ])
    }

    @Test("a line mid-file that is not JSON could not be read: skipped and reported, not fatal")
    func mainSessionSkipped() throws {
        let read = try Read(Fixture.mainSession)
        // Line 33 holds a raw newline inside a string: "content":"Make the landing pa⏎.
        #expect(read.skippedLines == [33])
        #expect(read.invalid.isEmpty)
    }

    @Test("a message written on several lines counts its usage once")
    func messageCountedOnce() throws {
        let pdf = try #require(try Read(Fixture.mainSession).metrics.first { $0.skillId == "pdf" })
        // Counting every line would give 1200 * 3 + 800 + 600 = 5000 tokens in.
        #expect(pdf.tokensIn == 2_600)
        #expect(pdf.tokensOut == 670)
        #expect(pdf.cacheReadTokens == 41_500)
    }

    @Test("a failing tool call inside a skill fails the execution and names the tool")
    func failingToolCall() throws {
        let read = try Read(Fixture.mainSession)
        let failures = read.metrics.filter { !$0.success }
        #expect(failures.map(\.runId) == ["toolu_01PdfSkill", "toolu_08GithubIssue"])
        #expect(failures.first?.error?.hasPrefix("Bash: Exit code 127") == true)
    }

    @Test("MCP calls become mcp:<server>/<tool> rows with estimated tokens")
    func mcpCalls() throws {
        let mcp = try Read(Fixture.mainSession).metrics.filter { $0.skillId.hasPrefix("mcp:") }
        #expect(mcp.map(\.skillId) == ["mcp:github/create_issue", "mcp:github/create_issue"])
        #expect(mcp.map(\.executionMs) == [1_500, 800])
        #expect(mcp.map(\.success) == [true, false])
        #expect(mcp.allSatisfy { $0.tokensEstimated == true && $0.cacheReadTokens == nil })
        #expect(mcp.map(\.tokensOut) == [28, 21])
        #expect(mcp.map(\.tokensIn) == [17, 17])
    }

    @Test("a subagent file is read like any other; its lines are sidechain lines")
    func subagent() throws {
        let read = try Read(Fixture.subagent)
        #expect(read.metrics.map(\.runId) == ["toolu_21PdfSkill"])
        read.metrics.forEach { expectFixtureRow($0) }
        #expect(read.metricLines == [3])
        #expect(read.ignoredLines.isEmpty)
        // The warm-up agent at the project root runs no skill: nothing to read, nothing ignored.
        let warmup = try Read(Fixture.warmup)
        #expect(warmup.items.isEmpty)
    }

    @Test("a truncated last line is ignored, and so is the execution it leaves open")
    func truncatedLastLine() throws {
        let read = try Read(Fixture.liveSession)
        #expect(read.metrics.map(\.runId) == ["toolu_31XlsxSkill"])
        read.metrics.forEach { expectFixtureRow($0) }
        // 1 queue-operation, 12 the cut line; 10 the pdf execution still open when the file stops mid-line.
        #expect(read.ignoredLines == [1, 12, 10])
        #expect(read.ignoredKinds == ["queue-operation line", "unfinished last line", "unfinished run"])
        #expect(read.invalid.isEmpty)
    }

    // MARK: - Importing

    @Test("importing the project stores every row with every field, and counts the ignored lines")
    func importProject() async throws {
        let db = try ProfilerDB.inMemory()
        let inputs = try ImportInput.jsonlFiles(under: Fixture.project.path)
        #expect(inputs.count == 4)
        let summary = try await Importer(store: db).run(inputs, options: Importer.Options(format: .claudeCode))
        #expect(summary.files == 4)
        // 7 rows and the main session's unreadable line 33.
        #expect(summary.read == 8)
        #expect(summary.imported == 7)
        #expect(summary.duplicates == 0)
        #expect(summary.rejected == 1)
        // 6 in the main session + 0 in the subagent + 0 in the warm-up + 3 in the live session.
        #expect(summary.ignored == 9)
        #expect(
            summary.ignoredKinds == [
                "summary line": 1, "file-history-snapshot line": 1, "system line": 1, "turn-telemetry line": 1,
                "odd-shaped assistant line": 1, "unanswered call": 1, "queue-operation line": 1,
                "unfinished last line": 1, "unfinished run": 1,
            ])
        let stored = try db.metrics(matching: MetricsFilter())
        #expect(stored.count == 7)
        for var row in stored {
            #expect(row.id != nil)
            row.id = nil
            expectFixtureRow(row, costs: Fixture.importedCosts)
        }
        #expect(Set(stored.compactMap(\.runId)) == Set(Fixture.expected.keys))
    }

    @Test("importing the same transcripts twice stores nothing the second time")
    func importTwice() async throws {
        let db = try ProfilerDB.inMemory()
        let importer = Importer(store: db)
        let inputs = try ImportInput.jsonlFiles(under: Fixture.project.path)
        let first = try await importer.run(inputs, options: Importer.Options(format: .claudeCode))
        let second = try await importer.run(inputs, options: Importer.Options(format: .claudeCode))
        #expect(first.imported == 7)
        #expect(second.imported == 0)
        #expect(second.duplicates == 7)
        #expect(second.read == 8)
        #expect(second.ignored == 9)
        #expect(try db.metrics(matching: MetricsFilter()).count == 7)
    }

    @Test("imports with --skip-invalid too (one reading, the same rows)")
    func importSkippingInvalid() async throws {
        let db = try ProfilerDB.inMemory()
        let inputs = try ImportInput.jsonlFiles(under: Fixture.project.path)
        let summary = try await Importer(store: db).run(inputs, options: Importer.Options(format: .claudeCode, skipInvalid: true))
        #expect(summary.imported == 7)
        #expect(summary.ignored == 9)
        #expect(summary.rejected == 1)
    }

    // MARK: - Format detection

    @Test("every fixture's first line is detected as a transcript", arguments: [
        Fixture.mainSession, Fixture.subagent, Fixture.warmup,
        Fixture.liveSession,
    ])
    func detection(path: String) throws {
        #expect(try Importer.detectFormat(of: ImportInput(path: path)) == .claudeCode)
    }

    @Test("transcript lines of every kind are detected, metric lines are not")
    func detectFirstLines() {
        // The main session starts with a summary, which has no sessionId: too narrow a test missed it.
        #expect(ImportFormat.detect(firstLine: #"{"type":"summary","summary":"Invoices","leafUuid":"1f0c"}"#) == .claudeCode)
        #expect(
            ImportFormat.detect(
                firstLine: #"{"type":"file-history-snapshot","messageId":"8d2e","snapshot":{},"isSnapshotUpdate":false}"#)
                == .claudeCode)
        #expect(
            ImportFormat.detect(firstLine: #"{"type":"queue-operation","operation":"dequeue","sessionId":"s1"}"#)
                == .claudeCode)
        #expect(
            ImportFormat.detect(firstLine: #"{ "parentUuid": null, "sessionId": "s1", "type": "user", "uuid": "u1" }"#)
                == .claudeCode)
        #expect(ImportFormat.detect(firstLine: #"{"type":"some-future-kind","uuid":"u1","sessionId":"s1"}"#) == .claudeCode)
        // A cut first line falls back to reading its text.
        #expect(ImportFormat.detect(firstLine: #"{"sessionId":"s1","type":"user","message":{"content":"hal"#) == .claudeCode)
        // Metric lines, even with a camelCase sessionId or a type, stay JSONL.
        #expect(ImportFormat.detect(firstLine: #"{"skillId":"pdf","executionMs":1,"sessionId":"s1","type":"user"}"#) == .jsonl)
        #expect(ImportFormat.detect(firstLine: #"{"skill_id":"pdf","execution_ms":1,"tokens_in":1}"#) == .jsonl)
        #expect(ImportFormat.detect(firstLine: #"{"resourceSpans":[]}"#) == .otlp)
        #expect(ImportFormat.detect(firstLine: "skill_id,execution_ms") == .csv)
    }

    @Test("without a format, the project's files are detected and imported as transcripts")
    func importDetected() async throws {
        let db = try ProfilerDB.inMemory()
        let summary = try await Importer(store: db).run(try ImportInput.jsonlFiles(under: Fixture.project.path))
        #expect(summary.imported == 7)
        #expect(summary.ignored == 9)
    }

    // MARK: - Execution boundaries

    @Test("a Skill call in another message ends the open execution (a nested skill)")
    func nestedSkillCall() throws {
        let read = try Read(lines: [
            T.prompt(0, "Convert report.docx to PDF"),
            T.assistant(1, id: "m1", [T.skillCall("s1", "docx")], usage: (5, 5, 0, 0)),
            T.result(2, "s1", "Launching skill: docx"),
            // Attributed to docx, and calling pdf: docx owns it (tokens, time), then pdf starts.
            T.assistant(4, id: "m2", skill: "docx", [T.skillCall("s2", "pdf")], usage: (100, 10, 0, 0)),
            T.result(5, "s2", "Launching skill: pdf"),
            T.assistant(9, id: "m3", skill: "pdf", [T.text("Done.")], usage: (200, 20, 0, 0)),
        ])
        #expect(read.metrics.map(\.skillId) == ["docx", "pdf"])
        // docx: 1 s -> 4 s, 100 in; pdf: 4 s -> 9 s, 200 in (its calling line belongs to docx).
        #expect(read.metrics.map(\.executionMs) == [3_000, 5_000])
        #expect(read.metrics.map(\.tokensIn) == [100, 200])
        #expect(read.metrics.map(\.timestamp) == [T.base + 1_000, T.base + 4_000])
    }

    @Test("an assistant line attributed to no skill, or to another, ends the execution")
    func attributionEnds() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.skillCall("s1", "pdf")], usage: (1, 1, 0, 0)),
            T.assistant(3, id: "m2", skill: "pdf", [T.text("a")], usage: (10, 1, 0, 0)),
            T.assistant(7, id: "m3", skill: "xlsx", [T.text("b")], usage: (20, 2, 0, 0)),
            T.assistant(8, id: "m4", skill: "pdf", [T.text("c")], usage: (30, 3, 0, 0)),
        ])
        // Only m2: m3 (another skill) ends it; m4 comes after, with no open execution.
        #expect(read.metrics.map(\.tokensIn) == [10])
        #expect(read.metrics.map(\.executionMs) == [3_000])
    }

    @Test("isMeta lines, system lines, foreign tool results and the rest of the calling message do not end it")
    func neutralLines() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.text("Using pdf and listing files.")], usage: (1, 1, 0, 0)),
            T.assistant(1, id: "m1", [T.skillCall("s1", "pdf")], usage: (1, 1, 0, 0)),
            T.assistant(1, id: "m1", [T.toolUse("b0", "Bash", #"{"command":"ls"}"#)], usage: (1, 1, 0, 0)),
            T.result(2, "s1", "Launching skill: pdf"),
            T.result(30, "b0", "a.pdf"),  // not the skill's call: does not extend it
            #"{"type":"user","isMeta":true,"message":{"role":"user","content":[{"type":"text","text":"Base directory for this skill: /skills/pdf"}]},"timestamp":"2026-03-02T12:00:02.000Z"}"#,
            #"{"type":"system","subtype":"informational","content":"hook ran","timestamp":"2026-03-02T12:00:03.000Z"}"#,
            T.assistant(6, id: "m2", skill: "pdf", [T.text("Reading.")], usage: (50, 5, 0, 0)),
        ])
        #expect(read.metrics.count == 1)
        #expect(read.metrics.first?.executionMs == 5_000)
        #expect(read.metrics.first?.tokensIn == 50)
        #expect(read.ignoredLines == [7])  // the system line
    }

    @Test("Skill calls in one message run side by side, each owning its attributed lines")
    func parallelSkills() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.skillCall("s1", "pdf"), T.skillCall("s2", "xlsx")], usage: (1, 1, 0, 0)),
            T.result(1, "s1", "Launching skill: pdf"),
            T.result(1, "s2", "Launching skill: xlsx"),
            T.assistant(4, id: "m2", skill: "pdf", [T.toolUse("t1", "Read", "{}")], usage: (10, 1, 0, 0)),
            T.assistant(6, id: "m3", skill: "xlsx", [T.toolUse("t2", "Write", "{}")], usage: (20, 2, 0, 0)),
            T.result(8, "t1", "ok", error: true),
            T.result(9, "t2", "ok"),
            T.prompt(20, "thanks"),
        ])
        #expect(read.metrics.map(\.skillId) == ["pdf", "xlsx"])
        #expect(read.metrics.map(\.tokensIn) == [10, 20])
        #expect(read.metrics.map(\.executionMs) == [8_000, 9_000])
        #expect(read.metrics.map(\.success) == [false, true])
        #expect(read.metrics.first?.error == "Read: ok")
    }

    @Test("a long failing output gives an error message of at most 500 characters, on one line")
    func longError() throws {
        let output = (1...2_000).map { "FAIL test_\($0) expected 1, got 2\\n" }.joined()
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.skillCall("s1", "tests")], usage: (1, 1, 0, 0)),
            T.assistant(1, id: "m2", skill: "tests", [T.toolUse("b1", "Bash", #"{"command":"pytest"}"#)], usage: (1, 1, 0, 0)),
            T.result(9, "b1", "Exit code 1\\n" + output, error: true),
        ])
        let error = try #require(read.metrics.first?.error)
        #expect(error.count == 500)
        #expect(error.hasPrefix("Bash: Exit code 1 FAIL test_1 expected 1, got 2 FAIL test_2"))
        #expect(!error.contains("\n"))
    }

    @Test("a message's lines reporting growing counts keep the largest of each")
    func growingUsage() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m0", [T.skillCall("s1", "pdf")], usage: (1, 1, 0, 0)),
            T.assistant(1, id: "m1", skill: "pdf", [T.text("a")], usage: (300, 1, 900, 40)),
            T.assistant(2, id: "m1", skill: "pdf", [T.text("b")], usage: (300, 75, 900, 40)),
            // The same message id with another requestId is another API call.
            T.assistant(3, id: "m1", request: "r2", skill: "pdf", [T.text("c")], usage: (10, 5, 0, 0)),
        ])
        let metric = try #require(read.metrics.first)
        #expect(metric.tokensIn == 310)
        #expect(metric.tokensOut == 80)
        #expect(metric.cacheReadTokens == 900)
        #expect(metric.cacheCreationTokens == 40)
        #expect(metric.metadata == #"{"messages":2,"tool_calls":0}"#)
    }

    @Test("sidechain lines interleaved in a main transcript do not end the main execution")
    func interleavedSidechain() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.skillCall("s1", "pdf")], usage: (1, 1, 0, 0)),
            T.assistant(2, id: "m2", skill: "pdf", [T.toolUse("task", "Task", "{}")], usage: (10, 1, 0, 0)),
            T.assistant(3, id: "x1", sidechain: true, [T.text("subagent at work")], usage: (99, 9, 0, 0)),
            T.result(5, "task", "done"),
            T.assistant(6, id: "m3", skill: "pdf", [T.text("Done.")], usage: (20, 2, 0, 0)),
        ])
        #expect(read.metrics.map(\.tokensIn) == [30])
        #expect(read.metrics.map(\.executionMs) == [6_000])
    }

    @Test("the legacy input.command and a leading slash name the skill")
    func skillNames() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.toolUse("s1", "Skill", #"{"command":"/deploy-check staging"}"#)], usage: (1, 1, 0, 0)),
            T.assistant(1, id: "m2", skill: "deploy-check", [T.text("ok")], usage: (7, 1, 0, 0)),
            T.prompt(2, "next"),
            T.assistant(3, id: "m3", [T.toolUse("s2", "Skill", #"{"skill":"/hygiene","args":"--fast"}"#)], usage: (1, 1, 0, 0)),
        ])
        #expect(read.metrics.map(\.skillId) == ["deploy-check", "hygiene"])
        #expect(read.metrics.map(\.tokensIn) == [7, 0])
    }

    // MARK: - MCP calls

    @Test("an MCP call inside a skill gives its own row and fails the skill when it fails")
    func mcpInsideSkill() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.skillCall("s1", "triage")], usage: (1, 1, 0, 0)),
            T.assistant(2, id: "m2", skill: "triage", [T.toolUse("c1", "mcp__linear-server__get_issue", #"{"id":"ENG-1"}"#)], usage: (10, 1, 0, 0)),
            T.result(5, "c1", "not found", error: true),
            T.prompt(9, "ok"),
        ])
        #expect(read.metrics.map(\.skillId) == ["mcp:linear-server/get_issue", "triage"])
        let call = read.metrics[0]
        // {"id":"ENG-1"} is 14 bytes -> 4 tokens out; "not found" is 9 bytes -> 3 tokens in.
        #expect(call.tokensOut == 4)
        #expect(call.tokensIn == 3)
        #expect(call.executionMs == 3_000)
        #expect(call.error == "not found")
        #expect(read.metrics[1].success == false)
        #expect(read.metrics[1].error == "mcp__linear-server__get_issue: not found")
        #expect(read.metrics[1].executionMs == 5_000)
    }

    @Test("an MCP result's bytes are its decoded text: escapes and multi-byte characters")
    func mcpResultBytes() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.toolUse("c1", "mcp__notes__search", #"{"q":"café"}"#)], usage: (1, 1, 0, 0)),
            // "\u00e9\n\"x\"\ud83d\ude00" decodes to é (2 bytes) + a newline + "x" in quotes (3) + 😀 (4) = 10 bytes;
            // the image block is not counted.
            #"{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":[{"type":"text","text":"\u00e9\n\"x\"\ud83d\ude00"},{"type":"image","source":{"type":"base64","data":"AAAA"}}]}]},"timestamp":"2026-03-02T12:00:01.000Z"}"#,
        ])
        let call = try #require(read.metrics.first)
        #expect(call.tokensIn == 3)  // ceil(10 / 4)
        #expect(call.tokensOut == 4)  // {"q":"café"} is 13 bytes -> ceil(13 / 4) = 4
    }

    @Test("MCP names without a tool are not MCP calls; calls without an id or a time are ignored")
    func oddMCPCalls() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.toolUse("c1", "mcp__github", "{}")], usage: (1, 1, 0, 0)),
            #"{"type":"assistant","message":{"id":"m2","content":[{"type":"tool_use","id":"c2","name":"mcp__github__get_me","input":{}}]}}"#,
            T.result(1, "c1", "x"),
            T.result(2, "c2", "y"),
        ])
        #expect(read.metrics.isEmpty)
        #expect(read.ignoredLines == [2])
    }

    // MARK: - Odd shapes

    @Test("odd shapes are ignored or read as far as they go, never fatal")
    func oddShapes() throws {
        let read = try Read(lines: [
            "[1, 2, 3]",
            #""just a string""#,
            #"{"type": 42, "uuid": "u"}"#,
            #"{"type":"assistant","message":null}"#,
            #"{"type":"user"}"#,
            "",
            "   ",
            // A Skill call with no skill name, and one with an input that is not an object.
            T.assistant(0, id: "m1", [T.toolUse("s0", "Skill", #"{"args":"x"}"#)], usage: (1, 1, 0, 0)),
            T.assistant(0, id: "m2", [T.toolUse("s9", "Skill", #""pdf""#)], usage: (1, 1, 0, 0)),
            // Content as a string, no usage, negative and fractional counts, a <synthetic> model.
            #"{"type":"assistant","timestamp":"2026-03-02T12:00:01Z","message":{"id":"m3","model":"claude-x","content":[{"type":"tool_use","id":"s1","name":"Skill","input":{"skill":"pdf"}}]}}"#,
            #"{"type":"assistant","attributionSkill":"pdf","timestamp":"2026-03-02T12:00:02Z","message":{"id":"m4","model":"<synthetic>","content":"API Error: 529","usage":{"input_tokens":-5,"output_tokens":2.5}}}"#,
            #"{"type":"assistant","attributionSkill":"pdf","timestamp":"2026-03-02T12:00:04Z","message":{"id":"m5","content":[{"type":"text"},17,null],"usage":{"input_tokens":8,"output_tokens":"9"}}}"#,
            // A user line with content of an odd kind is no prompt; a tool result without an id is content.
            #"{"type":"user","timestamp":"2026-03-02T12:00:05Z","message":{"role":"user","content":{"a":1}}}"#,
        ])
        // Lines 1-2 are no JSON objects: skipped and reported; 3-5 are no use; 6-7 blank (passed, not counted);
        // 8 a Skill call with no name; 9 an input that is not an object.
        #expect(read.skippedLines == [1, 2])
        #expect(read.ignoredLines == [3, 4, 5, 8, 9])
        #expect(
            read.ignoredKinds == [
                "untyped line", "odd-shaped assistant line", "odd-shaped user line", "incomplete tool call",
                "incomplete tool call",
            ])
        let metric = try #require(read.metrics.first)
        #expect(read.metrics.count == 1)
        #expect(metric.skillId == "pdf")
        #expect(metric.executionMs == 3_000)
        #expect(metric.tokensIn == 8)
        #expect(metric.tokensOut == 0)
        #expect(metric.model == "claude-x")  // <synthetic> is no model
        #expect(metric.validationProblem == nil)
    }

    @Test("an execution whose Skill call has no timestamp is ignored; lines without one are not timed")
    func missingTimestamps() throws {
        let read = try Read(lines: [
            #"{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"s1","name":"Skill","input":{"skill":"pdf"}}]}}"#,
            T.assistant(3, id: "m2", skill: "pdf", [T.text("a")], usage: (10, 1, 0, 0)),
            T.prompt(4, "next"),
            T.assistant(10, id: "m3", [T.skillCall("s2", "xlsx")], usage: (1, 1, 0, 0)),
            #"{"type":"assistant","attributionSkill":"xlsx","message":{"id":"m4","content":[],"usage":{"input_tokens":5}}}"#,
            #"{"type":"assistant","attributionSkill":"xlsx","timestamp":"not a time","message":{"id":"m5","content":[],"usage":{"input_tokens":6}}}"#,
        ])
        #expect(read.ignoredLines == [1])
        #expect(read.metrics.map(\.skillId) == ["xlsx"])
        #expect(read.metrics.first?.executionMs == 0)
        #expect(read.metrics.first?.tokensIn == 11)
    }

    @Test("timestamps with fractions, offsets, spaces and as Unix milliseconds")
    func timestampForms() throws {
        let read = try Read(lines: [
            #"{"type":"assistant","timestamp":"2026-03-02T13:00:00+01:00","message":{"id":"m1","content":[{"type":"tool_use","id":"s1","name":"Skill","input":{"skill":"pdf"}}]}}"#,
            #"{"type":"assistant","attributionSkill":"pdf","timestamp":"2026-03-02 12:00:01.25Z","message":{"id":"m2","content":[]}}"#,
            #"{"type":"assistant","attributionSkill":"pdf","timestamp":1772452802999,"message":{"id":"m3","content":[]}}"#,
            #"{"type":"assistant","attributionSkill":"pdf","timestamp":"2026-03-02T12:00:02.5\u0030Z","message":{"id":"m4","content":[]}}"#,
        ])
        let metric = try #require(read.metrics.first)
        #expect(metric.timestamp == T.base)
        #expect(metric.executionMs == 2_999)
    }

    @Test("a line in the middle that is not JSON is skipped, and the execution around it goes on")
    func brokenLineInside() throws {
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.skillCall("s1", "pdf")], usage: (1, 1, 0, 0)),
            #"{"type":"assistant","attributionSkill":"pdf","message":{"id":"#,
            T.assistant(4, id: "m2", skill: "pdf", [T.text("a")], usage: (10, 1, 0, 0)),
        ])
        #expect(read.skippedLines == [2])
        #expect(read.ignoredLines.isEmpty)
        #expect(read.metrics.map(\.executionMs) == [4_000])
    }

    @Test("a row that breaks a validation rule is skipped at its call's line with the reason; the next one is read")
    func invalidRowsAreSkipped() throws {
        let longName = String(repeating: "p", count: MetricLimits.maximumNameLength + 1)
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.skillCall("s1", longName)], usage: (1, 1, 0, 0)),
            T.assistant(1, id: "m2", skill: longName, [T.text("a")], usage: (10, 1, 0, 0)),
            T.assistant(2, id: "m3", [T.skillCall("s2", "pdf")], usage: (1, 1, 0, 0)),
            T.assistant(3, id: "m4", skill: "pdf", [T.text("b")], usage: (Int.max, 250, 0, 0)),
            T.assistant(4, id: "m5", [T.skillCall("s3", "docx")], usage: (1, 1, 0, 0)),
            T.assistant(5, id: "m6", skill: "docx", [T.text("c")], usage: (20, 2, 0, 0)),
        ])
        #expect(read.items.map(\.shape) == [.skipped(1), .skipped(3), .metric(5)])
        #expect(read.items[0].problemText?.hasPrefix("row skipped: invalid skill_id \"ppp") == true)
        #expect(read.items[0].problemText?.hasSuffix(": must be at most 200 characters") == true)
        #expect(read.items[1].problemText?.hasPrefix("row skipped: invalid tokens_in 9223372036854775807: ") == true)
        #expect(read.metrics.map(\.tokensIn) == [20])
    }

    @Test("a line longer than the reader holds is ignored")
    func tooLongLine() throws {
        let huge = String(repeating: "x", count: LineReader.defaultMaximumLineLength + 10)
        let read = try Read(lines: [
            T.assistant(0, id: "m1", [T.skillCall("s1", "pdf")], usage: (1, 1, 0, 0)),
            T.result(1, "s1", huge),
            T.assistant(2, id: "m2", skill: "pdf", [T.text("a")], usage: (10, 1, 0, 0)),
        ])
        #expect(read.ignoredLines == [2])
        #expect(read.metrics.map(\.tokensIn) == [10])
    }

    @Test("an empty file reads nothing; a complete last line without a newline is read")
    func fileEdges() throws {
        // No line at all: nothing read, and no transcript line either.
        #expect(try Read(text: "").items.map(\.shape) == [.unrecognizedInput])
        let read = try Read(text: [
            T.assistant(0, id: "m1", [T.skillCall("s1", "pdf")], usage: (1, 1, 0, 0)),
            T.assistant(2, id: "m2", skill: "pdf", [T.text("a")], usage: (10, 1, 0, 0)),
        ].joined(separator: "\n"))
        #expect(read.metrics.map(\.executionMs) == [2_000])
        #expect(read.ignoredLines.isEmpty)
    }

    // MARK: - Volume

    @Test("a transcript of many sessions reads every execution, reporting progress as it goes")
    func manySessions() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("big.jsonl")
        let session = try String(contentsOfFile: Fixture.mainSession, encoding: .utf8)
        let copies = 100
        var text = ""
        text.reserveCapacity(session.utf8.count * copies)
        for copy in 0..<copies {
            // New tool ids per copy, as another session would have.
            text += session.replacingOccurrences(of: "\"toolu_", with: "\"toolu_\(copy)_")
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var reports: [Int64] = []
        var metrics = 0
        var ignored = 0
        var skipped = 0
        try ClaudeCodeReader().read(ImportInput(path: path)) { reports.append($0) } emit: { item in
            switch item {
            case .metric: metrics += 1
            case .ignored: ignored += 1
            case .skipped: skipped += 1
            case .invalid, .unrecognizedInput, .contribution, .redacted:
                Issue.record("every line is a transcript line, read or skipped")
            }
        }
        // Each copy gives the main session's 5 rows, 6 ignored lines and 1 skipped (line 33, broken JSON);
        // 47 lines a copy make 4_700 lines,
        // so progress is reported at line 4_096 and at the end.
        #expect(metrics == 5 * copies)
        #expect(ignored == 6 * copies)
        #expect(skipped == copies)
        #expect(reports.count == 2)
        #expect(reports == reports.sorted())
        #expect(reports.last == Int64(text.utf8.count))

        let summary = try await Importer(store: try ProfilerDB.inMemory())
            .run([ImportInput(path: path)], options: Importer.Options(format: .claudeCode, batchSize: 100))
        #expect(summary.imported == 5 * copies)
        #expect(summary.ignored == 6 * copies)
        #expect(summary.rejected == copies)
    }
}
