import Foundation
import Testing

/// Runs `skill-forge` with an argument array.
private func skillForge(_ arguments: [String]) async throws -> ProcessResult {
    try await runProcess(skillForgeBinary, arguments)
}

@Suite("CSV output protects spreadsheets from formulas")
struct CSVFormulaTests {
    /// Text a spreadsheet would run: OWASP's first characters =, +, -, @, tab and CR (names refuse
    /// control characters; an error message may hold them), and a text that already starts with ' before one.
    static let hostile: [(option: String, value: String)] = [
        ("--skill", #"=HYPERLINK("http://evil.example","x")"#), ("--error", "\t\r-1 retries left"), ("--version", "@v2"),
        ("--model", "+m"), ("--session", "-s"), ("--run-id", "'=already quoted"),
    ]

    @Test("export --format csv prefixes ' to such text; import restores the original text")
    func exportProtectsAndImportRestores() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("formulas.db")
        let recorded = try await skillForge(
            ["record", "--db", db, "--ms", "5", "--tokens-in", "1", "--tokens-out", "1", "--timestamp", "1795132800000"]
                + Self.hostile.map { "\($0.option)=\($0.value)" })
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let file = directory.path("export.csv")
        #expect(try await skillForge(["export", "--db", db, "--format", "csv", "--output", file]).status == 0)
        let row = try #require(try parseCSV(try String(contentsOfFile: file, encoding: .utf8)).first)
        #expect(row["skill_id"] == #"'=HYPERLINK("http://evil.example","x")"#)
        #expect(row["error"] == "'\t\r-1 retries left")
        #expect(row["version"] == "'@v2")
        #expect(row["model"] == "'+m")
        #expect(row["session_id"] == "'-s")
        #expect(row["run_id"] == "''=already quoted")
        // Numbers stay numbers.
        #expect(row["execution_ms"] == "5" && row["timestamp"] == "1795132800000")

        let copy = directory.path("copy.db")
        let imported = try await skillForge(["import", "--db", copy, file])
        #expect(imported.status == 0, "\(imported.stderr)")
        let original = try await skillForge(["export", "--db", db, "--format", "jsonl"]).stdout
        let restored = try await skillForge(["export", "--db", copy, "--format", "jsonl"]).stdout
        #expect(!original.isEmpty && restored == original)
    }

    @Test("report CSVs protect text cells too, never numbers")
    func reportsProtectText() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("report.db")
        let recorded = try await skillForge(
            ["record", "--db", db, "--skill", "=1+1", "--ms", "5", "--tokens-in", "1", "--tokens-out", "1"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let stats = try parseCSV(try await skillForge(["stats", "--db", db, "--format", "csv"]).stdout)
        #expect(stats.first?["skill_id"] == "'=1+1")
        #expect(stats.first?["runs"] == "1" && stats.first?["mean_ms"] == "5.0")
        let metrics = try parseCSV(try await skillForge(["metrics", "=1+1", "--db", db, "--format", "csv"]).stdout)
        #expect(metrics.first?["skill_id"] == "'=1+1")
    }
}
