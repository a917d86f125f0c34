import Foundation
import Testing

/// Runs a command on a pseudo-terminal (stdin, stdout and stderr), answers `answer` to the
/// first `[y/N]` question, and returns everything the terminal showed and the exit status.
///
/// Python's `pty` module plays the user; a command that never asks gets no answer.
/// `meanwhile`, a shell command, runs while the question waits for its answer.
private func onTerminal(
    answering answer: String, meanwhile: String = "", _ arguments: [String]
) async throws -> ProcessResult {
    let user = """
        import os, pty, select, subprocess, sys
        answer, meanwhile, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(argv[0], argv)
        shown, answered = b"", False
        while select.select([fd], [], [], 60)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            shown += data
            if not answered and b"[y/N] " in shown:
                if meanwhile:
                    subprocess.run(meanwhile, shell=True, check=True)
                os.write(fd, answer.encode() + b"\\n")
                answered = True
        _, status = os.waitpid(pid, 0)
        sys.stdout.buffer.write(shown)
        sys.exit(os.waitstatus_to_exitcode(status))
        """
    return try await runProcess("/usr/bin/env", ["python3", "-c", user, answer, meanwhile, skillForgeBinary] + arguments)
}

/// The number of stored runs of `skill`, read with the sqlite3 shell.
private func storedRuns(_ db: String, skill: String) async throws -> String {
    let sqlite3 = try #require(sqlite3Path)
    return try await runProcess(sqlite3, [db, "SELECT COUNT(*) FROM skill_metrics WHERE skill_id = '\(skill)'"]).stdout
}

