import Foundation
import Testing

@Suite("Many processes writing at once")
struct ConcurrentProcessesTests {
    @Test("4 processes × 500 single inserts through the CLI store exactly 2,000 rows, with no error")
    func fourWriters() async throws {
        let sqlite3 = try #require(sqlite3Path)
        let directory = try TemporaryDirectory()
        let db = directory.path("contended.db")
        // Each writer is a shell loop that calls `skill-forge record` 500 times; all four start at once
        // on a database that does not exist yet, so they also race to create and migrate it.
        let loop = """
            i=0
            while [ $i -lt 500 ]; do
              "$SKILL_FORGE" record --db "$DB" --skill "writer-$WRITER" --ms $i --tokens-in 1 --tokens-out 2 > /dev/null || exit 1
              i=$((i + 1))
            done
            """
        try await withThrowingTaskGroup(of: ProcessResult.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    try await runProcess(
                        "/bin/sh", ["-c", loop],
                        environment: ["SKILL_FORGE": skillForgeBinary, "DB": db, "WRITER": "\(writer)"])
                }
            }
            for try await result in group {
                #expect(result.status == 0)
                #expect(result.stderr.isEmpty, "a writer reported: \(result.stderr)")
            }
        }
        let counts = try await runProcess(
            sqlite3, [db, "SELECT skill_id, COUNT(*), COUNT(DISTINCT execution_ms) FROM skill_metrics GROUP BY skill_id"])
        #expect(counts.stdout == "writer-0|500|500\nwriter-1|500|500\nwriter-2|500|500\nwriter-3|500|500\n")
        #expect(try await runProcess(sqlite3, [db, "SELECT COUNT(*), MAX(id) FROM skill_metrics"]).stdout == "2000|2000\n")
    }

    @Test("4 processes importing the same 2,000 records at once store each exactly once")
    func concurrentImports() async throws {
        let sqlite3 = try #require(sqlite3Path)
        let directory = try TemporaryDirectory()
        let db = directory.path("imported.db")
        let file = directory.path("runs.jsonl")
        // 2,000 different records without run ids: each import derives the same ids from their fields.
        try write((0..<2_000).map { jsonl("skill-\($0 % 7)", ms: $0, hourOffset: $0 % 24) }.joined(), to: file)
        // Small transactions, so that the four processes take turns many times on a file none has created yet.
        let results = try await withThrowingTaskGroup(of: ProcessResult.self) { group in
            for _ in 0..<4 {
                group.addTask { try await skillForge("import", "--db", db, "--batch-size", "50", file) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var imported = 0
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            let count = result.stdout.firstMatch(of: /^imported ([0-9,]+) of 2,000 records/)?.1
            imported += Int(count?.replacing(",", with: "") ?? "") ?? -1
        }
        #expect(imported == 2_000, "the processes' own counts: \(results.map(\.stdout))")
        let stored = try await runProcess(
            sqlite3, [db, "SELECT COUNT(*), COUNT(DISTINCT run_id), COUNT(run_key), COUNT(DISTINCT execution_ms) FROM skill_metrics"])
        #expect(stored.stdout == "2000|2000|2000|2000\n")
    }

    @Test("8 processes that open the same new database at once all succeed, 30 times over")
    func simultaneousOpeners() async throws {
        let sqlite3 = try #require(sqlite3Path)
        let directory = try TemporaryDirectory()
        // Opening a new file races to switch it to WAL (SQLite answers SQLITE_BUSY at once to the
        // losers) and to migrate it; before both were retried, about one round in 16 failed here (6 in 100).
        let rounds = """
            failed=0
            round=0
            while [ $round -lt 30 ]; do
              db="$DIR/round-$round.db"
              # xargs starts the 8 at once and waits for them all.
              printf '%s\n' 1 2 3 4 5 6 7 8 | xargs -P 8 -I '{}' \
                "$SKILL_FORGE" record --db "$db" --skill "opener-{}" --ms 1 --tokens-in 1 --tokens-out 1 > /dev/null \
                || failed=1
              rows=$("$SQLITE3" "$db" "SELECT COUNT(DISTINCT skill_id) FROM skill_metrics")
              [ "$rows" = 8 ] || { echo "round $round: $rows skills stored" >&2; failed=1; }
              round=$((round + 1))
            done
            exit $failed
            """
        let result = try await runProcess(
            "/bin/sh", ["-c", rounds],
            environment: ["SKILL_FORGE": skillForgeBinary, "SQLITE3": sqlite3, "DIR": directory.url.path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
