import Foundation
import CSkillForgeSQLite
import GRDB
import GRDBSQLite

// MARK: - Skill Forge's own connection

extension Rollups {
    /// Turns on or off, for the connection `db`, the triggers that keep the
    /// rollups in step with other tools' writes. Skill Forge's writing
    /// connection has them off: its transactions maintain the rollups
    /// themselves (``maintain(in:_:)``).
    ///
    /// A trigger that merely exists makes SQLite prepare every `INSERT` as a
    /// write of several rows that may abort, which it protects with a statement
    /// journal, even when the trigger's `WHEN` clause then skips its body: that
    /// alone made an import of a million rows 50% slower (docs/PERFORMANCE.md).
    /// With the triggers off, statements are prepared without them;
    /// ``maintain(in:_:)`` checks that they are.
    ///
    /// Changing the setting expires the connection's prepared statements, so
    /// each is prepared again, with or without the triggers, when next used.
    static func setTriggers(enabled: Bool, on db: Database) throws {
        let wanted: Int32 = enabled ? 1 : 0
        var setting: Int32 = -1
        let code = skill_forge_enable_triggers(db.sqliteConnection, wanted, &setting)
        guard ResultCode(rawValue: code) == .SQLITE_OK, setting == wanted else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: "could not turn the rollup triggers \(enabled ? "on" : "off")")
        }
    }
}

// MARK: - Skill Forge's own transactions

extension Rollups {
    /// Runs `body` inside the open write transaction of `db`, then writes the
    /// rows `body` added to the batch (one upsert per group) and repairs a few
    /// stale groups, before the transaction commits.
    ///
    /// The connection must have the triggers off (Skill Forge's writing
    /// connection does: ``setTriggers(enabled:on:)``), or they would count the
    /// rows a second time; that is checked first, at the cost of one call to
    /// SQLite that runs no SQL.
    ///
    /// ```swift
    /// try writer.write { db in
    ///     try Rollups.maintain(in: db) { batch in
    ///         // insert rows, calling batch.add(_:) for each one stored
    ///     }
    /// }
    /// ```
    static func maintain<T>(in db: Database, _ body: (inout RollupBatch) throws -> T) throws -> T {
        guard db.isInsideTransaction else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "rollups are maintained inside a transaction only")
        }
        var setting: Int32 = -1
        guard skill_forge_enable_triggers(db.sqliteConnection, -1, &setting) == SQLITE_OK, setting == 0 else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "rollups are maintained by hand only on a connection without triggers")
        }
        var batch = RollupBatch()
        let value = try body(&batch)
        try batch.write(to: db)
        try repairStaleGroups(in: db)
        return value
    }
}

// MARK: - Batches

/// The runs that one of Skill Forge's write transactions stores, added up per
/// rollup group and per execution time in memory, and written once, before the
/// transaction commits.
struct RollupBatch {
    private var groups: [RollupKey: RunTotals] = [:]
    private var executionTimes: [ExecutionTimeKey: Int] = [:]

    /// Counts one stored (valid) run.
    mutating func add(_ metric: SkillMetrics) {
        let skillId = ExactText(metric.skillId)
        let key = RollupKey(
            skillId: skillId, hour: Rollups.hour(of: metric.timestamp), version: metric.version.map(ExactText.init),
            model: metric.model.map(ExactText.init))
        groups[key, default: RunTotals()].add(metric)
        executionTimes[
            ExecutionTimeKey(skillId: skillId, executionMs: metric.executionMs, version: key.version, model: key.model),
            default: 0
        ] += 1
    }

    /// Adds every group to `skill_rollups`, their sums per skill, version and
    /// model to `skill_rollups_all_time`, and the execution times to
    /// `skill_execution_time_counts`, then forgets them.
    mutating func write(to db: Database) throws {
        guard !groups.isEmpty else { return }
        var allTime: [RollupKey: RunTotals] = [:]
        let hourly = try db.cachedStatement(sql: Self.hourlyUpsertSQL)
        for (key, totals) in groups {
            try Self.upsert(key.values(for: .hourly) + Self.values(totals), with: hourly, in: db)
            allTime[key.allTime, default: RunTotals()].add(totals)
        }
        let overall = try db.cachedStatement(sql: Self.allTimeUpsertSQL)
        for (key, totals) in allTime {
            try Self.upsert(key.values(for: .allTime) + Self.values(totals), with: overall, in: db)
        }
        let times = try db.cachedStatement(
            sql: """
                INSERT INTO skill_execution_time_counts (skill_id, execution_ms, version, model, runs) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (skill_id, execution_ms, version, model) DO UPDATE SET runs = runs + excluded.runs
                """)
        // As many keys as rows, nearly, in the table's key order, so that each page of it is read and
        // changed once per transaction rather than once per key (the table outgrows the page cache).
        for (key, runs) in executionTimes.sorted(by: { $0.key.precedes($1.key) }) {
            // No version or model: the integer 0, as in the rollups.
            let (version, model) = (key.version?.text.databaseValue ?? 0.databaseValue, key.model?.text.databaseValue ?? 0.databaseValue)
            try Self.upsert(
                [key.skillId.text.databaseValue, key.executionMs.databaseValue, version, model, runs.databaseValue],
                with: times, in: db)
        }
        groups.removeAll(keepingCapacity: true)
        executionTimes.removeAll(keepingCapacity: true)
    }