/// One run of "keep" (recorded now) and 12 of "bulk" (in November 2026), stored with the sqlite3 shell.
private func makeDatabase(in directory: TemporaryDirectory) async throws -> String {
    let sqlite3 = try #require(sqlite3Path)
    let db = directory.path("d.db")
    let recorded = try await skillForge("record", "--db", db, "--skill", "keep", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1")
    #expect(recorded.status == 0, "\(recorded.stderr)")
    let bulk = """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
        INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp)
        SELECT 'bulk', i, 1, 1, 1, 1795132800000 + i FROM n;
        """
    #expect(try await runProcess(sqlite3, [db, bulk]).status == 0)
    #expect(try await storedRuns(db, skill: "bulk") == "12\n")
    return db
}

@Suite("Safety nets of delete, prune and export", .enabled(if: sqlite3Path != nil))
struct DeletionSafetyTests {
    @Test("runs recorded while delete or prune waits for its answer are not deleted: only what the user was told of")
    func deletesOnlyWhatWasConfirmed() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let sqlite3 = try #require(sqlite3Path)
        func recordMeanwhile(_ skill: String) -> String {
            "\(sqlite3) '\(db)' \"INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp) "
                + "VALUES ('\(skill)', 7, 1, 1, 1, 1795132800000)\""
        }
        let deleted = try await onTerminal(
            answering: "y", meanwhile: recordMeanwhile("bulk"), ["delete", "--db", db, "--skill", "bulk"])
        #expect(deleted.status == 0, "\(deleted.stdout)")
        #expect(deleted.stdout.contains("deleted 12 runs of bulk"))
        #expect(try await storedRuns(db, skill: "bulk") == "1\n")

        // Twelve more old runs, then a prune that another old run joins while it asks.
        let more = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp)
            SELECT 'old', i, 1, 1, 1, 1795132800000 + i FROM n;
            """
        #expect(try await runProcess(sqlite3, [db, more]).status == 0)
        let pruned = try await onTerminal(
            answering: "y", meanwhile: recordMeanwhile("late"), ["prune", "--db", db, "--before", "2026-11-22"])
        #expect(pruned.status == 0, "\(pruned.stdout)")
        #expect(pruned.stdout.contains("deleted 13 runs"), "\(pruned.stdout)")
        #expect(try await storedRuns(db, skill: "late") == "1\n")
        #expect(try await storedRuns(db, skill: "old") == "0\n")
    }

    @Test("delete --skill asks on a terminal before deleting 12 runs: no keeps them, yes deletes them")
    func deleteAsksOnTerminal() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let declined = try await onTerminal(answering: "n", ["delete", "--db", db, "--skill", "bulk"])
        #expect(declined.status == 1)
        #expect(declined.stdout.contains("delete 12 runs of bulk? [y/N] "))
        #expect(declined.stdout.contains("Error: not confirmed; nothing was deleted"))
        #expect(try await storedRuns(db, skill: "bulk") == "12\n")

        let confirmed = try await onTerminal(answering: "y", ["delete", "--db", db, "--skill", "bulk"])
        #expect(confirmed.status == 0, "\(confirmed.stdout)")
        #expect(confirmed.stdout.contains("delete 12 runs of bulk? [y/N] "))
        #expect(confirmed.stdout.contains("deleted 12 runs of bulk"))
        #expect(try await storedRuns(db, skill: "bulk") == "0\n")
        #expect(try await storedRuns(db, skill: "keep") == "1\n")
    }

    @Test("prune asks on a terminal too")
    func pruneAsksOnTerminal() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let declined = try await onTerminal(answering: "no", ["prune", "--db", db, "--before", "2026-12-01"])
        #expect(declined.status == 1)
        #expect(declined.stdout.contains("delete 12 runs that started before 2026-12-01 00:00:00 UTC? [y/N] "))
        #expect(try await storedRuns(db, skill: "bulk") == "12\n")

        let confirmed = try await onTerminal(answering: "yes", ["prune", "--db", db, "--before", "2026-12-01"])
        #expect(confirmed.status == 0, "\(confirmed.stdout)")
        #expect(confirmed.stdout.contains("deleted 12 runs that started before 2026-12-01 00:00:00 UTC"))
        #expect(try await storedRuns(db, skill: "bulk") == "0\n")
        #expect(try await storedRuns(db, skill: "keep") == "1\n")
    }

    @Test("without a terminal, more than 10 runs are refused unless --yes, and nothing waits for an answer")
    func refusedWithoutTerminal() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        // runProcess gives the command /dev/null as standard input: not a terminal.
        for command in [["delete", "--skill", "bulk"], ["prune", "--before", "2026-12-01"]] {
            let refused = try await runProcess(skillForgeBinary, command + ["--db", db])
            #expect(refused.status == 1)
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr.hasPrefix("Error: refusing to delete 12 runs "), "\(refused.stderr)")
            #expect(refused.stderr.hasSuffix("pass --yes to delete them (or --dry-run to only count them)\n"))
            #expect(!refused.stderr.contains("[y/N]"))
            #expect(try await storedRuns(db, skill: "bulk") == "12\n")
        }
        let forced = try await skillForge("delete", "--db", db, "--skill", "bulk", "--yes")
        #expect(forced.stdout == "deleted 12 runs of bulk\n")
        #expect(try await storedRuns(db, skill: "bulk") == "0\n")
        // A handful goes without asking.
        let one = try await skillForge("prune", "--db", db, "--before", "1d")
        #expect(one.status == 0)
        #expect(one.stdout.hasPrefix("deleted 0 runs that started before "))
        let keep = try await skillForge("delete", "--db", db, "--skill", "keep")
        #expect(keep.stdout == "deleted 1 run of keep\n")
    }

    @Test("delete --dry-run counts without deleting; a skill without runs or an unknown id is an error")
    func deleteDryRunAndTypos() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let preview = try await skillForge("delete", "--db", db, "--skill", "bulk", "--dry-run")
        #expect(preview.status == 0)
        #expect(preview.stdout == "would delete 12 runs of bulk\n")
        #expect(try await skillForge("delete", "--db", db, "--id", "1", "--dry-run").stdout == "would delete run 1\n")
        #expect(try await storedRuns(db, skill: "bulk") == "12\n")
        #expect(try await storedRuns(db, skill: "keep") == "1\n")

        for flag in ["--yes", "--dry-run"] {
            let result = try await skillForge("delete", "--db", db, "--skill", "bulck", flag)
            #expect(result.status == 1)
            #expect(result.stderr == "Error: no runs of skill \"bulck\" are stored; nothing was deleted\n")
        }
        let unknownId = try await skillForge("delete", "--db", db, "--id", "99", "--dry-run")
        #expect(unknownId.status == 1)
        #expect(unknownId.stderr == "Error: no metric has id 99\n")
        #expect(try await storedRuns(db, skill: "bulk") == "12\n")
    }

    @Test("export --output refuses an existing file unless --force, like backup")
    func exportRefusesToOverwrite() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let existing = directory.path("runs.jsonl")
        try "precious\n".write(toFile: existing, atomically: true, encoding: .utf8)
        let refused = try await skillForge("export", "--db", db, "--output", existing)
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: \(existing) already exists; pass --force to overwrite it\n")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "precious\n")

        let forced = try await skillForge("export", "--db", db, "--output", existing, "--force")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr == "wrote 13 runs to \(existing)\n")
        let lines = try String(contentsOfFile: existing, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 13)
    }
}
