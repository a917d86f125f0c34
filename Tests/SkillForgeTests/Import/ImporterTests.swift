import Foundation
import Testing

@testable import SkillForge

/// One metric as a JSONL line (snake_case), every value given.
private func jsonl(
    _ skill: String, ms: Int64 = 100, tokensIn: Int64 = 10, tokensOut: Int64 = 5, success: Bool = true,
    at timestamp: Int64 = day20, runId: String? = nil, extra: String = ""
) -> String {
    var line = #"{"skill_id":"\#(skill)","execution_ms":\#(ms),"tokens_in":\#(tokensIn),"tokens_out":\#(tokensOut),"#
        + #""success":\#(success),"timestamp":\#(timestamp)"#
    if let runId { line += #","run_id":"\#(runId)""# }
    return line + extra + "}\n"
}

private let csvHeader = "skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,run_id\n"

/// Collects what an import reports.
private final class Events {
    var phases: [Importer.Phase] = []
    /// Progress per phase: (bytes read, total bytes, records).
    var progress: [Importer.Phase: [(Int64, Int64, Int)]] = [:]
    var rejected: [(SkillForge.SourceLocation, String)] = []

    func record(_ event: Importer.Event) {
        switch event {
        case .phase(let phase): phases.append(phase)
        case .progress(let bytes, let total, let records): progress[phases.last ?? .importing, default: []].append((bytes, total, records))
        case .rejected(let location, let problem): rejected.append((location, problem))
        }
    }
}

/// One progress event.
private struct ProgressReport: Sendable {
    var bytes: Int64
    var total: Int64
    var records: Int
}

/// Every stored row, in id order.
private func allRows(_ db: ProfilerDB) throws -> [SkillMetrics] {
    try db.metrics(matching: MetricsFilter(order: .insertion))
}

@Suite("Importer")
struct ImporterTests {
    // MARK: - Format detection

    @Test("each input's format is detected from its start")
    func detection() throws {
        let directory = try TemporaryDirectory()
        func detect(_ name: String, _ bytes: [UInt8]) throws -> ImportFormat {
            try Importer.detectFormat(of: ImportInput(path: try writeFile(name, bytes, in: directory)))
        }
        func detect(_ name: String, _ text: String) throws -> ImportFormat { try detect(name, Array(text.utf8)) }

        #expect(try detect("a.csv", csvHeader + "s,1,1,1,1,1795132800000,\n") == .csv)
        #expect(try detect("camel.csv", "skillId,executionMs\n") == .csv)
        #expect(try detect("bom.csv", [0xEF, 0xBB, 0xBF] + Array(csvHeader.utf8)) == .csv)
        #expect(try detect("a.jsonl", jsonl("s") + jsonl("t")) == .jsonl)
        #expect(try detect("blank-first.jsonl", "\n\n  " + jsonl("s")) == .jsonl)
        // A metric line with a session id and a type is still a metric line: it has a skill id.
        #expect(try detect("typed.jsonl", jsonl("s", extra: #","type":"user","sessionId":"x""#)) == .jsonl)
        #expect(try detect("one-line.otlp", #"{"resourceSpans":[]}"# + "\n") == .otlp)
        #expect(try detect("pretty.json", "{\n  \"resourceSpans\": [\n    {\n      \"scopeSpans\": []\n    }\n  ]\n}\n") == .otlp)
        // "resourceSpans" far down the first line (a long first batch) is found too.
        #expect(try detect("late.json", "{\"x\":\"" + String(repeating: "a", count: 30_000) + "\",\"resourceSpans\":[]}\n") == .otlp)

        let transcript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/claude-code/-Users-dana-code-invoice-tool/8f14e45f-ceea-467f-a8f8-3b1c4f0e2d71.jsonl")
        #expect(try Importer.detectFormat(of: ImportInput(path: transcript.path)) == .claudeCode)
        #expect(try detect("transcript.jsonl", #"{"type":"user","sessionId":"abc","uuid":"u1","message":{"role":"user"}}"# + "\n") == .claudeCode)
    }

    @Test("empty, binary, UTF-16 and missing inputs are refused before anything is read")
    func detectionRefusals() throws {
        let directory = try TemporaryDirectory()
        func refusal(_ name: String, _ bytes: [UInt8]?) -> ImportError? {
            do {
                let path = bytes == nil ? directory.path(name) : try writeFile(name, bytes ?? [], in: directory)
                _ = try Importer.detectFormat(of: ImportInput(path: path))
                return nil
            } catch let error as ImportError {
                return error
            } catch {
                Issue.record("unexpected \(error)")
                return nil
            }
        }
        #expect(refusal("empty", []) == .unreadableInput(file: directory.path("empty"), problem: "is empty"))
        #expect(refusal("blank", Array(" \n\r\n\t".utf8)) == .unreadableInput(file: directory.path("blank"), problem: "is empty"))
        #expect(refusal("bin", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08]) == .unreadableInput(file: directory.path("bin"), problem: "is not text (binary data?)"))
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("skill_id\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(refusal("utf16.csv", utf16) == .unreadableInput(file: directory.path("utf16.csv"), problem: LineReader.utf16Problem))
        let utf16BE: [UInt8] = Array("{\"a\":1}\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(refusal("utf16be.jsonl", utf16BE) == .unreadableInput(file: directory.path("utf16be.jsonl"), problem: LineReader.utf16Problem))
        #expect(LineReader.utf16Problem.contains("iconv -f UTF-16 -t UTF-8"))
        #expect(refusal("missing", nil) == .unreadableInput(file: directory.path("missing"), problem: "cannot be opened"))
    }

    // MARK: - All or nothing

    @Test("by default, an invalid record in the third of three files stops the import, naming file and line, and nothing is written")
    func allOrNothing() async throws {
        let directory = try TemporaryDirectory()
        let first = try writeFile("1.jsonl", jsonl("a", runId: "a1") + jsonl("a", runId: "a2"), in: directory)
        let second = try writeFile("2.csv", csvHeader + "b,1,1,1,1,1795132800000,b1\n", in: directory)
        let cases: [(String, String)] = [
            (jsonl("c", runId: "c1") + jsonl("c", tokensIn: -5, runId: "c2"), "invalid tokens_in -5: must be zero or more"),
            (jsonl("c", runId: "c1") + #"{"skill_id":"c""#, "not valid JSON at column 16: the text ends inside an object or array (truncated?)"),
            (jsonl("c", runId: "c1") + "[1]\n", "expected a JSON object, found [1]"),
            (jsonl("c", runId: "c1") + jsonl("c", at: 1_795_132_800, runId: "c2"),
             "invalid timestamp 1795132800: looks like Unix seconds; timestamps are Unix milliseconds (multiply by 1000)"),
        ]
        for (text, problem) in cases {
            let third = try writeFile("3.jsonl", "\n" + text, in: directory)
            let db = try ProfilerDB.inMemory()
            let error = try await #require(throws: ImportError.self) {
                try await Importer(store: db).run([ImportInput(path: first), ImportInput(path: second), ImportInput(path: third)], options: Importer.Options(batchSize: 1))
            }
            #expect(error == .invalidRecord(SkillForge.SourceLocation(file: third, line: 3), problem: problem))
            #expect(error.description == "\(third):3: \(problem)")
            #expect(try db.count() == 0)
        }
    }

    @Test("with skipInvalid, valid records are imported and each invalid one is reported with its place")
    func skipInvalid() async throws {
        let directory = try TemporaryDirectory()
        let first = try writeFile("1.jsonl", jsonl("a", runId: "a1") + "garbage\n" + jsonl("a", ms: -1, runId: "a2") + jsonl("a", runId: "a3"), in: directory)
        let second = try writeFile("2.csv", csvHeader + "b,1,1,1,1,1795132800000,b1\nb,x,1,1,1,1795132800000,b2\nb,1,1,1,1,1795132800000\n", in: directory)
        let db = try ProfilerDB.inMemory()
        let events = Events()
        let summary = try await Importer(store: db).run(
            [ImportInput(path: first), ImportInput(path: second)], options: Importer.Options(skipInvalid: true, batchSize: 2),
            onEvent: events.record)
        #expect(summary.files == 2)
        #expect(summary.read == 7)
        #expect(summary.imported == 3)
        #expect(summary.rejected == 4)
        #expect(summary.duplicates == 0 && summary.ignored == 0)
        #expect(events.phases == [.importing])
        #expect(events.rejected.map { "\($0.0): \($0.1)" } == [
            "\(first):2: not valid JSON at column 1: unexpected character where a value should be",
            "\(first):3: invalid execution_ms -1: must be zero or more",
            #"\#(second):3: execution_ms "x": not a whole number in decimal digits"#,
            "\(second):4: expected 7 fields as in the header, found 6",
        ])
        #expect(try allRows(db).map(\.runId) == ["a1", "a3", "b1"])
    }

    // MARK: - Idempotency and run ids

    @Test("importing again stores nothing; duplicates within a file are stored once")
    func idempotency() async throws {
        let directory = try TemporaryDirectory()
        let path = try writeFile(
            "runs.jsonl", jsonl("a", runId: "r1") + jsonl("a", ms: 7) + jsonl("b", runId: "r1") + jsonl("a", ms: 7) + jsonl("c"),
            in: directory)
        let db = try ProfilerDB.inMemory()
        let importer = Importer(store: db)
        let first = try await importer.run([ImportInput(path: path)], options: Importer.Options(batchSize: 2))
        // r1 twice (the second, skill b, is a duplicate by its id); the ms-7 record twice (by its derived id).
        #expect(first.read == 5 && first.imported == 3 && first.duplicates == 2)
        let stored = try allRows(db)
        #expect(stored.map(\.skillId) == ["a", "a", "c"])
        let second = try await importer.run([ImportInput(path: path)])
        #expect(second.read == 5 && second.imported == 0 && second.duplicates == 5)
        #expect(try allRows(db) == stored)
    }

    @Test("rows without a run id get row: and 32 hex digits of a SHA-256 of their fields; given ids are kept")
    func derivedRunIds() async throws {
        let metric = SkillMetrics(
            skillId: "summarise", executionMs: 840, tokensIn: 1_200, tokensOut: 310, success: false, timestamp: day20,
            version: "2.0", model: "m", error: "boom", sessionId: "s1")
        // By the documented recipe, with sha256sum as the reference.
        let fields = ["summarise", "1795132800000", "840", "1200", "310", "0", "2.0", "m", "s1", "boom"].joined(separator: "\u{1F}")
        let digest = try runProcess("/usr/bin/env", ["sha256sum"], stdin: fields)
        try #require(digest.status == 0)
        let expected = "row:" + digest.stdout.prefix(32)
        #expect(RunIdentity.derived(for: metric) == expected)
        #expect(expected.utf8.count == 36)
        // Fields outside the identity (metadata, source, cache tokens) do not change it; others do.
        var other = metric
        other.metadata = #"{"a":1}"#
        other.source = "x"
        other.cacheReadTokens = 5
        #expect(RunIdentity.derived(for: other) == expected)
        other.success = true
        #expect(RunIdentity.derived(for: other) != expected)

        // The same records from JSONL (ISO time, camelCase) and CSV (Unix ms) get the same ids.
        let directory = try TemporaryDirectory()
        let jsonlPath = try writeFile(
            "runs.jsonl",
            #"{"skillId":"summarise","executionMs":840,"tokensIn":1200,"tokensOut":310,"success":false,"timestamp":"2026-11-20T00:00:00Z","version":"2.0","model":"m","error":"boom","sessionId":"s1"}"#
                + "\n" + jsonl("given", runId: "mine") + jsonl("plain"),
            in: directory)
        let csvPath = try writeFile(
            "runs.csv",
            "skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,version,model,error,session_id,run_id\n"
                + "summarise,840,1200,310,0,1795132800000,2.0,m,boom,s1,\n"
                + "given,100,10,5,1,1795132800000,,,,,mine\n"
                + "plain,100,10,5,true,1795132800000,,,,,\n",
            in: directory)
        let fromJSONL = try ProfilerDB.inMemory()
        _ = try await Importer(store: fromJSONL).run([ImportInput(path: jsonlPath)])
        let fromCSV = try ProfilerDB.inMemory()
        _ = try await Importer(store: fromCSV).run([ImportInput(path: csvPath)])
        let ids = try allRows(fromJSONL).map(\.runId)
        #expect(ids[0] == expected)
        #expect(ids[1] == "mine")
        #expect(ids[2]?.hasPrefix("row:") == true && ids[2]?.utf8.count == 36)
        #expect(ids[2]?.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) } == true)
        #expect(try allRows(fromCSV).map(\.runId) == ids)
        // So importing the CSV after the JSONL stores nothing new.
        let again = try await Importer(store: fromJSONL).run([ImportInput(path: csvPath)])
        #expect(again.imported == 0 && again.duplicates == 3)
    }

    // MARK: - Batches, progress, summary

    @Test("batch sizes around the row count store every row once, in order", arguments: [1, 2, 3, 6, 7, 8, 20_000, 0])
    func batchSizes(_ batchSize: Int) async throws {
        let directory = try TemporaryDirectory()
        let text = (1...7).map { jsonl("s", ms: Int64($0)) }.joined()
        let path = try writeFile("runs.jsonl", text, in: directory)
        let db = try ProfilerDB.inMemory()
        // Row 2 is stored already: batches mixing new and known rows count both.
        var known = SkillMetrics(skillId: "s", executionMs: 2, tokensIn: 10, tokensOut: 5, success: true, timestamp: day20)
        known.runId = RunIdentity.derived(for: known)
        try await db.insert(known)
        for skipInvalid in [false, true] {
            let summary = try await Importer(store: db).run([ImportInput(path: path)], options: Importer.Options(skipInvalid: skipInvalid, batchSize: batchSize))
            #expect(summary.read == 7)
            #expect(summary.imported + summary.duplicates == 7)
        }
        let rows = try allRows(db)
        #expect(rows.map(\.executionMs) == [2, 1, 3, 4, 5, 6, 7])
        // (With AUTOINCREMENT, SQLite spends an id on the skipped duplicate: ids grow, with a gap.)
        let ids = rows.compactMap(\.id)
        #expect(ids.count == 7 && ids == ids.sorted() && Set(ids).count == 7)
        #expect(Importer.Options(batchSize: 0).batchSize == 1)
        #expect(Importer.Options(batchSize: -5).batchSize == 1)
    }

    /// A named pipe can be read once only: a second pass would wait for a writer that never comes.
    /// The time limit only catches that hang; it is generous because a loaded CI machine is slow.
    @Test(
        "an input that fits in one batch is checked and written from one reading (a named pipe imports), a larger one is read again",
        .timeLimit(.minutes(10)))
    func onePassForOneBatch() async throws {
        let directory = try TemporaryDirectory()
        let pipe = directory.path("runs.fifo")
        try #require(mkfifo(pipe, 0o600) == 0)
        let text = (1...5).map { jsonl("piped", ms: Int64($0)) }.joined()
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: pipe) else { return }
            handle.write(Data(text.utf8))
            try? handle.close()
        }
        writer.start()
        let db = try ProfilerDB.inMemory()
        let events = Events()
        let summary = try await Importer(store: db).run(
            [ImportInput(path: pipe)], options: Importer.Options(format: .jsonl, batchSize: 5), onEvent: events.record)
        #expect(summary.read == 5 && summary.imported == 5)
        #expect(events.phases == [.checking, .importing])
        #expect(try allRows(db).map(\.executionMs) == [1, 2, 3, 4, 5])
        // A bad record among them still writes nothing.
        let bad = try writeFile("bad.jsonl", text + jsonl("piped", tokensIn: -1), in: directory)
        await #expect(throws: ImportError.self) {
            try await Importer(store: db).run([ImportInput(path: bad)], options: Importer.Options(batchSize: 10))
        }
        #expect(try db.count() == 5)
        // One more record than a batch: read twice, as a file allows.
        let larger = try writeFile("larger.jsonl", text + jsonl("piped", ms: 6), in: directory)
        let twice = try await Importer(store: db).run([ImportInput(path: larger)], options: Importer.Options(batchSize: 5))
        #expect(twice.imported == 1 && twice.duplicates == 5)
    }

    @Test("progress: a checking then an importing phase, bytes and records never going back, ending at the total")
    func progressEvents() async throws {
        let directory = try TemporaryDirectory()
        var inputs: [ImportInput] = []
        var total: Int64 = 0
        for file in 0..<3 {
            let text = (0..<9_000).map { jsonl("s\(file)", ms: Int64($0)) }.joined()
            inputs.append(ImportInput(path: try writeFile("\(file).jsonl", text, in: directory)))
            total += Int64(text.utf8.count)
        }
        let files = inputs
        for skipInvalid in [false, true] {
            let (summary, phases, progress) = try await Task {
                let events = Events()
                let db = try ProfilerDB.inMemory()
                let summary = try await Importer(store: db).run(
                    files, options: Importer.Options(skipInvalid: skipInvalid, batchSize: 5_000), onEvent: events.record)
                return (summary, events.phases, events.progress.mapValues { $0.map { ProgressReport(bytes: $0.0, total: $0.1, records: $0.2) } })
            }.value
            #expect(summary.imported == 27_000 && summary.files == 3)
            #expect(phases == (skipInvalid ? [.importing] : [.checking, .importing]))
            for phase in phases {
                let reports = progress[phase] ?? []
                // Two reports per file of 9,000 lines (at lines 4,096 and 8,192) and one at its end.
                #expect(reports.count == 9, "\(phase)")
                #expect(reports.allSatisfy { $0.total == total })
                #expect(reports.map(\.bytes) == reports.map(\.bytes).sorted())
                #expect(reports.map(\.records) == reports.map(\.records).sorted())
                #expect(reports.last?.bytes == total)
                #expect(reports.allSatisfy { $0.bytes <= total })
            }
            #expect(progress[.importing]?.last?.records == 27_000)
        }
    }

    @Test("the summary counts what a mixed import did: files, read, imported, duplicates, rejected, ignored")
    func summaryCounts() async throws {
        let directory = try TemporaryDirectory()
        // An OTLP document with one tool span and one chat span (not a tool call: ignored).
        let otlp = #"{"resourceSpans":[{"scopeSpans":[{"spans":["#
            + #"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"a000000000000001","name":"execute_tool get_weather","startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800150000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"get_weather"}}]},"#
            + #"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"a000000000000002","name":"chat gpt-4o","startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800100000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}]}"#
            + "]}]}]}\n"
        let inputs = [
            ImportInput(path: try writeFile("a.jsonl", jsonl("a", runId: "1") + jsonl("a", runId: "2") + "oops\n", in: directory)),
            ImportInput(path: try writeFile("b.csv", csvHeader + "b,1,1,1,1,1795132800000,1\n", in: directory)),
            ImportInput(path: try writeFile("c.json", otlp, in: directory)),
        ]
        let db = try ProfilerDB.inMemory()
        let summary = try await Importer(store: db).run(inputs, options: Importer.Options(skipInvalid: true))
        var expected = Importer.Summary()
        expected.files = 3
        expected.read = 5  // 2 metrics + 1 invalid line, 1 CSV row, 1 tool span
        expected.imported = 3
        expected.duplicates = 1  // the CSV row's run id "1"
        expected.rejected = 1
        expected.ignored = 1
        expected.ignoredKinds = ["non-execution span": 1]  // the chat span
        #expect(summary == expected)
        #expect(try allRows(db).map(\.skillId) == ["a", "a", "get_weather"])
    }

    @Test("a format given applies to every input, whatever it looks like")
    func forcedFormat() async throws {
        let directory = try TemporaryDirectory()
        // A JSONL file read as CSV: its header lacks every column.
        let path = try writeFile("runs.jsonl", jsonl("a"), in: directory)
        let error = try await #require(throws: ImportError.self) {
            try await Importer(store: try ProfilerDB.inMemory()).run([ImportInput(path: path)], options: Importer.Options(format: .csv))
        }
        guard error.code == .invalidRecord, let location = error.location, let problem = error.problem else {
            Issue.record("expected an invalid header, got \(error)")
            return
        }
        #expect(location.line == 1 && problem.hasPrefix("the header row lacks"))
    }

    @Test("a cancelled import stops, keeping only whole transactions; importing again completes the rest")
    func cancellation() async throws {
        let directory = try TemporaryDirectory()
        let path = try writeFile("runs.jsonl", (1...5_000).map { jsonl("s", ms: Int64($0)) }.joined(), in: directory)
        let db = try ProfilerDB.inMemory()
        // (The import must run in a task to see it cancelled.)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await Importer(store: db).run([ImportInput(path: path)], options: Importer.Options(skipInvalid: true, batchSize: 1_000))
        }
        let result = await task.result
        #expect(throws: ImportError.cancelled) { try result.get() }
        // Batches already committed stay, whole: a multiple of the batch size, not all of them.
        let kept = try db.count()
        #expect(kept % 1_000 == 0 && kept < 5_000)
        // Importing again completes the rest.
        let summary = try await Importer(store: db).run([ImportInput(path: path)])
        #expect(summary.imported == 5_000 - kept && summary.duplicates == kept)
        #expect(try db.count() == 5_000)
    }

    @Test("a cancelled import stops in the checking pass too, before anything is written")
    func cancellationWhileChecking() async throws {
        let directory = try TemporaryDirectory()
        // An invalid record after the 4,096th: a check that ignored cancellation would stop there instead.
        let lines = (1...5_000).map { $0 == 4_500 ? "not json\n" : jsonl("s", ms: Int64($0)) }
        let path = try writeFile("runs.jsonl", lines.joined(), in: directory)
        let db = try ProfilerDB.inMemory()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await Importer(store: db).run([ImportInput(path: path)])
        }
        let result = await task.result
        #expect(throws: ImportError.cancelled) { try result.get() }
        #expect(try db.count() == 0)
    }

    @Test("a JSONL input of 200,000 lines imports in small batches, in constant memory, with exact counts")
    func manyLines() async throws {
        let directory = try TemporaryDirectory()
        let count = 200_000
        let path = directory.path("big.jsonl")
        let (summary, stored, skill3, last) = try await Task {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw CocoaError(.fileWriteUnknown)
            }
            var chunk = ""
            for index in 0..<count {
                chunk += jsonl("skill-\(index % 7)", ms: Int64(index), at: day20 + Int64(index))
                if index % 10_000 == 9_999 {
                    try handle.write(contentsOf: Data(chunk.utf8))
                    chunk = ""
                }
            }
            // Duplicates of the first 10 lines at the end.
            for index in 0..<10 { chunk += jsonl("skill-\(index % 7)", ms: Int64(index), at: day20 + Int64(index)) }
            try handle.write(contentsOf: Data(chunk.utf8))
            try handle.close()
            // One reading (skipInvalid), into memory: the test is about the reader's and the batches' counts.
            let db = try ProfilerDB.inMemory()
            let summary = try await Importer(store: db).run([ImportInput(path: path)], options: Importer.Options(skipInvalid: true, batchSize: 1_000))
            return await (summary, try db.count(), try db.count(matching: MetricsFilter(skillId: "skill-3")), try db.metric(id: Int64(count)))
        }.value
        #expect(summary.read == count + 10)
        #expect(summary.imported == count)
        #expect(summary.duplicates == 10)
        #expect(summary.rejected == 0)
        #expect(stored == count)
        // Indexes 3, 10, 17, … below 200,000.
        #expect(skill3 == (count - 3 + 6) / 7)
        #expect(last?.executionMs == Int64(count - 1))
    }
}
