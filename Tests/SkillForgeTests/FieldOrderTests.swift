import Foundation
import Testing

@testable import SkillForge

/// A run whose every field holds a value no other field holds: a value stored,
/// read or written in another field's place shows.
private let distinct = SkillMetrics(
    skillId: "skill-a", executionMs: 1_001, tokensIn: 2_002, tokensOut: 3_003, success: true,
    timestamp: day20 + 4_004, version: "version-b", model: "model-c", error: "error-d", tokensEstimated: false,
    cacheReadTokens: 5_005, cacheCreationTokens: 6_006, sessionId: "session-e", runId: "run-f", source: "source-g",
    metadata: #"{"h":8}"#, costUsd: 0.0125, tokensKnown: true, costEstimated: false)

/// Each column of the stored row as the `sqlite3` shell's `quote()` shows it, written out by
/// hand from the values above (day20 + 4,004 = 1,795,132,804,004; booleans are 1 and 0; a REAL
/// as its shortest decimal).
private let expectedColumns: [(column: String, quoted: String)] = [
    ("id", "1"), ("skill_id", "'skill-a'"), ("execution_ms", "1001"), ("tokens_in", "2002"), ("tokens_out", "3003"),
    ("success", "1"), ("timestamp", "1795132804004"), ("version", "'version-b'"), ("model", "'model-c'"),
    ("error", "'error-d'"), ("tokens_estimated", "0"), ("cache_read_tokens", "5005"), ("cache_creation_tokens", "6006"),
    ("session_id", "'session-e'"), ("run_id", "'run-f'"), ("source", "'source-g'"), ("metadata", #"'{"h":8}'"#),
    ("cost_usd", "0.0125"), ("tokens_known", "1"), ("cost_estimated", "0"),
]

/// A metric's own values as a source of fields: all of them, or all but one.
private struct ValuesOf: MetricFieldSource {
    struct Missing: Error, Equatable {
        var field: SkillMetrics.CodingKeys
    }

    var metric: SkillMetrics
    var withheld: SkillMetrics.CodingKeys?

    private func value(_ field: SkillMetrics.CodingKeys) -> SkillMetrics.Value? {
        field == withheld ? nil : metric[field]
    }

    func integer(_ field: SkillMetrics.CodingKeys) throws(Missing) -> Int64? {
        if case .integer(let number)? = value(field) { number } else { nil }
    }

    func text(_ field: SkillMetrics.CodingKeys) throws(Missing) -> String? {
        if case .text(let text)? = value(field) { text } else { nil }
    }

    func boolean(_ field: SkillMetrics.CodingKeys) throws(Missing) -> Bool? {
        if case .boolean(let flag)? = value(field) { flag } else { nil }
    }

    func real(_ field: SkillMetrics.CodingKeys) throws(Missing) -> Double? {
        if case .real(let number)? = value(field) { number } else { nil }
    }

    func missing(_ field: SkillMetrics.CodingKeys) -> Missing { Missing(field: field) }
}

@Suite("Fields are stored, read and written in their own columns")
struct FieldOrderTests {
    @Test("insert, then the sqlite3 shell reads every column by name")
    func storedColumnsByName() throws {
        let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is the independent reader")
        let directory = try TemporaryDirectory()
        let path = directory.path("fields.db")
        try ProfilerDB(path: path).insert(distinct)

        let query = expectedColumns.map { "SELECT '\($0.column)=' || quote(\($0.column)) FROM skill_metrics;" }
        let shown = try runProcess(sqlite3, [path, query.joined(separator: "\n")])
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        #expect(lines == expectedColumns.map { "\($0.column)=\($0.quoted)" })
    }

    @Test("a row written by the sqlite3 shell, column by column, is fetched into the right fields")
    func fetchedFieldsByName() throws {
        let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is the independent writer")
        let directory = try TemporaryDirectory()
        let path = directory.path("fields.db")
        _ = try ProfilerDB(path: path)
        let columns = expectedColumns.map(\.column).joined(separator: ", ")
        let values = expectedColumns.map(\.quoted).joined(separator: ", ")
        let written = try runProcess(sqlite3, [path, "INSERT INTO skill_metrics (\(columns)) VALUES (\(values))"])
        #expect(written.status == 0, "\(written.stderr)")

        var expected = distinct
        expected.id = 1
        #expect(try ProfilerDB(path: path).metric(id: 1) == expected)
    }

    @Test("CSV export: each value under its column's name")
    func csvExport() async throws {
        let db = try ProfilerDB.inMemory()
        try await db.insert(distinct)
        let directory = try TemporaryDirectory()
        let path = directory.path("fields.csv")
        try await Exporter(store: db).export(MetricsFilter(), as: .csv, toFile: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            text == """
                id,skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,version,model,error,tokens_estimated,\
                cache_read_tokens,cache_creation_tokens,session_id,run_id,source,metadata,cost_usd,tokens_known,cost_estimated
                1,skill-a,1001,2002,3003,1,1795132804004,version-b,model-c,error-d,0,5005,6006,session-e,run-f,\
                source-g,"{""h"":8}",0.0125,1,0

                """)
    }

    @Test("JSONL export: each value under its field's name, with its JSON type")
    func jsonlExport() async throws {
        let db = try ProfilerDB.inMemory()
        try await db.insert(distinct)
        let directory = try TemporaryDirectory()
        let path = directory.path("fields.jsonl")
        try await Exporter(store: db).export(MetricsFilter(), as: .jsonl, toFile: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            text == """
                {"id":1,"skillId":"skill-a","executionMs":1001,"tokensIn":2002,"tokensOut":3003,"success":true,\
                "timestamp":1795132804004,"version":"version-b","model":"model-c","error":"error-d",\
                "tokensEstimated":false,"cacheReadTokens":5005,"cacheCreationTokens":6006,"sessionId":"session-e",\
                "runId":"run-f","source":"source-g","metadata":"{\\"h\\":8}","costUsd":0.0125,"tokensKnown":true,"costEstimated":false}

                """)
    }

    @Test("the CSV and JSONL exports import back into the same fields", arguments: [ExportFormat.csv, .jsonl])
    func importedBack(_ format: ExportFormat) async throws {
        let source = try ProfilerDB.inMemory()
        try await source.insert(distinct)
        let directory = try TemporaryDirectory()
        let path = directory.path("fields.\(format.rawValue)")
        try await Exporter(store: source).export(MetricsFilter(), as: format, toFile: path)
        let target = try ProfilerDB.inMemory()
        _ = try await Importer(store: target).run([ImportInput(path: path)])
        var expected = distinct
        expected.id = 1
        #expect(try target.metrics(matching: MetricsFilter()) == [expected])
    }

    @Test("field positions follow the declaration: rawValue is the index in allCases, and column names are distinct")
    func positions() {
        let fields = SkillMetrics.CodingKeys.allCases
        #expect(fields.map(\.rawValue) == Array(0..<fields.count))
        #expect(Set(fields.map(\.columnName)).count == fields.count)
        #expect(fields.map(\.columnName) == expectedColumns.map(\.column))
    }

    @Test("setting every field from its own value gives the run back; without one, only a required field is missed")
    func settersMatchGetters() throws {
        var run = distinct
        run.id = 7
        #expect(try SkillMetrics(fields: ValuesOf(metric: run)) == run)
        for field in SkillMetrics.CodingKeys.allCases {
            do {
                let partial = try SkillMetrics(fields: ValuesOf(metric: run, withheld: field))
                #expect(!field.isRequired, "\(field) is required, but a run was made without it")
                #expect(partial[field] != run[field], "\(field) was not read from the source")
            } catch {
                #expect(field.isRequired && error == ValuesOf.Missing(field: field), "\(field)")
            }
        }
    }
}
