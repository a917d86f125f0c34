import Foundation
import GRDB
import Testing

@testable import SkillForge

/// Keys worked out with Python, independently of the code:
/// `int.from_bytes(hashlib.sha256(run_id.encode()).digest()[:8], "big", signed=True)`.
private let expectedKeys: [(runId: String, key: Int64)] = [
    ("r1", -9_010_601_390_311_183_475),  // SHA-256 starts 82f3e9c695dc6b8d: negative
    ("mine", 4_599_025_429_766_955_441),  // 3fd30542fe3f61b1: positive
    ("old-1", 7_969_631_436_936_573_249),
    ("old-2", -94_895_681_720_620_141),
    ("renamed", 107_697_307_737_701_303),
    ("数据 𝄞", 5_710_233_054_295_932_444),  // UTF-8 bytes, not UTF-16
    ("row:00000000000000000000000000000000", 3_129_619_678_176_329_858),
]

private func key(_ runId: String) -> Int64 {
    expectedKeys.first { $0.runId == runId }?.key ?? 0
}

/// What the `sqlite3` shell prints for `sql` on the database at `path`.
private func shell(_ path: String, _ sql: String) throws -> String {
    let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is the independent reader and writer")
    let result = try runProcess(sqlite3, [path, sql])
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout
}

/// The SQL of a row that another tool inserts with a run id but no key.
private func shellRow(runId: String) -> String {
    """
    INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, run_id)
    VALUES ('shell', 1, 1, 1, 1, 1795132800000, '\(runId)')
    """
}

@Suite("Run keys: how duplicate runs are found")
struct RunKeyTests {
    @Test("a run key is the first 8 bytes of the SHA-256 of the run id's UTF-8, big-endian and signed")
    func definition() {
        for (runId, key) in expectedKeys {
            #expect(RunKey.of(runId) == key, "\(runId)")
        }
    }

    @Test("every insert stores its run id's key; a run without a run id has none")
    func storedKeys() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("keys.db")
        let db = try ProfilerDB(path: path)
        try db.insert(run(runId: "r1"))
        try db.insert(contentsOf: [run(runId: "数据 𝄞"), run()])
        #expect(try shell(path, "SELECT quote(run_key) FROM skill_metrics ORDER BY id") == """
            \(key("r1"))
            \(key("数据 𝄞"))
            NULL

