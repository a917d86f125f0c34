import Foundation
import GRDB
import Testing

@testable import SkillForge

/// The seed's DDL, copied from the original spec (../shared/seed): the contract the schema keeps.
private let seedDDL = """
    CREATE TABLE IF NOT EXISTS skill_metrics (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      skill_id TEXT NOT NULL,
      execution_ms INTEGER NOT NULL,
      tokens_in INTEGER NOT NULL,
      tokens_out INTEGER NOT NULL,
      success BOOLEAN NOT NULL,
      timestamp INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS idx_skill_id ON skill_metrics(skill_id);
    CREATE INDEX IF NOT EXISTS idx_timestamp ON skill_metrics(timestamp);
    """

@Suite("Schema and migrations")
struct SchemaTests {
    @Test("a new database has the seed's columns, types and indexes, plus nullable additions")
    func freshSchemaKeepsTheSeedContract() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("fresh.db")
        _ = try ProfilerDB(path: path)

        let queue = try DatabaseQueue(path: path)
        let columns = try queue.read { db in
            try Row.fetchAll(db, sql: "PRAGMA table_info(skill_metrics)").map {
                ($0["name"] as String, $0["type"] as String, $0["notnull"] as Int, $0["pk"] as Int)
            }
        }
        let seedColumns = columns.prefix(7).map { "\($0.0) \($0.1) notnull=\($0.2) pk=\($0.3)" }
        #expect(
            seedColumns == [
                "id INTEGER notnull=0 pk=1",
                "skill_id TEXT notnull=1 pk=0",
                "execution_ms INTEGER notnull=1 pk=0",
                "tokens_in INTEGER notnull=1 pk=0",
                "tokens_out INTEGER notnull=1 pk=0",
                "success BOOLEAN notnull=1 pk=0",
                "timestamp INTEGER notnull=1 pk=0",
            ])
        let added = columns.dropFirst(7)
        #expect(
            added.map(\.0) == [
                "version", "model", "error", "tokens_estimated", "cache_read_tokens", "cache_creation_tokens",
                "session_id", "run_id", "source", "metadata", "run_key", "cost_usd", "tokens_known", "cost_estimated",
            ])
        #expect(added.allSatisfy { $0.2 == 0 }, "added columns must be nullable")

        let sql = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'skill_metrics'")
        }
        #expect(sql.first?.contains("id INTEGER PRIMARY KEY AUTOINCREMENT") == true)
        let indexes = try queue.read { db in try db.indexes(on: "skill_metrics") }
        let byName = Dictionary(uniqueKeysWithValues: indexes.map { ($0.name, $0.columns) })
        #expect(byName["idx_skill_id"] == ["skill_id"])
        #expect(byName["idx_timestamp"] == ["timestamp"])
        #expect(byName["idx_run_key"] == ["run_key"])
        #expect(byName["idx_run_id_unkeyed"] == ["run_id"])
        #expect(byName["idx_run_id"] == nil, "replaced by idx_run_key in v5-run-keys")
        #expect(try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a database made by the seed's own DDL with the sqlite3 shell is migrated in place, losing nothing")
    func seedDatabaseIsAdopted() throws {
        let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is needed as an independent writer")
        let directory = try TemporaryDirectory()
        let path = directory.path("seed.db")
        let rows = """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp)
              VALUES ('time-tracker', 120, 300, 40, 1, 1732000000000),
                     ('time-tracker', 480, 310, 42, 0, 1732000060000),
                     ('summarise', 2200, 5000, 800, 1, 1732000120000);
            """
        let made = try runProcess(sqlite3, [path, seedDDL + rows])
        #expect(made.status == 0, "\(made.stderr)")

        let db = try ProfilerDB(path: path)
        let stored = try db.metrics(matching: MetricsFilter(order: .insertion))
        #expect(stored.map(\.skillId) == ["time-tracker", "time-tracker", "summarise"])
        #expect(stored.map(\.executionMs) == [120, 480, 2200])
        #expect(stored.map(\.tokensIn) == [300, 310, 5000])
        #expect(stored.map(\.tokensOut) == [40, 42, 800])
        #expect(stored.map(\.success) == [true, false, true])
        #expect(stored.map(\.timestamp) == [1_732_000_000_000, 1_732_000_060_000, 1_732_000_120_000])
        #expect(stored.allSatisfy { $0.version == nil && $0.runId == nil && $0.tokensEstimated == nil })

        var new = run("summarise", ms: 1_000)
        new.version = "2.0"
        let inserted = try db.insert(new)
        #expect(inserted.id == 4)
        let seedView = try runProcess(sqlite3, [path, "SELECT id, skill_id, execution_ms FROM skill_metrics ORDER BY id"])
        #expect(seedView.stdout == "1|time-tracker|120\n2|time-tracker|480\n3|summarise|2200\n4|summarise|1000\n")
    }

    @Test("the migrations, in order, and what v4-rollups to v12-merged-event-times add next to skill_metrics")
    func migrationsAndRollupObjects() throws {
        #expect(
            Schema.migrator.migrations
                == [
                    "v1-seed-schema", "v2-execution-details", "v3-skill-runs-index", "v4-rollups", "v5-run-keys",
                    "v6-execution-time-counts", "v7-cost", "v8-merged-events", "v9-tokens-known",
                    "v10-cost-estimated", "v11-rollup-costs", "v12-merged-event-times",
                ])
        let directory = try TemporaryDirectory()
        let path = directory.path("objects.db")
        _ = try ProfilerDB(path: path)
        let queue = try DatabaseQueue(path: path)
        let objects = try queue.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT type || ' ' || name || ' ' || tbl_name FROM sqlite_master
                    WHERE name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY type, name
                    """)
        }
        #expect(
            objects == [
                // v5 replaces v2's idx_run_id with the compact key's indexes.
                "index idx_run_id_unkeyed skill_metrics", "index idx_run_key skill_metrics",
                "index idx_skill_id skill_metrics", "index idx_skill_runs skill_metrics",
                "index idx_timestamp skill_metrics",
                "index skill_execution_time_counts_spent skill_execution_time_counts",
                "index skill_rollups_all_time_stale skill_rollups_all_time",
                "index skill_rollups_stale skill_rollups",
                // v8: the keys of merged telemetry events.
                "table merged_events merged_events",
                "table skill_execution_time_counts skill_execution_time_counts",
                "table skill_metrics skill_metrics", "table skill_rollups skill_rollups",
                "table skill_rollups_all_time skill_rollups_all_time",
                "table skill_rollups_suspended skill_rollups_suspended",
                "trigger run_id_changed skill_metrics", "trigger skill_execution_times_delete skill_metrics",
                "trigger skill_execution_times_insert skill_metrics", "trigger skill_execution_times_update skill_metrics",
                // v11: the rollups' cost columns, beside v9's triggers.
                "trigger skill_rollups_cost_delete skill_metrics", "trigger skill_rollups_cost_insert skill_metrics",
                "trigger skill_rollups_cost_update skill_metrics",
                "trigger skill_rollups_delete_invalid skill_metrics", "trigger skill_rollups_delete_valid skill_metrics",
                "trigger skill_rollups_insert_invalid skill_metrics", "trigger skill_rollups_insert_valid skill_metrics",
                "trigger skill_rollups_update skill_metrics",
            ])
        // v12: when each merged event started.
        let mergedEventColumns = try queue.read { db in try db.columns(in: "merged_events").map(\.name) }
        #expect(mergedEventColumns == ["key", "started"])
        // The seed's contract: the shell reads the runs as ever.
        let sqlite3 = try #require(sqlite3Path)
        #expect(try runProcess(sqlite3, [path, "SELECT * FROM skill_metrics;"]).status == 0)
    }

    @Test("the column names an up-to-date file is checked against are those the migrations create")
    func currentColumnNamesMatchTheMigrations() {
        #expect(Set(Schema.currentColumnNames) == Set(Schema.currentColumns.map(\.name)))
        #expect(Schema.currentColumnNames.count == Schema.currentColumns.count)
    }

    @Test("an up-to-date file whose table lost a column is refused, naming the column")
    func currentFileWithoutAColumn() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dropped.db")
        _ = try ProfilerDB(path: path)
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "DROP INDEX IF EXISTS idx_skill_runs")
            try db.execute(sql: "ALTER TABLE skill_metrics DROP COLUMN metadata")
        }
        #expect {
            try ProfilerDB(path: path)
        } throws: { error in
            "\(error)".contains("its skill_metrics table lacks the column metadata")
        }
    }

    @Test("opening twice applies nothing twice")
    func reopeningIsIdempotent() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("twice.db")
        try ProfilerDB(path: path).insert(run())
        let again = try ProfilerDB(path: path)
        #expect(try again.count() == 1)
    }

    @Test("a database from a newer Skill Forge is refused and left untouched")
    func newerSchemaIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("future.db")
        do {
            let db = try ProfilerDB(path: path)
            try db.insert(run())
        }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        #expect(throws: ProfilerError.schemaTooNew(path: path, unknownMigrations: ["v99-from-the-future"])) {
            try ProfilerDB(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a file that is not a database is refused with a clear error and not modified")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.db")
        let text = String(repeating: "these are my notes, not a database\n", count: 200)
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        #expect(throws: ProfilerError.notADatabase(path: path)) { try ProfilerDB(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(String(describing: ProfilerError.notADatabase(path: path)).contains("not an SQLite file"))
    }

    @Test("a missing directory is reported as such, and nothing is created")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("no/such/dir/skill-forge.db")
        #expect(throws: ProfilerError.directoryNotFound(path: path)) { try ProfilerDB(path: path) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("no")))
    }

    @Test("a directory given as the database path is refused")
    func directoryAsPath() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: ProfilerError.cannotOpen(path: directory.url.path, reason: "it is a directory")) {
            try ProfilerDB(path: directory.url.path)
        }
    }

    @Test("a missing file is an error when the caller asked not to create one")
    func missingFileWithoutCreation() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("absent.db")
        #expect(throws: ProfilerError.databaseNotFound(path: path)) { try ProfilerDB(path: path, createIfNeeded: false) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    #if os(Linux)
    @Test("a location that cannot hold files gives a typed error, not a crash")
    func unwritableLocation() throws {
        // /proc refuses new files even to root, unlike a chmod-ed directory.
        let path = "/proc/skill-forge-test.db"
        let error = #expect(throws: ProfilerError.self) { try ProfilerDB(path: path) }
        let expected: [ProfilerError.Code] = [.cannotOpen, .readOnly]
        #expect(expected.contains { $0 == error?.code }, "got \(String(describing: error))")
        #expect(error?.path == path)
    }
    #endif

    @Test("a read-only database file is reported as read-only", .enabled(if: getuid() != 0, "root ignores file permissions"))
    func readOnlyFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locked.db")
        do { try ProfilerDB(path: path).insert(run()) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.url.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path) }
        #expect(throws: ProfilerError.self) { try ProfilerDB(path: path).insert(run()) }
    }
}
