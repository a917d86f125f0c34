import Foundation
import GRDB
import Testing

@testable import SkillForge

/// The first 105 lines of a real Claude Code 2.1.39 session (see Fixtures/realdata-spotter/README.md): one
/// `Skill` call and no line with `attributionSkill`.
private let spotterSession = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/realdata-spotter/ae4a77f8-head105.jsonl").path

@Suite("Unknown tokens: validation, imports, exports and migration")
struct UnknownTokenImportTests {
    // MARK: - Validation

    @Test("a run of unknown tokens has 0 tokens, no cache tokens and no estimate")
    func validation() {
        let unknown = SkillMetrics(
            skillId: "s", executionMs: 1, tokensIn: 0, tokensOut: 0, success: true, timestamp: day20, tokensKnown: false)
        #expect(unknown.validationError == nil)
        #expect(!unknown.hasKnownTokens)
        var counted = unknown
        counted.tokensIn = 5
        #expect(counted.validationError?.description == "invalid tokens_in 5: must be 0 when tokens_known is false")
        var cached = unknown
        cached.cacheReadTokens = 3
        #expect(cached.validationError?.field == "cache_read_tokens")
        var estimated = unknown
        estimated.tokensEstimated = true
        #expect(estimated.validationError?.field == "tokens_estimated")
    }

    // MARK: - JSONL and CSV