            """)
    }

    @Test("two run ids that share a key are both stored, and each is still found as a duplicate")
    func sharedKey() throws {
        let db = try ProfilerDB.inMemory()
        // Another row already holds the key of "mine": a collision, made by storing
        // "other" under it (no two run ids with one SHA-256 prefix are known).
        try db.write { database in
            try database.execute(
                sql: """
                    INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, run_id, run_key)
                    VALUES ('s', 1, 1, 1, 1, ?, 'other', ?)
                    """,
                arguments: [day20, key("mine")])
        }
        try db.insert(run(runId: "mine"))
        #expect(try db.count() == 2, "the shared key did not make \"mine\" a duplicate")
        #expect(throws: ProfilerError.duplicateRunId("mine")) { try db.insert(run(runId: "mine")) }
        let batch = try db.insert(contentsOf: [run(runId: "mine"), run(runId: "fresh")], duplicateRuns: .skip)
        #expect(batch == BatchInsertResult(inserted: 1, skipped: 1))
        let stored = try db.metrics(matching: MetricsFilter(order: .insertion)).map(\.runId)
        #expect(stored == ["other", "mine", "fresh"])
    }

    @Test("a run id that the sqlite3 shell stored without a key is found as a duplicate")
    func unkeyedRows() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shell.db")
        let db = try ProfilerDB(path: path)
        _ = try shell(path, shellRow(runId: "shell-run"))
        #expect(try shell(path, "SELECT quote(run_key) FROM skill_metrics") == "NULL\n")

        #expect(throws: ProfilerError.duplicateRunId("shell-run")) { try db.insert(run(runId: "shell-run")) }
        #expect(throws: ProfilerError.duplicateRunId("shell-run")) {
            try db.insert(contentsOf: [run(runId: "fresh"), run(runId: "shell-run")])
        }
        let skipped = try await db.insert(contentsOf: [run(runId: "shell-run"), run(runId: "fresh")], duplicateRuns: .skip)
        #expect(skipped == BatchInsertResult(inserted: 1, skipped: 1))
        let file = try writeFile("again.jsonl", """
            {"skill_id":"s","execution_ms":1,"tokens_in":1,"tokens_out":1,"success":true,"timestamp":1795132800000,"run_id":"shell-run"}

            """, in: directory)
        let imported = try await Importer(store: db).run([ImportInput(path: file)])
        #expect(imported.imported == 0 && imported.duplicates == 1)
        #expect(try db.count() == 2)
    }

    @Test("a run id changed by another tool loses its key: found under its new id, not its old one")
    func runIdChangedByAnotherTool() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("changed.db")
        let db = try ProfilerDB(path: path)
        try db.insert(run(runId: "old-1"))
        _ = try shell(path, "UPDATE skill_metrics SET run_id = 'renamed' WHERE run_id = 'old-1'")
        #expect(try shell(path, "SELECT run_id, quote(run_key) FROM skill_metrics") == "renamed|NULL\n")

        #expect(throws: ProfilerError.duplicateRunId("renamed")) { try db.insert(run(runId: "renamed")) }
        try db.insert(run(runId: "old-1"))
        #expect(try db.count() == 2)
    }

    @Test("update keeps the key in step with the run id, and refuses a run id that another row holds")
    func updates() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("update.db")
        let db = try ProfilerDB(path: path)
        var first = try db.insert(run(runId: "old-1"))
        let second = try db.insert(run(runId: "old-2"))
        first.runId = "renamed"
        try db.update(first)
        try db.update(second)  // its own run id is no duplicate
        #expect(try shell(path, "SELECT run_id, run_key FROM skill_metrics ORDER BY id") == """
            renamed|\(key("renamed"))
            old-2|\(key("old-2"))

            """)

        first.runId = "old-2"
        #expect(throws: ProfilerError.duplicateRunId("old-2")) { try db.update(first) }
        #expect(try db.metric(id: try #require(first.id))?.runId == "renamed")
        #expect(throws: ProfilerError.duplicateRunId("renamed")) { try db.insert(run(runId: "renamed")) }
        try db.insert(run(runId: "old-1"))
    }

    @Test("migrating a database fills the keys of its stored rows and replaces the unique run_id index")
    func migration() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.olderDatabase("v3.db", upTo: "v3-skill-runs-index") { db in
            for runId in ["old-1", nil, "old-2"] {
                try db.execute(
                    sql: """
                        INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, run_id)
                        VALUES ('s', 1, 1, 1, 1, ?, ?)
                        """,
                    arguments: [day20, runId])
            }
        }
        let db = try ProfilerDB(path: path)
        #expect(try shell(path, "SELECT quote(run_id), quote(run_key) FROM skill_metrics ORDER BY id") == """
            'old-1'|\(key("old-1"))
            NULL|NULL
            'old-2'|\(key("old-2"))

            """)
        #expect(try shell(path, "SELECT name FROM sqlite_master WHERE name LIKE 'idx_run%' ORDER BY name") == """
            idx_run_id_unkeyed
            idx_run_key

            """)
        #expect(throws: ProfilerError.duplicateRunId("old-2")) { try db.insert(run(runId: "old-2")) }
        try db.insert(run(runId: "mine"))
        #expect(try db.count() == 4)
    }

    @Test("the duplicate check reads the two small indexes, never the table's rows")
    func queryPlan() throws {
        let db = try ProfilerDB.inMemory()
        let plan = try db.read { database in
            try Row.fetchAll(
                database, sql: "EXPLAIN QUERY PLAN " + SkillMetrics.storedRunSQL, arguments: ["run_key": 1, "run_id": "r"]
            ).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX idx_run_key (run_key=?)") }, "\(plan)")
        #expect(plan.contains { $0.contains("USING INDEX idx_run_id_unkeyed (run_id=?)") }, "\(plan)")
        #expect(!plan.contains { $0.contains("SCAN") }, "\(plan)")
    }
}
