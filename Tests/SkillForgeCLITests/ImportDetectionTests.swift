import Foundation
import Testing

/// Real logs of other agents (see Fixtures/other-agents/README.md for their sources).
private let otherAgents = packageRoot.appendingPathComponent("Tests/SkillForgeTests/Fixtures/other-agents")

/// What `import` says of files it cannot read as they are: a JSON array, NUL bytes,
/// CR-only line endings, a metrics file given as Claude Code transcripts.
@Suite("import: files that are not what they seem")
struct ImportDetectionTests {
    @Test("a JSON array is named as one, with the way to convert it; nothing is written")
    func jsonArray() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = directory.path("runs.json")
        try write("[" + jsonl("a").dropLast() + ",\n" + jsonl("b").dropLast() + "]\n", to: file)
        let result = try await skillForge("import", "--db", db, file)
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(file): is a JSON array, not JSON Lines (one object a line); convert it first, e.g. jq -c '.[]' \(file) > runs.jsonl\n")
        #expect(!FileManager.default.fileExists(atPath: db), "a failed import leaves no database behind")
    }

    @Test("a pretty-printed JSON document is named as one, with the way to convert it")
    func multiLineDocument() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = directory.path("runs.json")
        try write("{\n  \"skillId\": \"a\",\n  \"executionMs\": 1\n}\n", to: file)
        let result = try await skillForge("import", "--db", db, file)
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(file): is one JSON document over several lines, not JSON Lines (one object a line); convert it first, e.g. jq -c . \(file) > runs.jsonl\n")
    }

    /// Real files of each agent Skill Forge does not read (Fixtures/other-agents/README.md), auto-detected and given to `--from claude-code`.
    @Test("other agents' logs are named for what they are, with and without --from claude-code; nothing is written", arguments: [
        ("copilot-events.jsonl", "a GitHub Copilot CLI events file"),
        ("cursor-transcript.jsonl", "a Cursor agent transcript"), ("opencode-part.json", "an OpenCode session part"),
    ])
    func otherAgentsLogs(_ name: String, _ what: String) async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = otherAgents.appendingPathComponent(name).path
        let reads = "which Skill Forge does not import yet (it imports metric JSONL, CSV, OTLP JSON traces and logs, Claude Code transcripts, OpenAI Codex CLI rollouts and Gemini CLI sessions)"
        let detected = try await skillForge("import", "--db", db, file)
        #expect(detected.status == 1)
        #expect(detected.stderr == "Error: \(file): is \(what), \(reads)\n")
        let forced = try await skillForge("import", "--db", db, "--from", "claude-code", file)
        #expect(forced.status == 1)
        #expect(forced.stderr == "Error: \(file): holds no Claude Code transcript line: it is \(what), \(reads)\n")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    /// The real Codex 0.53 rollout (Fixtures/other-agents/README.md): usage and rate limits, no call.
    @Test("a Codex rollout is detected and imported; --from claude-code names the --from to use")
    func codexRollout() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = otherAgents.appendingPathComponent("codex-rollout.jsonl").path
        let forced = try await skillForge("import", "--db", db, "--from", "claude-code", file)
        #expect(forced.status == 1)
        #expect(forced.stderr == "Error: \(file): holds no Claude Code transcript line: it is an OpenAI Codex CLI rollout: use --from codex\n")
        #expect(!FileManager.default.fileExists(atPath: db))
        let detected = try await skillForge("import", "--db", db, file)
        #expect(detected.status == 0, "\(detected.stderr)")
        expectSummary(detected.stdout, imported: "0", of: "0", details: "0 already stored", files: "1 file")
        // And a transcript given to --from codex is named for what it is.
        let transcript = packageRoot.appendingPathComponent(
            "Tests/SkillForgeTests/Fixtures/claude-code/-Users-dana-code-invoice-tool/agent-5e1d9b07.jsonl").path
        let wrong = try await skillForge("import", "--db", db, "--from", "codex", transcript)
        #expect(wrong.status == 1)
        #expect(wrong.stderr == "Error: \(transcript): holds no OpenAI Codex CLI rollout line: it looks like Claude Code transcripts; use --from claude-code\n")
    }

    @Test("a file of NUL bytes is binary data, not UTF-16")
    func nulBytes() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = directory.path("zeros.jsonl")
        try Data(count: 4_096).write(to: URL(fileURLWithPath: file))
        let detected = try await skillForge("import", "--db", db, file)
        #expect(detected.status == 1)
        #expect(detected.stderr == "Error: \(file): is not text (binary data?)\n")
        let forced = try await skillForge("import", "--db", db, "--from", "jsonl", file)
        #expect(forced.status == 1)
        #expect(forced.stderr == "Error: \(file):1: the line holds binary data (NUL bytes), not JSON\n")
    }

    @Test("a CSV with CR-only line endings is refused with the way to convert it, not read as empty")
    func carriageReturnLineEndings() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let file = directory.path("runs.csv")
        try write("skill_id,execution_ms,tokens_in,tokens_out,success,timestamp\ra,1,1,1,1,1795132800000\rb,2,1,1,1,1795132800000\r", to: file)
        let result = try await skillForge("import", "--db", db, file)
        #expect(result.status == 1)
        #expect(result.stderr == #"Error: \#(file):1: a carriage return (CR) outside quotes ends no line: CR-only line endings are not read; convert them first, e.g. tr '\r' '\n' < in.csv > out.csv"# + "\n")
        #expect(!FileManager.default.fileExists(atPath: db), "a failed import leaves no database behind")
        // Converted as the message says, the same file imports both rows; a CR inside quotes stays allowed.
        let converted = directory.path("converted.csv")
        try write("skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,error\na,1,1,1,1,1795132800000,\nb,2,1,1,0,1795132800000,\"x\ry\"\n", to: converted)
        let imported = try await skillForge("import", "--db", db, converted)
        #expect(imported.status == 0, "\(imported.stderr)")
        expectSummary(imported.stdout, imported: "2", of: "2", details: "0 already stored", files: "1 file")
        #expect(try await exportedRows(db).last?.contains(#""error":"x\ry""#) == true)
    }

    @Test("--from claude-code of files with no transcript line says what they look like and fails")
    func noTranscriptLines() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let metrics = directory.path("all.jsonl")
        try write((0..<91).map { jsonl("s\($0)", runId: "r\($0)") }.joined(), to: metrics)
        let result = try await skillForge("import", "--db", db, "--from", "claude-code", metrics)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "Error: \(metrics): holds no Claude Code transcript line: it looks like metric JSONL; import it without --from claude-code\n")
        // Another agent's log is no metrics either: it is named for what it is (otherAgentsLogs).
        // The same with --skip-invalid, and for a CSV file.
        let table = directory.path("runs.csv")
        try write("skill_id,execution_ms,tokens_in,tokens_out,success,timestamp\na,1,1,1,1,1795132800000\n", to: table)
        let skipping = try await skillForge("import", "--db", db, "--from", "claude-code", "--skip-invalid", table)
        #expect(skipping.status == 1)
        #expect(skipping.stderr == "Error: \(table): holds no Claude Code transcript line: it looks like CSV; import it without --from claude-code\n")
        // A directory of such files.
        let folder = directory.path("projects")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: metrics, toPath: folder + "/a.jsonl")
        try write("", to: folder + "/b.jsonl")
        let none = try await skillForge("import", "--db", db, "--from", "claude-code", folder)
        #expect(none.status == 1)
        #expect(none.stderr == "Error: \(folder)/a.jsonl, \(folder)/b.jsonl: none of these 2 files holds a Claude Code transcript line\n")
        #expect(!FileManager.default.fileExists(atPath: db), "a failed import leaves no database behind")
        // One transcript among them is enough: the others' lines are passed over, as before.
        try FileManager.default.copyItem(
            atPath: packageRoot.appendingPathComponent("Tests/SkillForgeTests/Fixtures/claude-code/-Users-dana-code-invoice-tool/agent-5e1d9b07.jsonl").path,
            toPath: folder + "/c.jsonl")
        let mixed = try await skillForge("import", "--db", db, "--from", "claude-code", folder)
        #expect(mixed.status == 0, "\(mixed.stderr)")
        expectSummary(mixed.stdout, imported: "0", of: "0", details: "0 already stored, 91 passed over", files: "3 files")
    }
}