    private static func values(_ totals: RunTotals) -> [DatabaseValue] {
        RollupColumn.allCases.map { $0.value(in: totals) }
    }

    /// Runs an upsert with `values` bound through the C API: `StatementArguments`
    /// costs a dynamic cast per value, and a durable single insert binds about 35.
    private static func upsert(_ values: [DatabaseValue], with statement: Statement, in db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value.storage {
            case .null: sqlite3_bind_null(handle, index)
            case .int64(let number): sqlite3_bind_int64(handle, index, number)
            case .double(let number): sqlite3_bind_double(handle, index, number)
            case .string(let text): sqlite3_bind_text(handle, index, text, -1, SQLITE_TRANSIENT)
            case .blob(let data):
                _ = data.withUnsafeBytes { bytes in
                    sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), SQLITE_TRANSIENT)
                }
            }
        }
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }

    // Built once: each transaction looks its statements up by their SQL.
    private static let hourlyUpsertSQL = upsertSQL(.hourly)
    private static let allTimeUpsertSQL = upsertSQL(.allTime)

    /// `INSERT … ON CONFLICT DO UPDATE` of one group of `level`; NULL version and model are stored as 0.
    private static func upsertSQL(_ level: RollupLevel) -> String {
        let keys = level.keyColumns.joined(separator: ", ")
        let keyValues = level.keyColumns.map { ["version", "model"].contains($0) ? "ifnull(?, 0)" : "?" }
        let columns = RollupColumn.allCases
        return """
            INSERT INTO \(level.table) (\(keys), \(columns.map(\.rawValue).joined(separator: ", ")))
            VALUES (\((keyValues + columns.map { _ in "?" }).joined(separator: ", ")))
            ON CONFLICT (\(keys)) DO UPDATE SET \(columns.map(\.upsertUpdate).joined(separator: ", "))
            """
    }
}

/// A group of runs of Skill Forge's own writes: skill, hour, version, model.
struct RollupKey: Hashable {
    var skillId: ExactText
    var hour: Int64
    var version: ExactText?
    var model: ExactText?

    /// The key of the all-time group (`hour` is ignored there).
    var allTime: RollupKey {
        RollupKey(skillId: skillId, hour: 0, version: version, model: model)
    }

    /// The key's values in `level`'s key order (no version or model: NULL, which the upsert stores as 0).
    func values(for level: RollupLevel) -> [DatabaseValue] {
        let (skillId, version, model) = (skillId.text.databaseValue, version?.text.databaseValue ?? .null, model?.text.databaseValue ?? .null)
        return level == .hourly ? [skillId, hour.databaseValue, version, model] : [skillId, version, model]
    }
}

/// A text that compares by its UTF-8 bytes, as SQLite's keys do (the BINARY
/// collation): two spellings of "é" (composed and decomposed) are equal Swift
/// strings, but two skills.
struct ExactText: Hashable, Comparable {
    var text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (a: ExactText, b: ExactText) -> Bool {
        a.text.utf8.count == b.text.utf8.count && compare(a, b) == 0
    }

    static func < (a: ExactText, b: ExactText) -> Bool {
        compare(a, b) < 0
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// `memcmp` of the two texts' bytes, the shorter first when one begins the other.
    private static func compare(_ a: ExactText, _ b: ExactText) -> Int {
        var (a, b) = (a.text, b.text)
        return a.withUTF8 { a in
            b.withUTF8 { b in
                var order: Int32 = 0
                if let x = a.baseAddress, let y = b.baseAddress { order = memcmp(x, y, min(a.count, b.count)) }
                return order != 0 ? Int(order) : a.count - b.count
            }
        }
    }
}
