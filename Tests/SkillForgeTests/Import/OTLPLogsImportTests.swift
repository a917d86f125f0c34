import Foundation
import GRDB
import Testing

@testable import SkillForge

/// Imports `paths` into `store`.
private func importTelemetry(
    _ paths: [String], into store: any MetricsStore, options: Importer.Options = Importer.Options(format: .otlpLogs)
) async throws -> Importer.Summary {
    try await Importer(store: store).run(paths.map { ImportInput(path: $0) }, options: options)
}

private func allRows(_ store: any MetricsStore) async throws -> [SkillMetrics] {
    var rows: [SkillMetrics] = []
    for try await row in store.metrics(matching: MetricsFilter(order: .insertion)) { rows.append(row) }
    return rows
}

@Suite("import --from otlp-logs: Claude Code's telemetry")
struct OTLPLogsImportTests {
    @Test("the fixture gives the rows worked out by hand, and the counts of its events", arguments: StoreKind.available)
    func fixtureRows(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let summary = try await importTelemetry([TelemetryFixture.file], into: store)
        #expect(try await allRows(store).byRunId == TelemetryFixture.rows.byRunId)
        // 12 events of runs (line 5 repeats 3), 9 merged into 4 runs; redacted: the third-party request,
        // two custom_skill activations, the unnamed Skill call and the unnamed mcp_tool; ignored: the
        // prompt, the request outside any skill, the Bash call and the metrics line.
        #expect(
            [summary.files, summary.read, summary.events, summary.merged, summary.alreadyMerged, summary.runsInserted,
             summary.runsUpdated, summary.redacted, summary.ignored, summary.rejected, summary.imported]
                == [1, 12, 12, 9, 3, 4, 0, 5, 4, 0, 0] as [Int])
    }

    @Test("with --all-tools every tool call is a row too")
    func allTools() async throws {
        let store = MemoryMetricsStore()
        let summary = try await importTelemetry(
            [TelemetryFixture.file], into: store,
            options: Importer.Options(format: .otlpLogs, telemetry: TelemetryOptions(allTools: true)))
        #expect(try await allRows(store).byRunId == (TelemetryFixture.rows + [TelemetryFixture.bash]).byRunId)
        #expect([summary.events, summary.merged, summary.ignored] == [13, 10, 3] as [Int])
    }

    @Test("small batches (a merge each) update the runs into the same rows; importing again adds nothing", arguments: StoreKind.available)
    func batchesAndIdempotency(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let small = Importer.Options(format: .otlpLogs, batchSize: 2)
        let first = try await importTelemetry([TelemetryFixture.file], into: store, options: small)
        #expect(first.merged == 9 && first.alreadyMerged == 3)
        #expect(first.runsInserted == 4 && first.runsUpdated > 0)
        let again = try await importTelemetry([TelemetryFixture.file], into: store)
        #expect([again.merged, again.alreadyMerged, again.runsInserted, again.runsUpdated] == [0, 12, 0, 0] as [Int])
        #expect(try await allRows(store).byRunId == TelemetryFixture.rows.byRunId)
        if let db = store as? ProfilerDB {
            try expectRollupsMatchRows(db.writer)
            let keys = try await db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM merged_events") }
            #expect(keys == 9)
        }
    }

    @Test("the file's lines in reverse order, and split over two files, give the same rows")
    func outOfOrder() async throws {
        let directory = try TemporaryDirectory()
        let lines = try String(contentsOfFile: TelemetryFixture.file, encoding: .utf8).split(separator: "\n")
        let reversed = try writeFile("reversed.jsonl", lines.reversed().joined(separator: "\n") + "\n", in: directory)
        let store = try ProfilerDB.inMemory()
        _ = try await importTelemetry([reversed], into: store)
        #expect(try await allRows(store).byRunId == TelemetryFixture.rows.byRunId)

        let later = try writeFile("later.jsonl", lines[2...].joined(separator: "\n") + "\n", in: directory)
        let earlier = try writeFile("earlier.jsonl", lines[..<2].joined(separator: "\n") + "\n", in: directory)
        let split = try ProfilerDB.inMemory()
        _ = try await importTelemetry([later], into: split)
        let second = try await importTelemetry([earlier], into: split)
        // Lines 3 to 6 hold line 2 again (the retry), so lines 1 and 2 add only pdf-report's
        // activation and first request (line 1) to its stored run; line 2 was merged already.
        #expect(second.runsUpdated == 1 && second.runsInserted == 0)
        #expect(second.merged == 2 && second.alreadyMerged == 3)
        #expect(try await allRows(split).byRunId == TelemetryFixture.rows.byRunId)
        try expectRollupsMatchRows(split.writer)
    }

    @Test("the format is detected from resourceLogs, on one line or in a pretty-printed document")
    func detection() throws {
        #expect(try Importer.detectFormat(of: ImportInput(path: TelemetryFixture.file)) == .otlpLogs)
        #expect(try Importer.detectFormat(of: ImportInput(path: TelemetryFixture.request)) == .otlpLogs)
    }

    @Test("a malformed event stops the import at its file and line, writing nothing; --skip-invalid reports it and goes on")
    func malformedEvent() async throws {
        let directory = try TemporaryDirectory()
        let lines = try String(contentsOfFile: TelemetryFixture.file, encoding: .utf8).split(separator: "\n")
        // Line 3's first record is the Skill call of pdf-report: its duration becomes "soon".
        let broken = lines[2].replacingOccurrences(of: #"{"key":"duration_ms","value":{"stringValue":"180"}}"#, with: #"{"key":"duration_ms","value":{"stringValue":"soon"}}"#)
        #expect(broken != lines[2])
        let path = try writeFile("broken.jsonl", (lines[..<2] + [Substring(broken)] + lines[3...]).joined(separator: "\n"), in: directory)
        let store = try ProfilerDB.inMemory()
        let error = await #expect(throws: ImportError.self) { try await importTelemetry([path], into: store) }
        #expect(error?.description == #"\#(path):3: claude_code.tool_result: duration_ms "soon": not a number"#)
        #expect(try store.count() == 0)

        var rejected: [String] = []
        let summary = try await Importer(store: store).run(
            [ImportInput(path: path)], options: Importer.Options(format: .otlpLogs, skipInvalid: true)
        ) { event in
            if case .rejected(let location, let problem) = event { rejected.append("\(location): \(problem)") }
        }
        #expect(rejected == [#"\#(path):3: claude_code.tool_result: duration_ms "soon": not a number"#])
        #expect(summary.rejected == 1 && summary.merged == 8)
        // pdf-report without its Skill call starts at its activation, 2.48 s.
        #expect(try store.metrics(matching: MetricsFilter(skillId: "pdf-report")).map(\.timestamp) == [TelemetryFixture.t + 2_480])
    }
}