    @Test("JSONL: tokensIn and tokensOut may be left out only with tokensKnown false")
    func jsonl() throws {
        let location = SkillForge.SourceLocation(file: "runs.jsonl", line: 1)
        func item(_ line: String) -> ImportItem { JSONLMetricsReader.item(from: Array(line.utf8), at: location) }
        let unknown = item(#"{"skillId":"mcp:fs/read","executionMs":12,"success":true,"timestamp":1795132800000,"tokensKnown":false}"#)
        let metric = try #require(metrics([unknown]).first)
        #expect(metric.tokensKnown == false && metric.tokensIn == 0 && metric.tokensOut == 0)
        #expect(metric.validationError == nil)
        let nulls = item(#"{"skillId":"a","executionMs":1,"success":true,"timestamp":1795132800000,"tokensIn":null,"tokensOut":null,"tokensKnown":false}"#)
        #expect(metrics([nulls]).first?.tokensKnown == false)
        let missing = item(#"{"skillId":"a","executionMs":1,"success":true,"timestamp":1795132800000}"#)
        #expect(problems([missing]).first?.contains("missing tokens_in") == true, "\(problems([missing]))")
        let knownButMissing = item(#"{"skillId":"a","executionMs":1,"tokensOut":3,"success":true,"timestamp":1795132800000,"tokensKnown":true}"#)
        #expect(problems([knownButMissing]).first?.contains("missing tokens_in") == true)
    }

    @Test("CSV: a tokens_known column lets a file leave out the token columns")
    func csv() throws {
        let directory = try TemporaryDirectory()
        let path = try writeFile(
            "runs.csv", "skill_id,execution_ms,success,timestamp,tokens_known\nprobe,40,1,1795132800000,0\n", in: directory)
        let rows = metrics(try readAll(CSVMetricsReader(), path: path).items)
        #expect(rows.map(\.tokensKnown) == [false])
        #expect(rows.map(\.tokensIn) == [0])
    }

    @Test("JSONL and CSV exports write tokens_known, and read back the same rows")
    func exportRoundTrip() throws {
        let rows = [
            SkillMetrics(skillId: "u", executionMs: 5, tokensIn: 0, tokensOut: 0, success: true, timestamp: day20, runId: "u-1", tokensKnown: false),
            SkillMetrics(skillId: "k", executionMs: 5, tokensIn: 3, tokensOut: 4, success: true, timestamp: day20, runId: "k-1"),
        ]
        let directory = try TemporaryDirectory()
        for format in [ExportFormat.jsonl, .csv] {
            let path = directory.path("runs.\(format)")
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            let output = try #require(FileHandle(forWritingAtPath: path))
            let writer = MetricsWriter(format: format, output: output)
            for row in rows { try writer.write(row) }
            try writer.finish()
            try output.close()
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains(format == .csv ? ",0,\n" : #""tokensKnown":false"#), "\(text)")
            let reader: any RecordReader = format == .csv ? CSVMetricsReader() : JSONLMetricsReader()
            #expect(metrics(try readAll(reader, path: path).items) == rows, "\(format)")
        }
    }

    // MARK: - OTLP spans

    @Test("an OTLP tool span without token attributes has unknown tokens; one with usage has known tokens")
    func otlpSpanWithoutUsage() throws {
        func span(_ id: String, _ tool: String, usage: String) -> String {
            #"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"\#(id)","name":"execute_tool \#(tool)","#
                + #""startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800250000000","attributes":["#
                + #"{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},"#
                + #"{"key":"gen_ai.tool.name","value":{"stringValue":"\#(tool)"}}\#(usage)],"status":{"code":1}}"#
        }
        let usage = #",{"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}}"#
        let document = #"{"resourceSpans":[{"scopeSpans":[{"spans":["#
            + span("00f067aa0ba902b7", "read_file", usage: "") + "," + span("00f067aa0ba902b8", "search", usage: usage) + "]}]}]}"
        let rows = metrics(try readItems(document + "\n"))
        #expect(rows.map(\.skillId) == ["read_file", "search"])
        #expect(rows.map(\.tokensKnown) == [false, nil])
        #expect(rows.map(\.tokensIn) == [0, 12])
        #expect(rows.map(\.executionMs) == [250, 250])
        #expect(rows.allSatisfy { $0.validationError == nil })
    }

    // MARK: - Claude Code transcripts

    @Test("a real transcript from before attributionSkill gives its Skill call unknown tokens, not 0")
    func realTranscriptWithoutAttribution() throws {
        let rows = metrics(try readAll(ClaudeCodeReader(), path: spotterSession).items)
        // By hand from lines 73 (the Skill call, 2026-02-12T14:12:33.717Z = 1,770,905,553,717 ms), 71 (a Task
        // issued in the same API message, requestId …CDAhHq), 99 (the Task's result, 14:13:05.070Z =
        // 1,770,905,585,070 ms) and 101 (the Skill's result, 14:13:05.185Z): the launch waited 31,353 ms for the
        // Task and took 115 ms; no line is attributed to the skill.
        let skill = try #require(rows.first { $0.runId == "toolu_01WY1KAUdfMedBJrV6KAtck5" })
        #expect(skill.skillId == "elixir:hex-docs-search")
        #expect(skill.timestamp == 1_770_905_585_070)
        #expect(skill.executionMs == 115)
        #expect(skill.metadata?.contains(#""queued_ms":31353"#) == true)
        #expect(skill.tokensKnown == false)
        #expect(skill.tokensIn == 0 && skill.tokensOut == 0)
        #expect(skill.cacheReadTokens == nil && skill.cacheCreationTokens == nil && skill.tokensEstimated == nil)
        // Its model (claude-opus-4-6) is priced, but unknown tokens leave the cost unknown, not $0.
        #expect(skill.model == "claude-opus-4-6" && skill.costUsd == nil && skill.costEstimated == nil)
        #expect(PriceList.shipped.pricing(skill).costUsd == nil)
        #expect(skill.metadata?.contains(#""messages":0"#) == true)
        #expect(skill.validationError == nil)
    }

    // MARK: - Merged telemetry events

    @Test("a merged run has unknown tokens until an event tells them, in every store", arguments: [false, true])
    func mergedRun(inMemory: Bool) async throws {
        let store: any MetricsStore = inMemory ? MemoryMetricsStore() : try ProfilerDB.inMemory()
        let runId = "claude-code:s1:p1:review"
        let call = RunContribution(
            eventKey: 1, runId: runId, skillId: "review", event: "tool_result", start: day20, end: day20 + 500, succeeded: true)
        #expect(try await store.merge([call]).insertedRuns == 1)
        let early = try #require(try await store.metric(id: 1))
        #expect(early.tokensKnown == false && early.tokensIn == 0 && early.validationError == nil)
        #expect(try await store.skillTotals(matching: MetricsFilter()).skills.first?.totals.tokenRuns == 0)
        let request = RunContribution(
            eventKey: 2, runId: runId, skillId: "review", event: "api_request", start: day20 + 100, end: day20 + 400,
            usage: RunContribution.Usage(input: 1_200, output: 300))
        #expect(try await store.merge([request]).updatedRuns == 1)
        let merged = try #require(try await store.metric(id: 1))
        #expect(merged.tokensKnown == nil && merged.tokensIn == 1_200 && merged.tokensOut == 300)
        let totals = try #require(try await store.skillTotals(matching: MetricsFilter()).skills.first?.totals)
        #expect(totals.runs == 1 && totals.tokenRuns == 1 && totals.tokensInSum == 1_200)
    }

    // MARK: - Migration

    @Test("a v8 file keeps its rows known; the migration fills token_runs and appends tokens_known to idx_skill_runs")
    func migrationFromV8() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.olderDatabase("v8.db", upTo: "v8-merged-events") { db in
            try db.execute(
                sql: """
                    INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp) VALUES
                      ('old', 10, 100, 10, 1, 1795132800000), ('old', 30, 300, 30, 0, 1795136400000),
                      ('older', 5, 0, 0, 1, 1795132800000)
                    """)
        }
        let db = try ProfilerDB(path: path)
        let counts = try await db.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT skill_id, runs, token_runs FROM skill_rollups_all_time ORDER BY skill_id")
                .map { "\($0[0] as String)|\($0[1] as Int)|\($0[2] as Int)" }
        }
        #expect(counts == ["old|2|2", "older|1|1"])
        try expectRollupsMatchRows(db.writer)
        let indexed = try await db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('idx_skill_runs') ORDER BY seqno")
        }
        // v11 appends cost_usd after it.
        #expect(indexed.suffix(2) == ["tokens_known", "cost_usd"] && indexed.count == 13)
        // By hand: old's mean tokens (110 + 330) / 2 = 220 over both runs; older's 0 tokens were measured.
        let summaries = try await Analyzer(store: db).summaries()
        #expect(summaries.map(\.tokenRuns) == [2, 1])
        #expect(summaries.map { $0.tokens?.total.mean } == [220, 0])
    }
}
