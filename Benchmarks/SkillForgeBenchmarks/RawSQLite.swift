import GRDBSQLite
import SkillForge

/// The fastest way SQLite inserts, for baselines: one prepared statement
/// (bind, step, reset) on a connection set up as `ProfilerDB` sets up its
/// writer (WAL, `synchronous = NORMAL`, a 40 MiB page cache), into a new file
/// with Skill Forge's current schema and indexes (``SkillForgeSchema``).
struct RawSQLite: ~Copyable {
    private var connection: OpaquePointer?
    private var statement: OpaquePointer?

    /// Creates a database at `path` with Skill Forge's schema and opens it.
    init(creatingAt path: String) throws {
        let schema = try SkillForgeSchema.statements()
        guard sqlite3_open(path, &connection) == SQLITE_OK else { throw RawError("open \(path)") }
        try execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -40960")
        for sql in schema { try execute(sql) }
        let insert = """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp)
            VALUES (?, ?, ?, ?, ?, ?)
            """
        guard sqlite3_prepare_v3(connection, insert, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK
        else { throw RawError(lastErrorIn: connection) }
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(connection)
    }

    /// Inserts `rows` in one transaction.
    func insertInOneTransaction(_ rows: [SkillMetrics]) throws {
        try execute("BEGIN")
        for row in rows { try insert(row) }
        try execute("COMMIT")
    }

    /// Inserts each of `rows` in a transaction of its own (SQLite's autocommit).
    func insertEach(_ rows: [SkillMetrics]) throws {
        for row in rows { try insert(row) }
    }

    private func insert(_ row: SkillMetrics) throws {
        sqlite3_bind_text(statement, 1, row.skillId, -1, Self.transient)
        sqlite3_bind_int64(statement, 2, row.executionMs)
        sqlite3_bind_int64(statement, 3, row.tokensIn)
        sqlite3_bind_int64(statement, 4, row.tokensOut)
        sqlite3_bind_int64(statement, 5, row.success ? 1 : 0)
        sqlite3_bind_int64(statement, 6, row.timestamp)
        guard sqlite3_step(statement) == SQLITE_DONE else { throw RawError(lastErrorIn: connection) }
        sqlite3_reset(statement)
    }

    private func execute(_ sql: String) throws {
        guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else { throw RawError(lastErrorIn: connection) }
    }

    /// SQLite copies the bound text (`SQLITE_TRANSIENT`).
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}

/// A failed raw SQLite call, with SQLite's message.
struct RawError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    init(lastErrorIn connection: OpaquePointer?) {
        description = sqlite3_errmsg(connection).map { String(cString: $0) } ?? "unknown SQLite error"
    }
}
