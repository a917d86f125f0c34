import Foundation
import Testing

@testable import SkillForge

@Suite("OTLP export round trip")
struct OTLPRoundTripTests {
    /// Rows covering every column set, every optional NULL, and the edges of the mapping.
    static let rows: [SkillMetrics] = [
        SkillMetrics(
            skillId: "summarise", executionMs: 840, tokensIn: 1_200, tokensOut: 310, success: false,
            timestamp: day20 + 1_234, version: "2.1.0", model: "claude-sonnet-4-5", error: "HTTP 529 overloaded",
            tokensEstimated: false, cacheReadTokens: 900, cacheCreationTokens: 64, sessionId: "session-1",
            runId: "run-1", source: "cli", metadata: #"{"attempt":2,"tags":["a","b"],"note":"line\nbreak"}"#,
            costUsd: 0.0123456789),
        SkillMetrics(skillId: "bare", executionMs: 0, tokensIn: 0, tokensOut: 0, success: true, timestamp: day20),
        // Usage given but not known to be estimated or not: NULL, not false.
        SkillMetrics(skillId: "old-row", executionMs: 12, tokensIn: 5, tokensOut: 7, success: true, timestamp: day20, runId: "r-2"),
        SkillMetrics(
            skillId: "estimated", executionMs: 3, tokensIn: 40, tokensOut: 2, success: true, timestamp: day20,
            tokensEstimated: true, cacheReadTokens: 0, cacheCreationTokens: nil, runId: "r-3", source: "profiler",
            costUsd: 1e-9),
        // A failure without a message; a success with one; a failure with one padded with spaces.
        SkillMetrics(skillId: "silent-failure", executionMs: 5, tokensIn: 1, tokensOut: 1, success: false, timestamp: day20, runId: "r-4"),
        SkillMetrics(
            skillId: "noisy-success", executionMs: 5, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20,
            error: "retried once", runId: "r-5"),
        SkillMetrics(
            skillId: "spaced-error", executionMs: 5, tokensIn: 1, tokensOut: 1, success: false, timestamp: day20,
            error: "  padded  "),
        // Text that needs escaping, and characters beyond the BMP.
        SkillMetrics(
            skillId: #"quote " back\slash ✨ 𝄞"#, executionMs: 1, tokensIn: 2, tokensOut: 3, success: false,
            timestamp: MetricLimits.latestTimestamp - 1, version: "v1 ✨", model: "m/1",
            error: "tab\there\nnew line\r\u{01}\u{1F} \u{2028} \"quoted\" \\", sessionId: "s é", runId: "r \"6\"",
            source: "é", metadata: #"{"k":"\u0001 \" \\ ✨"}"#),
        // A run id imported from OTLP: its trace and span ids come back.
        SkillMetrics(
            skillId: "get_weather", executionMs: 150, tokensIn: 0, tokensOut: 0, success: true, timestamp: day20 + 1_100,
            runId: "4bf92f3577b34da6a3ce929d0e0e4736-c000000000000003", source: "otlp"),
        // The largest valid values: the longest run, starting at the last valid instant.
        SkillMetrics(
            skillId: "longest", executionMs: MetricLimits.maximumExecutionMs, tokensIn: MetricLimits.maximumTokens,
            tokensOut: MetricLimits.maximumTokens, success: true, timestamp: MetricLimits.latestTimestamp - 1, runId: "r-7",
            costUsd: MetricLimits.maximumCostUsd),
        // Unknown tokens: written without usage attributes, read back as unknown (not as 0 tokens).
        SkillMetrics(
            skillId: "mcp:fs/read", executionMs: 9, tokensIn: 0, tokensOut: 0, success: true, timestamp: day20,
            runId: "r-8", tokensKnown: false),
    ]

    /// Writes `rows` in batches with the writer, one TracesData per line, and reads them back.
    private func roundTrip(_ rows: [SkillMetrics], batch: Int = 5) throws -> [SkillMetrics] {
        var text = ""
        for start in stride(from: 0, to: rows.count, by: batch) {
            text += OTLPSpanWriter.line(for: Array(rows[start..<min(start + batch, rows.count)])) + "\n"
        }
        let items = try readItems(text)
        #expect(problems(items).isEmpty, "\(problems(items))")
        return metrics(items)
    }

    @Test("writing rows and reading them back gives the same rows, every column and NULL included")
    func readerRoundTrip() throws {
        for row in Self.rows { #expect(row.validationProblem == nil, "\(row.skillId): \(row.validationProblem ?? "")") }
        let back = try roundTrip(Self.rows)
        try #require(back.count == Self.rows.count)
        for (original, copy) in zip(Self.rows, back) {
            #expect(copy == original)
            // Field by field, so a failure names the column.
            #expect(copy.skillId == original.skillId)
            #expect(copy.executionMs == original.executionMs)
            #expect(copy.tokensIn == original.tokensIn && copy.tokensOut == original.tokensOut)
            #expect(copy.success == original.success && copy.timestamp == original.timestamp)
            #expect(copy.version == original.version && copy.model == original.model && copy.error == original.error)
            #expect(copy.tokensEstimated == original.tokensEstimated)
            #expect(copy.cacheReadTokens == original.cacheReadTokens)
            #expect(copy.cacheCreationTokens == original.cacheCreationTokens)
            #expect(copy.sessionId == original.sessionId && copy.runId == original.runId)
            #expect(copy.source == original.source && copy.metadata == original.metadata)
            #expect(copy.tokensKnown == original.tokensKnown)
        }
    }

    @Test("the reader gives back even rows that validation refuses (the importer then reports them)")
    func invalidRowsRoundTrip() throws {
        let rows = [
            SkillMetrics(skillId: "empty-error", executionMs: 5, tokensIn: 1, tokensOut: 1, success: false, timestamp: day20, error: ""),
            SkillMetrics(skillId: "empty-note", executionMs: 5, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20, error: ""),
            SkillMetrics(skillId: "negative", executionMs: -5, tokensIn: -1, tokensOut: 1, success: true, timestamp: day20),
        ]
        #expect(try roundTrip(rows) == rows)
    }

    @Test("a pretty-printed copy of the output reads back the same too (one document over many lines)")
    func prettyPrintedRoundTrip() throws {
        let line = OTLPSpanWriter.line(for: Self.rows)
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        let back = metrics(try readItems(String(decoding: pretty, as: UTF8.self)))
        #expect(back == Self.rows)
    }

    @Test("export, then import into an empty database, stores the same rows (the database assigns ids and missing run ids)")
    func importerRoundTrip() async throws {
        let source = try ProfilerDB.inMemory()
        try await source.insert(contentsOf: Self.rows)
        let stored = try source.metrics(matching: MetricsFilter(order: .insertion))
        let directory = try TemporaryDirectory()
        let path = directory.path("export.otlp.jsonl")
        let text = stride(from: 0, to: stored.count, by: 4)
            .map { OTLPSpanWriter.line(for: Array(stored[$0..<min($0 + 4, stored.count)])) + "\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try Importer.detectFormat(of: ImportInput(path: path)) == .otlp)

        let target = try ProfilerDB.inMemory()
        let summary = try await Importer(store: target).run([ImportInput(path: path)])
        #expect(summary.imported == Self.rows.count)
        #expect(summary.ignored == 0)
        let imported = try target.metrics(matching: MetricsFilter(order: .insertion))
        try #require(imported.count == stored.count)
        for (original, copy) in zip(stored, imported) {
            var expected = original
            expected.id = copy.id
            if expected.runId == nil { expected.runId = RunIdentity.derived(for: original) }
            #expect(copy == expected)
        }
    }

    @Test("the output is OTLP JSON: hex ids, 64-bit integers as strings, kind INTERNAL, GenAI attributes")
    func outputStructure() throws {
        let line = OTLPSpanWriter.line(for: Self.rows)
        #expect(!line.contains("\n"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Array(root.keys) == ["resourceSpans"])
        let resourceSpans = try #require(root["resourceSpans"] as? [[String: Any]])
        try #require(resourceSpans.count == 1)
        let resource = try #require(resourceSpans[0]["resource"] as? [String: Any])
        let resourceAttributes = try #require(resource["attributes"] as? [[String: Any]])
        #expect(resourceAttributes.contains { ($0["key"] as? String) == "service.name" && (($0["value"] as? [String: Any])?["stringValue"] as? String) == "skill-forge" })
        let scopeSpans = try #require(resourceSpans[0]["scopeSpans"] as? [[String: Any]])
        let scope = try #require(scopeSpans.first?["scope"] as? [String: Any])
        #expect(scope["name"] as? String == "skill-forge")
        let spans = try #require(scopeSpans.first?["spans"] as? [[String: Any]])
        #expect(spans.count == Self.rows.count)

        func isLowercaseHex(_ value: Any?, length: Int) -> Bool {
            guard let text = value as? String else { return false }
            return text.count == length && text.allSatisfy { "0123456789abcdef".contains($0) } && text.contains { $0 != "0" }
        }
        var spanIds = Set<String>()
        for (span, row) in zip(spans, Self.rows) {
            #expect(isLowercaseHex(span["traceId"], length: 32))
            #expect(isLowercaseHex(span["spanId"], length: 16))
            spanIds.insert(span["spanId"] as? String ?? "")
            #expect(span["parentSpanId"] == nil)
            #expect(span["name"] as? String == "execute_tool \(row.skillId)")
            #expect(span["kind"] as? Int == 1)
            let start = try #require(span["startTimeUnixNano"] as? String)
            let end = try #require(span["endTimeUnixNano"] as? String)
            #expect(start == "\(row.timestamp)000000")
            let endNano = try #require(UInt64(end))
            #expect(endNano >= (try #require(UInt64(start))))
            let attributes = try #require(span["attributes"] as? [[String: Any]])
            var byKey: [String: [String: Any]] = [:]
            for attribute in attributes {
                let key = try #require(attribute["key"] as? String)
                let value = try #require(attribute["value"] as? [String: Any])
                #expect(value.count <= 1, "an AnyValue holds one value: \(key)")
                if let integer = value["intValue"] { #expect(integer is String, "\(key): intValue must be a string") }
                byKey[key] = value
            }
            #expect(byKey["gen_ai.operation.name"]?["stringValue"] as? String == "execute_tool")
            #expect(byKey["gen_ai.tool.name"]?["stringValue"] as? String == row.skillId)
            // Unknown tokens have no usage attributes at all.
            #expect(byKey["gen_ai.usage.input_tokens"]?["intValue"] as? String == (row.hasKnownTokens ? String(row.tokensIn) : nil))
            #expect(byKey["gen_ai.usage.output_tokens"]?["intValue"] as? String == (row.hasKnownTokens ? String(row.tokensOut) : nil))
            #expect(byKey["gen_ai.request.model"]?["stringValue"] as? String == row.model)
            #expect(byKey["gen_ai.conversation.id"]?["stringValue"] as? String == row.sessionId)
            let status = try #require(span["status"] as? [String: Any])
            #expect(status["code"] as? Int == (row.success ? 1 : 2))
        }
        #expect(spanIds.count == Self.rows.count)
        // The span of a run imported from OTLP keeps its trace and span ids.
        #expect(spans[8]["traceId"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(spans[8]["spanId"] as? String == "c000000000000003")
    }

    @Test("ids are deterministic: the same rows give the same text, other run ids other ids")
    func deterministicIds() throws {
        #expect(OTLPSpanWriter.line(for: Self.rows) == OTLPSpanWriter.line(for: Self.rows))
        let a = OTLPSpanWriter.line(for: [run(runId: "a")])
        let b = OTLPSpanWriter.line(for: [run(runId: "b")])
        #expect(a != b)
        #expect(OTLPSpanWriter.line(for: [run(runId: "a")]) == a)
        var buffer: [UInt8] = []
        OTLPSpanWriter.append([run(runId: "a")], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == a)
        #expect(OTLPSpanWriter.line(for: []).hasPrefix(#"{"resourceSpans":"#))
        #expect(metrics(try readItems(OTLPSpanWriter.line(for: []))).isEmpty)
    }
}
