import Foundation
import Testing

@testable import SkillForge

/// Rows covering every column set, every optional NULL, zero versus NULL, the
/// limits, and text that CSV and JSON must quote or escape.
private let roundTripRows: [SkillMetrics] = [
    SkillMetrics(
        skillId: #"say "hi", then leave"#, executionMs: 840, tokensIn: 1_200, tokensOut: 310, success: false,
        timestamp: day20 + 1_234, version: " 1.0 ", model: "modèle ✨", error: " x,\"y\"\n\tz\r\nw 😀 \r",
        tokensEstimated: true, cacheReadTokens: 900, cacheCreationTokens: 64, sessionId: "s,1", runId: #"run "1""#,
        source: "imp,ort", metadata: "{\n\t\"k\": \"v, \\\"q\\\"\\n\",\n \"e\": \"😀\"\n}\r\n"),
    // Only the required columns: every optional one NULL, the run id too.
    SkillMetrics(skillId: "bare", executionMs: 0, tokensIn: 0, tokensOut: 0, success: true, timestamp: day20),
    // Zeros and false, not NULLs.
    SkillMetrics(
        skillId: "zeros", executionMs: 1, tokensIn: 2, tokensOut: 3, success: true, timestamp: day20, tokensEstimated: false,
        cacheReadTokens: 0, cacheCreationTokens: 0, runId: "z"),
    // The limits.
    SkillMetrics(
        skillId: String(repeating: "n", count: 200), executionMs: MetricLimits.maximumExecutionMs, tokensIn: MetricLimits.maximumTokens, tokensOut: 0, success: true,
        timestamp: MetricLimits.latestTimestamp - 1, runId: "max"),
    SkillMetrics(skillId: "earliest", executionMs: 5, tokensIn: 0, tokensOut: MetricLimits.maximumTokens, success: false, timestamp: MetricLimits.earliestTimestamp),
    // Text with leading and trailing spaces, tabs, lone CRs, a quote alone, unicode beyond the BMP.
    SkillMetrics(
        skillId: " spaced ", executionMs: 7, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20, version: "\"",
        model: "a\u{00A0}b", error: "\ttab first and last\t", sessionId: "数据 𝄞", runId: "r\u{2028}", source: "é",
        metadata: #"{}"#),
    SkillMetrics(
        skillId: "résumé-✨", executionMs: 9, tokensIn: 9, tokensOut: 9, success: false, timestamp: day20, error: "a\rb\r\r\nc\n\n",
        metadata: #"{"deep":{"list":[1,2.5,"x",null,true],"s":"\u0001"}}"#),
    // Two rows identical but for the run id.
    SkillMetrics(skillId: "twin", executionMs: 1, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20, runId: "t1"),
    SkillMetrics(skillId: "twin", executionMs: 1, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20, runId: "t2"),
]

/// A file database… in memory, holding `rows` with ids 1, 2, 3…
private func sourceDatabase(_ rows: [SkillMetrics]) throws -> ProfilerDB {
    let db = try ProfilerDB.inMemory()
    try db.insert(contentsOf: rows)
    return db
}

private func allRows(_ db: ProfilerDB) throws -> [SkillMetrics] {
    try db.metrics(matching: MetricsFilter(order: .insertion))
}

/// The rows as an import into an empty database stores them: the same, with the
/// run id a row without one derives.
private func expectedAfterImport(_ rows: [SkillMetrics]) -> [SkillMetrics] {
    rows.map { row in
        var row = row
        if row.runId == nil { row.runId = RunIdentity.derived(for: row) }
        return row
    }
}

/// Compares rows column by column, so a failure names the column.
private func expectSameRows(_ actual: [SkillMetrics], _ expected: [SkillMetrics], _ comment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(comment)", sourceLocation: sourceLocation)
    for (copy, original) in zip(actual, expected) {
        let name = "\(comment) row \(original.id.map(String.init) ?? "?")"
        #expect(copy.id == original.id, "\(name) id", sourceLocation: sourceLocation)
        #expect(copy.skillId == original.skillId, "\(name) skill_id", sourceLocation: sourceLocation)
        #expect(copy.executionMs == original.executionMs && copy.tokensIn == original.tokensIn && copy.tokensOut == original.tokensOut,
                "\(name) numbers", sourceLocation: sourceLocation)
        #expect(copy.success == original.success && copy.timestamp == original.timestamp, "\(name) success/timestamp", sourceLocation: sourceLocation)
        #expect(copy.version == original.version, "\(name) version", sourceLocation: sourceLocation)
        #expect(copy.model == original.model, "\(name) model", sourceLocation: sourceLocation)
        #expect(copy.error == original.error, "\(name) error", sourceLocation: sourceLocation)
        #expect(copy.tokensEstimated == original.tokensEstimated, "\(name) tokens_estimated", sourceLocation: sourceLocation)
        #expect(copy.cacheReadTokens == original.cacheReadTokens, "\(name) cache_read_tokens", sourceLocation: sourceLocation)
        #expect(copy.cacheCreationTokens == original.cacheCreationTokens, "\(name) cache_creation_tokens", sourceLocation: sourceLocation)
        #expect(copy.sessionId == original.sessionId, "\(name) session_id", sourceLocation: sourceLocation)
        #expect(copy.runId == original.runId, "\(name) run_id", sourceLocation: sourceLocation)
        #expect(copy.source == original.source, "\(name) source", sourceLocation: sourceLocation)
        #expect(copy.metadata == original.metadata, "\(name) metadata", sourceLocation: sourceLocation)
        #expect(copy == original, "\(name)", sourceLocation: sourceLocation)
    }
}

@Suite("Export")
struct ExportTests {
    @Test("the rows are valid, and stored with ids 1, 2, 3…")
    func rowsAreValid() throws {
        for row in roundTripRows { #expect(row.validationProblem == nil, "\(row.skillId): \(row.validationProblem ?? "")") }
        let stored = try allRows(try sourceDatabase(roundTripRows))
        #expect(stored.map(\.id) == (1...roundTripRows.count).map { Int64?(Int64($0)) })
    }

    @Test("export, then import into an empty database, gives back every row in order: values, NULLs, and the ids of a source without gaps", arguments: ExportFormat.allCases)
    func roundTrip(_ format: ExportFormat) async throws {
        let source = try sourceDatabase(roundTripRows)
        let original = try allRows(source)
        let directory = try TemporaryDirectory()
        let path = directory.path("export.\(format.rawValue)")
        let count = try await Exporter(store: source).export(MetricsFilter(), as: format, toFile: path).written
        #expect(count == roundTripRows.count)

        // Detected from the content, then imported.
        let expectedFormat: ImportFormat = switch format {
        case .jsonl: .jsonl
        case .csv: .csv
        case .otlp: .otlp
        }
        #expect(try Importer.detectFormat(of: ImportInput(path: path)) == expectedFormat)
        let target = try ProfilerDB.inMemory()
        let summary = try await Importer(store: target).run([ImportInput(path: path)])
        #expect(summary.read == roundTripRows.count && summary.imported == roundTripRows.count)
        #expect(summary.rejected == 0 && summary.duplicates == 0 && summary.ignored == 0)
        expectSameRows(try allRows(target), expectedAfterImport(original), format.rawValue)

        // Importing the export again adds nothing.
        let again = try await Importer(store: target).run([ImportInput(path: path)])
        #expect(again.imported == 0 && again.duplicates == roundTripRows.count)

        // And exporting the copy gives the same file, but for the derived run ids.
        let copyPath = directory.path("copy.\(format.rawValue)")
        try await Exporter(store: target).export(MetricsFilter(), as: format, toFile: copyPath)
        let reimported = try ProfilerDB.inMemory()
        _ = try await Importer(store: reimported).run([ImportInput(path: copyPath)])
        expectSameRows(try allRows(reimported), expectedAfterImport(original), "\(format.rawValue) twice")
    }

    @Test("JSONL: camelCase keys in column order, absent keys for NULLs, numbers and booleans as such")
    func jsonlShape() async throws {
        let source = try sourceDatabase(Array(roundTripRows.prefix(3)))
        let directory = try TemporaryDirectory()
        let path = directory.path("out.jsonl")
        try await Exporter(store: source).export(MetricsFilter(), as: .jsonl, toFile: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines.last == "")
        #expect(lines[1] == #"{"id":2,"skillId":"bare","executionMs":0,"tokensIn":0,"tokensOut":0,"success":true,"timestamp":1795132800000}"#)
        #expect(lines[2] == #"{"id":3,"skillId":"zeros","executionMs":1,"tokensIn":2,"tokensOut":3,"success":true,"timestamp":1795132800000,"tokensEstimated":false,"cacheReadTokens":0,"cacheCreationTokens":0,"runId":"z"}"#)
        // The first line is JSON Foundation reads to the same values.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["error"] as? String == roundTripRows[0].error)
        #expect(object["metadata"] as? String == roundTripRows[0].metadata)
        #expect(object["skillId"] as? String == roundTripRows[0].skillId)
        #expect(object.keys.count == 17)
    }

    @Test("CSV: a header of every column, quoted fields where needed, empty cells for NULLs")
    func csvShape() async throws {
        let source = try sourceDatabase(Array(roundTripRows[1...2]))
        let directory = try TemporaryDirectory()
        let path = directory.path("out.csv")
        try await Exporter(store: source).export(MetricsFilter(), as: .csv, toFile: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == """
            id,skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,version,model,error,tokens_estimated,cache_read_tokens,cache_creation_tokens,session_id,run_id,source,metadata,cost_usd,tokens_known,cost_estimated
            1,bare,0,0,0,1,1795132800000,,,,,,,,,,,,,
            2,zeros,1,2,3,1,1795132800000,,,,0,0,0,,z,,,,,

            """)
    }

    @Test("with no rows: CSV is its header alone; JSONL and OTLP are empty", arguments: ExportFormat.allCases)
    func noRows(_ format: ExportFormat) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.\(format.rawValue)")
        let count = try await Exporter(store: try ProfilerDB.inMemory()).export(MetricsFilter(), as: format, toFile: path).written
        #expect(count == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == (format == .csv ? MetricsWriter.csvHeader.joined(separator: ",") + "\n" : ""))
        // Read back with the format named: nothing.
        let importFormat: ImportFormat = format == .csv ? .csv : format == .jsonl ? .jsonl : .otlp
        let summary = try await Importer(store: try ProfilerDB.inMemory()).run([ImportInput(path: path)], options: Importer.Options(format: importFormat))
        #expect(summary.read == 0 && summary.imported == 0)
    }

    @Test("filters: a skill, a time window, both; rows keep their order")
    func filters() async throws {
        var rows: [SkillMetrics] = []
        for index in 0..<12 {
            rows.append(SkillMetrics(
                skillId: index % 3 == 0 ? "alpha" : "beta", executionMs: Int64(index), tokensIn: 1, tokensOut: 1, success: true,
                timestamp: day20 + Int64(11 - index) * hour, runId: "r\(index)"))
        }
        let source = try sourceDatabase(rows)
        let stored = try allRows(source)
        let directory = try TemporaryDirectory()
        let since = Date(unixMilliseconds: day20 + 3 * hour)
        let until = Date(unixMilliseconds: day20 + 8 * hour)
        let cases: [(MetricsFilter, [Int])] = [
            (MetricsFilter(skillId: "alpha"), [0, 3, 6, 9]),
            // Hours 3 (included) to 8 (excluded): indexes 11 - 3 = 8 down to 11 - 7 = 4, in id order.
            (MetricsFilter(window: TimeWindow(since: since, until: until)), [4, 5, 6, 7, 8]),
            (MetricsFilter(skillId: "beta", window: TimeWindow(since: since, until: until)), [4, 5, 7, 8]),
            (MetricsFilter(window: TimeWindow(since: since)), [0, 1, 2, 3, 4, 5, 6, 7, 8]),
            (MetricsFilter(window: TimeWindow(until: since)), [9, 10, 11]),
            // The filter's order is ignored: rows go in id order.
            (MetricsFilter(skillId: "alpha", order: .newestFirst), [0, 3, 6, 9]),
            (MetricsFilter(skillId: "gamma"), []),
        ]
        for (filter, indexes) in cases {
            for format in ExportFormat.allCases {
                let path = directory.path("filtered.\(format.rawValue)")
                let count = try await Exporter(store: source).export(filter, as: format, toFile: path).written
                #expect(count == indexes.count)
                let target = try ProfilerDB.inMemory()
                let importFormat: ImportFormat = format == .csv ? .csv : format == .jsonl ? .jsonl : .otlp
                _ = try await Importer(store: target).run([ImportInput(path: path)], options: Importer.Options(format: importFormat))
                let back = try allRows(target)
                #expect(back.map(\.runId) == indexes.map { "r\($0)" }, "\(format) \(filter)")
                #expect(back.map { $0.executionMs } == indexes.map { stored[$0].executionMs })
            }
        }
    }

    @Test("export to a file is all or nothing: no partial file is left, and failures leave nothing")
    func atomicFile() async throws {
        let directory = try TemporaryDirectory()
        let source = try sourceDatabase(roundTripRows)
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.contains(".partial-") }
        }

        // A missing directory: the error says so, nothing is created.
        let missing = directory.path("no/such/dir/out.jsonl")
        let error = try await #require(throws: ExportError.self) {
            try await Exporter(store: source).export(MetricsFilter(), as: .jsonl, toFile: missing)
        }
        #expect(error == .cannotCreate(path: missing))
        #expect(error.description == "cannot create \(missing): check that its directory exists and is writable")
        #expect(!FileManager.default.fileExists(atPath: directory.path("no")))

        // The destination is a directory: the data is written, the rename fails, the partial file is removed.
        let target = directory.path("taken")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: target + "/inside.txt"))
        await #expect(throws: ExportError.cannotCreate(path: target)) {
            try await Exporter(store: source).export(MetricsFilter(), as: .csv, toFile: target)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["inside.txt"])
        #expect(try leftovers().isEmpty)

        // Success replaces an existing file whole, and leaves no partial file.
        let path = directory.path("out.jsonl")
        try Data("old content\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try await Exporter(store: source).export(MetricsFilter(), as: .jsonl, toFile: path).written == roundTripRows.count)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("old content"))
        #expect(text.split(separator: "\n").count == roundTripRows.count)
        #expect(try leftovers().isEmpty)
    }

    @Test("large exports: the 1 MiB buffer is flushed as it fills; OTLP has 512 spans a line")
    func largeExports() async throws {
        let rows = (0..<1_100).map { index in
            SkillMetrics(
                skillId: "s\(index % 5)", executionMs: Int64(index), tokensIn: 1, tokensOut: 2, success: index % 4 != 0,
                timestamp: day20 + Int64(index), error: String(repeating: "e", count: 1_000) + "\(index)", runId: "r\(index)")
        }
        let directory = try TemporaryDirectory()
        for format in ExportFormat.allCases {
            let path = directory.path("big.\(format.rawValue)")
            let (count, size, lines, summary, original, back) = try await Task {
                let source = try sourceDatabase(rows)
                let count = try await Exporter(store: source).export(MetricsFilter(), as: format, toFile: path).written
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
                let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count
                let target = try ProfilerDB.inMemory()
                let summary = try await Importer(store: target).run([ImportInput(path: path)])
                return (count, size, lines, summary, try allRows(source), try allRows(target))
            }.value
            #expect(count == 1_100)
            #expect(size > 1 << 20)
            switch format {
            case .jsonl: #expect(lines == 1_100)
            case .csv: #expect(lines == 1_101)
            case .otlp: #expect(lines == 3)  // 512 + 512 + 76
            }
            #expect(summary.imported == 1_100)
            expectSameRows(back, original, "big \(format)")
        }
    }

    @Test("export to a file handle writes the same bytes as to a file")
    func toHandle() async throws {
        let source = try sourceDatabase(roundTripRows)
        let directory = try TemporaryDirectory()
        for format in ExportFormat.allCases {
            let viaFile = directory.path("file.\(format.rawValue)")
            try await Exporter(store: source).export(MetricsFilter(), as: format, toFile: viaFile)
            let viaHandle = directory.path("handle.\(format.rawValue)")
            #expect(FileManager.default.createFile(atPath: viaHandle, contents: nil))
            let handle = try #require(FileHandle(forWritingAtPath: viaHandle))
            #expect(try await Exporter(store: source).export(MetricsFilter(), as: format, to: handle).written == roundTripRows.count)
            try handle.close()
            #expect(FileManager.default.contents(atPath: viaFile) == FileManager.default.contents(atPath: viaHandle))
        }
    }
}

