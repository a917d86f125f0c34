import Foundation
import Testing

/// Claude Code's telemetry, as the Collector's file exporter writes it (see the fixture's README).
private let telemetry = packageRoot
    .appendingPathComponent("Tests/SkillForgeTests/Fixtures/claude-code-otel/claude-code-telemetry.jsonl").path

/// What the summary line says of telemetry events, up to the time it took.
private func expectEvents(_ output: String, _ counts: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let prefix = "merged \(counts) from 1 file in "
    #expect(output.hasPrefix(prefix), "\(output)", sourceLocation: sourceLocation)
    // One summary line, and what was passed over on the next.
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 3 && lines[1].hasPrefix("passed over: ") && lines[2].isEmpty, "\(output)", sourceLocation: sourceLocation)
}

/// The rows, read by the sqlite3 shell, in run id order.
private func shellRows(_ db: String) async throws -> String {
    let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is the independent reader")
    let result = try await runProcess(
        sqlite3,
        [db, "SELECT skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, quote(cost_usd) FROM skill_metrics ORDER BY run_id"])
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout
}

@Suite("import --from otlp-logs")
struct ImportTelemetryTests {
    /// The fixture's four runs, worked out by hand in the fixture's README terms (T = 1795168800000):
    /// pdf-report from T + 2,470 to T + 14,000; commit from T + 60,000 to T + 62,500, failed;
    /// the MCP call from T + 10,380 for 820 ms, tokens estimated from bytes; review from T + 120,500 for 3,500 ms.
    static let rows = """
        pdf-report|11530|4470|1932|1|1795168802470|0.06512
        commit|2500|310|95|0|1795168860000|0.00712
        mcp:github/create_issue|820|383|103|1|1795168810380|NULL
        review|3500|5120|777|1|1795168920500|0.04203

        """

    @Test("the events become four rows; importing the file again merges nothing and changes no row")
    func importTwice() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("telemetry.db")
        let first = try await skillForge("import", "--db", db, "--from", "otlp-logs", telemetry)
        #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
        expectEvents(first.stdout, "9 of 12 events into 4 runs (4 new, 0 updated; 3 already merged, 5 redacted, 4 passed over)")
        #expect(try await shellRows(db) == Self.rows)

        // Detected from the content, without --from.
        let again = try await skillForge("import", "--db", db, telemetry)
        #expect(again.status == 0, "\(again.stderr)")
        expectEvents(again.stdout, "0 of 12 events into 0 runs (0 new, 0 updated; 12 already merged, 5 redacted, 4 passed over)")
        #expect(try await shellRows(db) == Self.rows)
        let sqlite3 = try #require(sqlite3Path)
        #expect(try await runProcess(sqlite3, [db, "SELECT COUNT(*) FROM merged_events"]).stdout == "9\n")
        #expect(try await runProcess(sqlite3, [db, "SELECT * FROM skill_metrics;"]).status == 0)
    }

    @Test("--all-tools adds the Bash call; small batches update runs into the same rows")
    func allToolsInBatches() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("tools.db")
        let result = try await skillForge("import", "--db", db, "--from", "otlp-logs", "--all-tools", "--batch-size", "3", telemetry)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("merged 10 of 13 events into "), "\(result.stdout)")
        // Bash: logged at T + 7,100 after 1,150 ms; 311 result bytes → 78 tokens in, 86 input bytes → 22 out.
        let bash = "tool:Bash|1150|78|22|0|1795168805950|NULL\n"
        let rows = try await shellRows(db)
        #expect(rows.split(separator: "\n").sorted() == (Self.rows + bash).split(separator: "\n").sorted())
    }

    @Test("--all-tools belongs to otlp-logs and the agents' logs (codex, gemini)")
    func allToolsNeedsTelemetry() async throws {
        let result = try await skillForge("import", "--from", "jsonl", "--all-tools", telemetry)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: --all-tools is for --from otlp-logs (Claude Code's telemetry), codex and gemini.\n"), "\(result.stderr)")
    }
}
