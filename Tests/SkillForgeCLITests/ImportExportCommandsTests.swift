import Foundation
import Testing

/// The claude-code fixture project.
private let transcripts = packageRoot.appendingPathComponent("Tests/SkillForgeTests/Fixtures/claude-code/-Users-dana-code-invoice-tool").path

@Suite("import, export, vacuum, backup")
struct ImportExportCommandsTests {
    // MARK: - import

    @Test("import a file: the summary line, the rows stored, and a second import storing nothing")
    func importFile() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = directory.path("runs.jsonl")
        try write(jsonl("alpha", runId: "r1") + "\n" + jsonl("alpha", ms: 200) + jsonl("beta", runId: "r3"), to: file)
        let first = try await skillForge("import", "--db", db, file)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr == "")
        expectSummary(first.stdout, imported: "3", of: "3", details: "0 already stored", files: "1 file")
        let rows = try await exportedRows(db)
        #expect(rows.count == 3)
        #expect(rows[0] == #"{"skillId":"alpha","executionMs":100,"tokensIn":10,"tokensOut":5,"success":true,"timestamp":1795132800000,"runId":"r1"}"#)
        #expect(rows[1].contains(#""runId":"row:"#))

        let second = try await skillForge("import", "--db", db, file)
        #expect(second.status == 0)
        expectSummary(second.stdout, imported: "0", of: "3", details: "3 already stored", files: "1 file")
        #expect(try await exportedRows(db) == rows)
    }

    @Test("import - reads standard input (spooled to a temporary file that is removed), with or without --from")
    func importStandardInput() async throws {
        let directory = try TemporaryDirectory()
        let spool = directory.path("tmp")
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: false)
        let file = directory.path("runs.jsonl")
        try write((0..<5).map { jsonl("s\($0)", runId: "r\($0)") }.joined(), to: file)
        let csv = directory.path("runs.csv")
        try write("skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,run_id\nc,1,1,1,1,1795132800000,c1\n", to: csv)
        let db = directory.path("data.db")
        let piped = try await runProcess(
            "/bin/sh", ["-c", #""$0" import --db "$1" --from jsonl - < /dev/null; cat "$2" | "$0" import --db "$1" --from jsonl -"#, skillForgeBinary, db, file],
            environment: ["TMPDIR": spool])
        // The first command imports nothing from an empty input; only the second prints a summary that counts.
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("imported 5 of 5 records (0 already stored) from 1 file in "), "\(piped.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)

        // Without --from the spooled input is detected: CSV here.
        let detected = try await runProcess(
            "/bin/sh", ["-c", #"cat "$2" | "$0" import --db "$1" -"#, skillForgeBinary, db, csv], environment: ["TMPDIR": spool])
        #expect(detected.status == 0, "\(detected.stderr)")
        expectSummary(detected.stdout, imported: "1", of: "1", details: "0 already stored", files: "1 file")
        #expect(try await exportedRows(db).count == 6)

        // An invalid record read from standard input is named "-".
        let invalid = try await runProcess(
            "/bin/sh", ["-c", #"printf '%s\n' '{"skill_id":"x"}' | "$0" import --db "$1" --from jsonl -"#, skillForgeBinary, db],
            environment: ["TMPDIR": spool])
        #expect(invalid.status == 1)
        #expect(invalid.stderr == "Error: -:1: missing execution_ms\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)
    }

    @Test("import several files of several formats at once")
    func importSeveralFiles() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        try write(jsonl("a", runId: "a1") + jsonl("a", runId: "a2"), to: directory.path("a.jsonl"))
        try write("skillId,executionMs,tokensIn,tokensOut,success,timestamp\nb,1,1,1,yes,2026-11-20T10:00:00Z\n", to: directory.path("b.csv"))
        try write(jsonl("c", runId: "a1"), to: directory.path("c.jsonl"))
        let result = try await skillForge("import", "--db", db, directory.path("a.jsonl"), directory.path("b.csv"), directory.path("c.jsonl"))
        #expect(result.status == 0, "\(result.stderr)")
        expectSummary(result.stdout, imported: "3", of: "4", details: "1 already stored", files: "3 files")
        let rows = try await exportedRows(db)
        #expect(rows.map { $0.contains(#""skillId":"b""#) } == [false, false, true])
        #expect(rows[2].contains(#""timestamp":1795168800000"#))
    }

    @Test("import --from claude-code reads a directory of transcripts")
    func importClaudeCode() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let result = try await skillForge("import", "--db", db, "--from", "claude-code", transcripts)
        #expect(result.status == 0, "\(result.stderr)")
        // 7 executions in 4 transcript files, a line that is no JSON, and 9 lines and calls that are no
        // executions (see ClaudeCodeReaderTests).
        expectSummary(
            result.stdout, imported: "7", of: "8", details: "0 already stored, 1 rejected, 9 passed over", files: "4 files")
        #expect(
            result.stdout.split(separator: "\n").last.map(String.init)
                == "passed over: 1 file-history-snapshot line, 1 odd-shaped assistant line, 1 queue-operation line, "
                + "1 summary line, 1 system line, 1 turn-telemetry line, 1 unanswered call, 1 unfinished last line, "
                + "1 unfinished run")
        #expect(result.stderr.hasSuffix("8f14e45f-ceea-467f-a8f8-3b1c4f0e2d71.jsonl:33: line skipped: not a JSON object\n"))
        let again = try await skillForge("import", "--db", db, "--from", "claude-code", transcripts)
        expectSummary(
            again.stdout, imported: "0", of: "8", details: "7 already stored, 1 rejected, 9 passed over", files: "4 files")
        // Without --from, a directory is refused.
        let refused = try await skillForge("import", "--db", db, transcripts)
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: \(transcripts): is a directory (only --from claude-code, codex and gemini read directories)\n")
        // A directory without transcripts.
        let emptyDirectory = directory.path("empty")
        try FileManager.default.createDirectory(atPath: emptyDirectory, withIntermediateDirectories: false)
        let none = try await skillForge("import", "--db", db, "--from", "claude-code", emptyDirectory)
        #expect(none.status == 1)
        #expect(none.stderr == "Error: \(emptyDirectory): holds no .jsonl files\n")
    }

    @Test("import --from claude-code without a path reads ~/.claude/projects")
    func importClaudeCodeDefault() async throws {
        let home = try TemporaryDirectory()
        let projects = home.path(".claude/projects")
        try FileManager.default.createDirectory(atPath: projects, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: transcripts, toPath: projects + "/-Users-dana-code-invoice-tool")
        let db = home.path("data.db")
        let result = try await runProcess(skillForgeBinary, ["import", "--db", db, "--from", "claude-code"], environment: ["HOME": home.url.path])
        #expect(result.status == 0, "\(result.stderr)")
        expectSummary(
            result.stdout, imported: "7", of: "8", details: "0 already stored, 1 rejected, 9 passed over", files: "4 files")
        // Other formats need a path.
        let noPath = try await skillForge("import", "--db", db, "--from", "jsonl")
        #expect(noPath.status == 64)
        #expect(noPath.stderr.hasPrefix("Error: Give the files to import (or - for standard input)."))
    }

    @Test("an invalid record: exit status 1, one file:line line on stderr, nothing written")
    func importInvalid() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let good = directory.path("good.jsonl")
        try write(jsonl("a", runId: "1") + jsonl("a", runId: "2"), to: good)
        let bad = directory.path("bad.jsonl")
        try write(jsonl("b", runId: "3") + "\n" + jsonl("b", tokensIn: -5, runId: "4") + jsonl("b", runId: "5"), to: bad)
        let result = try await skillForge("import", "--db", db, good, bad, "--batch-size", "1")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "Error: \(bad):3: invalid tokens_in -5: must be zero or more\n")
        // Nothing was written: the database it would have created is not left behind.
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test("--skip-invalid imports the valid records; --rejects writes the rejected ones to a file")
    func importSkipInvalid() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = directory.path("mixed.jsonl")
        try write(jsonl("a", runId: "1") + "not json\n" + jsonl("a", tokensIn: -1, runId: "2") + jsonl("a", runId: "3"), to: file)
        let rejects = directory.path("rejects.txt")
        let result = try await skillForge("import", "--db", db, "--skip-invalid", "--rejects", rejects, file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        expectSummary(result.stdout, imported: "2", of: "4", details: "0 already stored, 2 rejected", files: "1 file")
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == """
            \(file):2: not valid JSON at column 1: unexpected character where a value should be
            \(file):3: invalid tokens_in -1: must be zero or more

            """)
        // Without --rejects, they go to stderr.
        let other = directory.path("other.db")
        let toStderr = try await skillForge("import", "--db", other, "--skip-invalid", file)
        #expect(toStderr.status == 0)
        #expect(toStderr.stderr.split(separator: "\n").map { String($0.prefix(file.utf8.count + 2)) } == ["\(file):2", "\(file):3"])
        // --rejects alone is refused before anything is read.
        let refused = try await skillForge("import", "--db", directory.path("third.db"), "--rejects", rejects, file)
        #expect(refused.status == 64)
        #expect(refused.stderr.hasPrefix("Error: --rejects needs --skip-invalid"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("third.db")))
        // --batch-size 0 is refused too.
        let zero = try await skillForge("import", "--db", db, "--batch-size", "0", file)
        #expect(zero.status == 64)
        #expect(zero.stderr.hasPrefix("Error: The value '0' is invalid for '--batch-size <count>': must be at least 1\n"))
    }

    @Test("binary garbage, UTF-16 text, an empty file and a missing file are clear errors")
    func importUnreadable() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let binary = directory.path("garbage.bin")
        var bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        var seed: UInt64 = 99
        for _ in 0..<4_096 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(UInt8(truncatingIfNeeded: seed >> 40))
        }
        bytes[100] = 0
        try Data(bytes).write(to: URL(fileURLWithPath: binary))
        let garbage = try await skillForge("import", "--db", db, binary)
        #expect(garbage.status == 1)
        #expect(garbage.stderr == "Error: \(binary): is not text (binary data?)\n")
        // Forced to read it as JSONL: every line is invalid, the first stops the import.
        let forced = try await skillForge("import", "--db", db, "--from", "jsonl", binary)
        #expect(forced.status == 1)
        #expect(forced.stderr.hasPrefix("Error: \(binary):1: "))

        let utf16 = directory.path("utf16.jsonl")
        var encoded: [UInt8] = [0xFF, 0xFE]
        for unit in jsonl("a").utf16 { encoded += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(encoded).write(to: URL(fileURLWithPath: utf16))
        for arguments in [["import", "--db", db, utf16], ["import", "--db", db, "--from", "jsonl", utf16]] {
            let result = try await runProcess(skillForgeBinary, arguments)
            #expect(result.status == 1)
            #expect(result.stderr == "Error: \(utf16): is not UTF-8 (it looks like UTF-16); convert it first, e.g. iconv -f UTF-16 -t UTF-8\n")
        }

        let empty = directory.path("empty.jsonl")
        try write("", to: empty)
        let emptyResult = try await skillForge("import", "--db", db, empty)
        #expect(emptyResult.status == 1)
        #expect(emptyResult.stderr == "Error: \(empty): is empty\n")

        let missing = directory.path("missing.jsonl")
        let missingResult = try await skillForge("import", "--db", db, missing)
        #expect(missingResult.status == 1)
        #expect(missingResult.stderr == "Error: \(missing): no such file or directory\n")
        // None of the failed imports left a database behind.
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    // MARK: - export

    @Test("export to stdout and to --output in the three formats; each imports back to the same rows")
    func exportAndReimport() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let records: [[String]] = [
            ["--skill", "alpha", "--ms", "100", "--tokens-in", "10", "--tokens-out", "5", "--timestamp", "2026-11-20T10:00:00Z"],
            ["--skill", "beta, the \"second\"", "--ms", "50", "--tokens-in", "3", "--tokens-out", "4", "--error", "line one\nline, \"two\"",
             "--version", "2.0", "--model", "m ✨", "--session", "s1", "--metadata", #"{"k":[1,"x"]}"#, "--estimated",
             "--cache-read", "7", "--cache-creation", "0", "--timestamp", "2026-11-21T09:00:00Z"],
            ["--skill", "alpha", "--ms", "600", "--tokens-in", "30", "--tokens-out", "15", "--failed", "--timestamp", "1795132800000"],
        ]
        for record in records {
            let result = try await skillForge(["record", "--db", db] + record)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let original = try await exportedRows(db)
        #expect(original.count == 3)

        for format in ["jsonl", "csv", "otlp"] {
            // To stdout…
            let stdout = try await skillForge("export", "--db", db, "--format", format)
            #expect(stdout.status == 0 && stdout.stderr == "")
            // …and to a file, with a note on stderr: the same bytes.
            let file = directory.path("export.\(format)")
            let toFile = try await skillForge("export", "--db", db, "--format", format, "--output", file)
            #expect(toFile.status == 0)
            #expect(toFile.stdout == "")
            #expect(toFile.stderr == "wrote 3 runs to \(file)\n")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == stdout.stdout)

            let copy = directory.path("copy-\(format).db")
            let imported = try await skillForge("import", "--db", copy, file)
            #expect(imported.status == 0, "\(imported.stderr)")
            expectSummary(imported.stdout, imported: "3", of: "3", details: "0 already stored", files: "1 file")
            #expect(try await exportedRows(copy) == original, "\(format)")
        }

        // The CSV, read by Python's csv module: every column under its SQL name, NULLs empty.
        let csv = try String(contentsOfFile: directory.path("export.csv"), encoding: .utf8)
        let rows = try parseCSV(csv)
        try #require(rows.count == 3)
        #expect(rows[1]["skill_id"] == #"beta, the "second""#)
        #expect(rows[1]["error"] == "line one\nline, \"two\"")
        #expect(rows[1]["metadata"] == #"{"k":[1,"x"]}"#)
        #expect(rows[1]["tokens_estimated"] == "1" && rows[1]["cache_creation_tokens"] == "0")
        #expect(rows[0]["version"] == "" && rows[0]["cache_read_tokens"] == "")
        #expect(rows[2]["success"] == "0" && rows[2]["id"] == "3")
    }

    @Test(
        "OTLP export parses with OpenTelemetry's own protobuf definitions (strictly), with hex ids",
        .enabled(if: otlpProtoIsAvailable, "needs Python's opentelemetry-proto (pip install opentelemetry-proto)"))
    func otlpExportMatchesTheProtoDefinitions() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let records: [[String]] = [
            ["--skill", "alpha", "--ms", "100", "--tokens-in", "10", "--tokens-out", "5", "--model", "m1",
             "--timestamp", "2026-11-20T10:00:00Z"],
            ["--skill", "beta", "--ms", "2500", "--tokens-in", "3", "--tokens-out", "4", "--failed", "--error", "HTTP 503",
             "--version", "2.0", "--cache-read", "7", "--timestamp", "2026-11-21T09:00:00Z"],
        ]
        for record in records {
            let result = try await skillForge(["record", "--db", db] + record)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let file = directory.path("spans.json")
        #expect(try await skillForge("export", "--db", db, "--format", "otlp", "--output", file).status == 0)

        // json_format.Parse rejects unknown fields and wrong JSON types. Protobuf's JSON mapping reads
        // bytes as base64 where OTLP writes hex ids, so the ids are checked on the raw JSON.
        let script = """
            import json, re, sys
            from google.protobuf import json_format
            from opentelemetry.proto.trace.v1 import trace_pb2
            spans = []
            for line in open(sys.argv[1]):
                data = json_format.Parse(line, trace_pb2.TracesData())
                for resource in json.loads(line)["resourceSpans"]:
                    for scope in resource["scopeSpans"]:
                        for span in scope["spans"]:
                            assert re.fullmatch("[0-9a-f]{32}", span["traceId"]), span["traceId"]
                            assert re.fullmatch("[0-9a-f]{16}", span["spanId"]), span["spanId"]
                for resource in data.resource_spans:
                    for scope in resource.scope_spans:
                        for span in scope.spans:
                            attributes = {}
                            for attribute in span.attributes:
                                kind = attribute.value.WhichOneof("value")
                                attributes[attribute.key] = str(getattr(attribute.value, kind)) if kind else None
                            spans.append({"name": span.name, "kind": span.kind, "status": span.status.code,
                                          "message": span.status.message, "attributes": attributes,
                                          "durationNanoseconds": span.end_time_unix_nano - span.start_time_unix_nano})
            print(json.dumps(spans))
            """
        let parsed = try await runProcess("/usr/bin/env", ["python3", "-c", script, file])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let spans = try JSONDecoder().decode([ParsedSpan].self, from: Data(parsed.stdout.utf8))
        try #require(spans.count == 2)
        // SpanKind 1 = INTERNAL, StatusCode 1 = OK, 2 = ERROR (opentelemetry/proto/trace/v1/trace.proto).
        #expect(spans[0].name == "execute_tool alpha" && spans[0].kind == 1 && spans[0].status == 1)
        #expect(spans[0].durationNanoseconds == 100_000_000)
        #expect(spans[0].attributes["gen_ai.tool.name"] == "alpha" && spans[0].attributes["gen_ai.request.model"] == "m1")
        #expect(spans[0].attributes["gen_ai.usage.input_tokens"] == "10" && spans[0].attributes["gen_ai.usage.output_tokens"] == "5")
        #expect(spans[1].status == 2 && spans[1].message == "HTTP 503")
        #expect(spans[1].durationNanoseconds == 2_500_000_000)
        #expect(spans[1].attributes["gen_ai.usage.cache_read.input_tokens"] == "7")
        #expect(spans[1].attributes["skill_forge.version"] == "2.0")
    }

    @Test("export --skill and --since/--until choose the rows; a missing database is an error")
    func exportFilters() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = directory.path("runs.jsonl")
        try write((0..<6).map { jsonl($0 % 2 == 0 ? "even" : "odd", ms: $0, runId: "r\($0)", hourOffset: $0) }.joined(), to: file)
        #expect(try await skillForge("import", "--db", db, file).status == 0)

        let even = try await skillForge("export", "--db", db, "--skill", "even")
        #expect(even.stdout.split(separator: "\n").map { $0.contains(#""skillId":"even""#) } == [true, true, true])
        let window = try await skillForge(
            "export", "--db", db, "--format", "csv", "--since", "2026-11-20T02:00:00Z", "--until", "2026-11-20T05:00:00Z")
        let rows = try parseCSV(window.stdout)
        #expect(rows.map { $0["run_id"] ?? "" } == ["r2", "r3", "r4"])
        let none = try await skillForge("export", "--db", db, "--skill", "nobody", "--format", "csv")
        #expect(none.stdout == "id,skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,version,model,error,tokens_estimated,cache_read_tokens,cache_creation_tokens,session_id,run_id,source,metadata,cost_usd,tokens_known,cost_estimated\n")

        let missing = try await skillForge("export", "--db", directory.path("none.db"))
        #expect(missing.status == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.path("none.db")))
        // An --output in a missing directory creates nothing.
        let nowhere = directory.path("no/dir/out.jsonl")
        let failed = try await skillForge("export", "--db", db, "--output", nowhere)
        #expect(failed.status == 1)
        #expect(failed.stderr == "Error: cannot create \(nowhere): check that its directory exists and is writable\n")
    }

    // MARK: - vacuum and backup

    @Test("vacuum prints the sizes before and after; backup writes a copy, never over a file")
    func vacuumAndBackup() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = directory.path("runs.jsonl")
        let padding = String(repeating: "p", count: 2_000)
        try write((0..<2_000).map { jsonl("s\($0 % 2)", ms: $0, runId: "r\($0)-\(padding)".prefix(200).description) }.joined(), to: file)
        #expect(try await skillForge("import", "--db", db, file).status == 0)
        #expect(try await skillForge("delete", "--db", db, "--skill", "s0", "--yes").status == 0)

        let vacuum = try await skillForge("vacuum", "--db", db)
        #expect(vacuum.status == 0, "\(vacuum.stderr)")
        let sizes = try #require(vacuum.stdout.wholeMatch(of: /(.+): ([0-9.]+ [kM]?B) → ([0-9.]+ [kM]?B)\n/))
        #expect(String(sizes.1) == db)
        #expect(sizes.2 != sizes.3)
        #expect(try await exportedRows(db).count == 1_000)

        let copy = directory.path("copy.db")
        let backup = try await skillForge("backup", "--db", db, copy)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout == "backed up \(db) to \(copy)\n")
        let copied = try await exportedRows(copy)
        #expect(try await copied == exportedRows(db))

        let again = try await skillForge("backup", "--db", db, copy)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        let nowhere = directory.path("missing/copy.db")
        let missingDirectory = try await skillForge("backup", "--db", db, nowhere)
        #expect(missingDirectory.status == 1)
        #expect(!FileManager.default.fileExists(atPath: nowhere))
        // Of a database that does not exist.
        let noDatabase = try await skillForge("vacuum", "--db", directory.path("none.db"))
        #expect(noDatabase.status == 1)
    }

    @Test("the help of import, export, vacuum and backup has examples", arguments: ["import", "export", "vacuum", "backup"])
    func helpHasExamples(_ command: String) async throws {
        let result = try await skillForge(command, "--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("skill-forge \(command)"))
    }
}

private func skillForge(_ arguments: [String]) async throws -> ProcessResult {
    try await runProcess(skillForgeBinary, arguments)
}

/// A span as the OTLP check script prints it.
private struct ParsedSpan: Decodable {
    var name: String
    var kind: Int
    var status: Int
    var message: String
    var attributes: [String: String?]
    var durationNanoseconds: Int64
}

/// Whether Python can load OpenTelemetry's protobuf definitions; CI installs them, so there the test always runs.
private let otlpProtoIsAvailable = pythonCanImport("opentelemetry.proto.trace.v1.trace_pb2")
