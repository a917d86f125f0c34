import Foundation
import Testing

/// The columns a copy keeps, in the `sqlite3` shell's own quoting: every one but the id
/// (the destination numbers the runs) and the run id (compared on its own).
private let copiedColumns = """
    SELECT skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, quote(version), quote(model), quote(error),
           quote(tokens_estimated), quote(cache_read_tokens), quote(cache_creation_tokens), quote(session_id), quote(source),
           quote(metadata), quote(cost_usd), quote(tokens_known), quote(cost_estimated)
    FROM skill_metrics
    """

@Suite("skill-forge migrate")
struct MigrateCommandTests {
    /// A source of five valid runs (recorded with run ids, imported with derived ones, one
    /// written by the seed's SQL without any) and one row another tool broke.
    private func makeSource(in directory: TemporaryDirectory) async throws -> String {
        let sqlite3 = try #require(sqlite3Path)
        let source = directory.path("source.db")
        let records: [[String]] = [
            ["--skill", "alpha", "--ms", "100", "--tokens-in", "10", "--tokens-out", "5", "--timestamp", "2026-11-20T10:00:00Z",
             "--version", "1.0", "--model", "claude-sonnet-4-5", "--cost", "0.0125"],
            ["--skill", "alpha", "--ms", "200", "--failed", "--error", "timeout", "--timestamp", "2026-11-20T11:00:00Z"],
        ]
        for record in records {
            let result = try await runProcess(skillForgeBinary, ["record", "--db", source] + record)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let jsonl = directory.path("runs.jsonl")
        try """
            {"skill_id":"beta","execution_ms":50,"tokens_in":3,"tokens_out":4,"success":true,"timestamp":1795132800000,"cache_read_tokens":7}
            {"skill_id":"beta","execution_ms":70,"tokens_in":3,"tokens_out":4,"success":true,"timestamp":1795132860000,"run_id":"given-1"}

            """.write(toFile: jsonl, atomically: true, encoding: .utf8)
        #expect(try await runProcess(skillForgeBinary, ["import", "--db", source, jsonl]).status == 0)
        let seedRows = try await runProcess(sqlite3, [source, """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp) VALUES
              ('seed', 5, 1, 1, 1, 1795132800000), ('broken', -5, 1, 1, 1, 1795132800000);
            """])
        #expect(seedRows.status == 0, "\(seedRows.stderr)")
        return source
    }

    @Test("every valid run is copied with every column; again, nothing is; stats read the same from both")
    func copiesOnce() async throws {
        let sqlite3 = try #require(sqlite3Path)
        let directory = try TemporaryDirectory()
        let source = try await makeSource(in: directory)
        let destination = directory.path("copy/destination.db")
        try FileManager.default.createDirectory(atPath: directory.path("copy"), withIntermediateDirectories: true)

        let first = try await runProcess(skillForgeBinary, ["migrate", "--from", source, "--to", destination, "--batch-size", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("copied 5 of 5 runs (0 already stored) from \(source) to \(destination) in "))
        #expect(first.stderr == "warning: left 1 stored row of \(source) behind that breaks the rules of the database (written by another tool)\n")

        let valid = "WHERE execution_ms >= 0 ORDER BY id"
        let expected = try await runProcess(sqlite3, [source, "\(copiedColumns) \(valid)"]).stdout
        let copied = try await runProcess(sqlite3, [destination, "\(copiedColumns) ORDER BY id"]).stdout
        #expect(copied == expected && expected.split(separator: "\n").count == 5)
        // Run ids are kept; the seed's row, which had none, gets a derived one (`row:` and 32 hex digits).
        let sourceIds = try await runProcess(sqlite3, [source, "SELECT quote(run_id) FROM skill_metrics \(valid)"]).stdout
            .split(separator: "\n")
        let copiedIds = try await runProcess(sqlite3, [destination, "SELECT run_id FROM skill_metrics ORDER BY id"]).stdout
            .split(separator: "\n")
        #expect(sourceIds.count == 5 && sourceIds.last == "NULL")
        #expect(copiedIds.dropLast().map { "'\($0)'" } == Array(sourceIds.dropLast()))
        #expect(copiedIds.last.map { $0.hasPrefix("row:") && $0.count == 36 && $0.dropFirst(4).allSatisfy(\.isHexDigit) } == true)
        #expect(try await runProcess(sqlite3, [destination, "SELECT id FROM skill_metrics ORDER BY id"]).stdout == "1\n2\n3\n4\n5\n")

        let again = try await runProcess(skillForgeBinary, ["migrate", "--from", source, "--to", destination])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("copied 0 of 5 runs (5 already stored) from "))
        #expect(try await runProcess(sqlite3, [destination, "SELECT COUNT(*) FROM skill_metrics"]).stdout == "5\n")

        for command in [["stats", "--format", "json"], ["skills", "--format", "json"], ["stats", "alpha", "--since", "2026-11-20"]] {
            let fromSource = try await runProcess(skillForgeBinary, command + ["--db", source])
            let fromCopy = try await runProcess(skillForgeBinary, command + ["--db", destination])
            #expect(fromSource.status == 0 && fromCopy.status == 0)
            #expect(fromCopy.stdout == fromSource.stdout && !fromCopy.stdout.isEmpty, "\(command)")
        }
    }

    @Test("the same database twice, or a missing source, is refused and writes nothing")
    func refusals() async throws {
        let directory = try TemporaryDirectory()
        let source = try await makeSource(in: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: source))

        let same = try await runProcess(skillForgeBinary, ["migrate", "--from", source, "--to", directory.path("./source.db")])
        #expect(same.status == 1)
        #expect(same.stderr == "Error: --from and --to both name \(source); nothing to copy\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: source)) == before)

        let missing = directory.path("missing.db")
        let destination = directory.path("new.db")
        let absent = try await runProcess(skillForgeBinary, ["migrate", "--from", missing, "--to", destination])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains(missing), "\(absent.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing) && !FileManager.default.fileExists(atPath: destination))
    }
}