@Suite("JSON and CSV writing")
struct WritingTests {
    @Test("appendString escapes quotes, backslashes and every control character; other text passes as is")
    func jsonStrings() throws {
        var every = (0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }.map(String.init).joined()
        every += "é✨😀\u{2028}\u{FEFF}"
        var buffer: [UInt8] = []
        JSONWriting.appendString(every, to: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        // No raw control character is left.
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
        #expect(text.hasPrefix(#""\u0000\u0001"#))
        #expect(text.contains(#"\b"#) == false)  // 0x08 is written \u0008
        #expect(text.contains(#"\u0008\t\n\u000b\u000c\r\u000e"#))
        #expect(text.contains(##" !\"#"##))
        #expect(text.contains(#"[\\]"#))
        #expect(text.hasSuffix("\u{7F}é✨😀\u{2028}\u{FEFF}\""))
        // Foundation reads it back to the same string.
        let decoded = try JSONSerialization.jsonObject(with: Data(buffer), options: [.fragmentsAllowed]) as? String
        #expect(decoded == every)
        // And so does JSONText.
        let json = JSONText(buffer)
        #expect(try json.string(try json.root()) == every)

        var numbers: [UInt8] = []
        JSONWriting.appendInteger(.min, to: &numbers)
        numbers.append(UInt8(ascii: ","))
        JSONWriting.appendInteger(.max, to: &numbers)
        JSONWriting.appendKey("k", to: &numbers)
        #expect(String(decoding: numbers, as: UTF8.self) == #"-9223372036854775808,9223372036854775807"k":"#)
    }

    @Test("CSV fields are quoted when they hold a comma, a quote, a line break or outer spaces")
    func csvFields() {
        let cases: [(String, String)] = [
            ("plain", "plain"),
            ("", ""),
            ("a,b", #""a,b""#),
            (#"say "hi""#, #""say ""hi""""#),
            ("\"", #""""""#),
            ("two\nlines", "\"two\nlines\""),
            ("cr\rhere", "\"cr\rhere\""),
            (" lead", #"" lead""#),
            ("trail ", #""trail ""#),
            ("in side", "in side"),
            ("\ttab", "\ttab"),
            ("é✨", "é✨"),
        ]
        for (field, expected) in cases {
            #expect(CSVFormat.field(field) == expected, "\(field.debugDescription)")
        }
        #expect(CSVFormat.line(["a", "b,c", ""]) == "a,\"b,c\",\n")
        #expect(CSVFormat.line([String]()) == "\n")
    }
}
