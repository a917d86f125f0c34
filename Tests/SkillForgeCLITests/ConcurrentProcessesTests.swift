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
}
