import Foundation
import GRDB
import GRDBSQLite

// MARK: - Inserting

extension ProfilerDB {
    /// Stores one run and returns it with its new `id`.
    ///
    /// ```swift
    /// let stored = try db.insert(SkillMetrics(
    ///     skillId: "time-tracker", executionMs: 412, tokensIn: 1_200, tokensOut: 350, success: true))
    /// print(stored.id!)
    /// ```
    ///
    /// - Throws: ``ProfilerError/invalidMetric(_:)`` when a field breaks a rule (see
    ///   ``SkillMetrics/validate()``), ``ProfilerError/duplicateRunId(_:)`` when its `runId` is
    ///   already stored, or a database error. Nothing is written when it throws.
    @discardableResult
    public func insert(_ metric: SkillMetrics) throws(ProfilerError) -> SkillMetrics {
        try metric.validateForStoring()
        return try write { db in try Self.insert(metric, into: db) }
    }


    /// Stores many runs in one transaction: all of them, or none when one fails.
    ///
    /// ```swift
    /// let result = try db.insert(contentsOf: runs, duplicateRuns: .skip)
    /// print("\(result.inserted) new, \(result.skipped) already stored")
    /// ```
    ///
    /// - Parameters:
    ///   - metrics: The runs; their `id`s are ignored.
    ///   - duplicateRuns: What to do with a run whose `runId` is already stored.
    /// - Returns: How many runs were inserted and skipped.
    /// - Throws: ``ProfilerError``; the transaction is rolled back and nothing is written.
    @discardableResult
    public func insert(
        contentsOf metrics: some Sequence<SkillMetrics>,
        duplicateRuns: DuplicateRunPolicy = .fail
    ) throws(ProfilerError) -> BatchInsertResult {
        try write { db in try Self.insert(contentsOf: metrics, into: db, duplicateRuns: duplicateRuns) }
    }

    /// Inserts `metrics` with cached statements, validating each before it is written.
    static func insert(
        contentsOf metrics: some Sequence<SkillMetrics>,
        into db: Database,
        duplicateRuns: DuplicateRunPolicy
    ) throws -> BatchInsertResult {
        try insert(batches: CollectionOfOne(metrics), into: db, duplicateRuns: duplicateRuns).first ?? BatchInsertResult()
    }

    /// Inserts several batches with one set of rollup writes, counting each batch on its own.
    static func insert(
        batches: some Collection<some Sequence<SkillMetrics>>, into db: Database, duplicateRuns: DuplicateRunPolicy
    ) throws -> [BatchInsertResult] {
        let statements = try InsertStatements(db)
        var results = Array(repeating: BatchInsertResult(), count: batches.count)
        try Rollups.maintain(in: db) { rollups in
            for (index, batch) in batches.enumerated() {
                for metric in batch {
                    try insert(
                        metric, with: statements, in: db, duplicateRuns: duplicateRuns, counting: &results[index],
                        rollups: &rollups)
                }
            }
        }
        try db.notifyChanges(in: Table(Schema.tableName))
        return results
    }

    /// Validates `metric`, inserts it, and counts it as inserted (in `result` and
    /// `rollups`), or skipped when its run is stored (or throws, as `duplicateRuns` says).
    fileprivate static func insert(
        _ metric: SkillMetrics, with statements: InsertStatements, in db: Database,
        duplicateRuns: DuplicateRunPolicy, counting result: inout BatchInsertResult, rollups: inout RollupBatch
    ) throws {
        try metric.validate()
        if try execute(statements, with: metric, in: db) {
            result.inserted += 1
            rollups.add(metric)
        } else if duplicateRuns == .skip {
            result.skipped += 1
        } else {
            throw ProfilerError.duplicateRunId(metric.runId ?? "")
        }
    }

    static func insert(_ metric: SkillMetrics, into db: Database) throws -> SkillMetrics {
        let stored = try Rollups.maintain(in: db) { rollups in
            guard try execute(try InsertStatements(db), with: metric, in: db) else {
                throw ProfilerError.duplicateRunId(metric.runId ?? "")
            }
            var stored = metric
            stored.id = db.lastInsertedRowID  // before the rollups are written
            rollups.add(metric)
            return stored
        }
        try db.notifyChanges(in: Table(Schema.tableName))
        return stored
    }

    /// Inserts one validated row unless its run id is stored already, in the
    /// caller's transaction: the check (``SkillMetrics/storedRunSQL``), then
    /// ``SkillMetrics/insertSQL``.
    ///
    /// Values are bound with the SQLite C API on GRDB's statement handles. Going
    /// through `StatementArguments` costs a dynamic cast per value, which made
    /// binding the most expensive step of an import (see docs/PERFORMANCE.md).
    /// GRDB still owns the connection, the statement cache and the transaction;
    /// callers tell it about the change with `notifyChanges(in:)`.
    ///
    /// - Returns: Whether the row was inserted: `false` when its run id is stored.
    static func execute(_ statements: InsertStatements, with metric: SkillMetrics, in db: Database) throws -> Bool {
        let key = metric.runKey
        if let runId = metric.runId, let key, try isStored(runId: runId, key: key, with: statements.storedRun, in: db) {
            return false
        }
        let handle = statements.insert.sqliteStatement
        sqlite3_reset(handle)
        for (offset, column) in SkillMetrics.insertedColumns.enumerated() {
            let index = Int32(offset + 1)
            let value: SkillMetrics.Value = switch column {
            case .field(let field): metric[field]
            case .runKey: .integer(key)
            }
            switch value {
            case .text(let text?): sqlite3_bind_text(handle, index, text, -1, SQLITE_TRANSIENT)
            case .integer(let number?): sqlite3_bind_int64(handle, index, number)
            case .boolean(let flag?): sqlite3_bind_int64(handle, index, flag ? 1 : 0)
            case .real(let number?): sqlite3_bind_double(handle, index, number)
            case .text(nil), .integer(nil), .boolean(nil), .real(nil): sqlite3_bind_null(handle, index)
            }
        }
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw lastError(of: statements.insert, in: db) }
        return true
    }

    /// Whether a row holds `runId`, whose key is `key`: ``SkillMetrics/storedRunSQL`` finds one.
    private static func isStored(runId: String, key: Int64, with statement: Statement, in db: Database) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, sqlite3_bind_parameter_index(handle, ":run_key"), key)
        sqlite3_bind_text(handle, sqlite3_bind_parameter_index(handle, ":run_id"), runId, -1, SQLITE_TRANSIENT)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw lastError(of: statement, in: db)
        }
    }

    /// The error of the statement that just failed, as GRDB reports errors.
    private static func lastError(of statement: Statement, in db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }
}

/// The cached statements of an insert: the duplicate check and the `INSERT`.
struct InsertStatements {
    let storedRun: Statement
    let insert: Statement

    init(_ db: Database) throws {
        storedRun = try db.cachedStatement(sql: SkillMetrics.storedRunSQL)
        insert = try db.cachedStatement(sql: SkillMetrics.insertSQL)
    }
}

/// SQLite's "copy the value now" destructor for bound text.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)


/// What ``ProfilerDB/insert(contentsOf:duplicateRuns:)`` does with a run whose `runId` is stored already.
public enum DuplicateRunPolicy: Sendable, Hashable {
    /// Throw ``ProfilerError/duplicateRunId(_:)`` and write nothing.
    case fail
    /// Skip the run and go on: how importers stay idempotent.
    case skip
}

/// How many runs a batch insert stored and skipped.
public struct BatchInsertResult: Sendable, Hashable, Codable {
    /// Runs written.
    public var inserted = 0
    /// Runs skipped because their `runId` was already stored.
    public var skipped = 0

    /// Creates a result.
    public init(inserted: Int = 0, skipped: Int = 0) {
        self.inserted = inserted
        self.skipped = skipped
    }
}

// MARK: - Updating and deleting

extension ProfilerDB {
    /// Replaces every column of the stored run with `metric.id`.
    ///
    /// ```swift
    /// var run = try db.metric(id: 42)!
    /// run.version = "1.2.1"
    /// try db.update(run)
    /// ```
    ///
    /// - Throws: ``ProfilerError/metricNotFound(id:)`` when no row has that id,
    ///   ``ProfilerError/invalidMetric(_:)`` when a field breaks a rule,
    ///   ``ProfilerError/duplicateRunId(_:)`` when another row holds its `runId`.
    public func update(_ metric: SkillMetrics) throws(ProfilerError) {
        let id = try Self.checkUpdatable(metric)
        if try !write({ db in try Self.update(metric, in: db) }) { throw .metricNotFound(id: id) }
    }

    /// The id of a run to update; throws ``ProfilerError/invalidMetric(_:)`` without one or when it breaks a rule.
    static func checkUpdatable(_ metric: SkillMetrics) throws(ProfilerError) -> Int64 {
        guard let id = metric.id else {
            throw .invalidMetric(InvalidField(field: "id", value: "nil", problem: "a stored run needs its id to be updated"))
        }
        try metric.validateForStoring()
        return id
    }

    /// Writes `metric` over its stored row, keeping the rollups of its old and new group; returns whether the row exists.
    ///
    /// - Throws: ``ProfilerError/duplicateRunId(_:)`` when another row holds its `runId`.
    static func update(_ metric: SkillMetrics, in db: Database) throws -> Bool {
        guard let id = metric.id else { return false }
        if let runId = metric.runId, try ids(ofRun: runId, in: db).contains(where: { $0 != id }) {
            throw ProfilerError.duplicateRunId(runId)
        }
        return try Rollups.maintain(in: db) { _ in try Rollups.update(row: id, in: db) { try metric.update(db) } }
    }

    /// The ids of the rows that hold `runId` (see ``SkillMetrics/storedRunSQL``).
    private static func ids(ofRun runId: String, in db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: SkillMetrics.storedRunSQL, arguments: ["run_key": RunKey.of(runId), "run_id": runId])
    }

    /// Deletes the run with this id; returns whether it existed.
    @discardableResult
    public func delete(id: Int64) throws(ProfilerError) -> Bool {
        try write { db in try Self.delete(id: id, in: db) }
    }

    static func delete(id: Int64, in db: Database) throws -> Bool {
        try Rollups.maintain(in: db) { _ in try Rollups.delete(row: id, in: db) }
    }

    /// Deletes every run of a skill; returns how many were deleted.
    ///
    /// - Parameter upToId: Only runs with at most this id: the ones that existed when
    ///   ``countAndLastId(matching:)`` counted them for the user.
    @discardableResult
    public func deleteMetrics(forSkill skillId: String, upToId: Int64? = nil) throws(ProfilerError) -> Int {
        try write { db in try Self.deleteMetrics(forSkill: skillId, upToId: upToId, in: db) }
    }

    static func deleteMetrics(forSkill skillId: String, upToId: Int64?, in db: Database) throws -> Int {
        try Rollups.maintain(in: db) { _ in
            try Rollups.delete(SkillMetrics.all().forSkill(skillId).upToId(upToId), recomputing: .skill(skillId), in: db)
        }
    }

    /// Deletes every run that started before `date` (retention); returns how many were deleted.
    /// The record of the telemetry events merged into them goes too (see
    /// ``MetricsStore/prune(before:upToId:)``).
    ///
    /// ```swift
    /// try db.prune(before: Date().addingTimeInterval(-90 * 86_400))   // keep 90 days
    /// ```
    ///
    /// - Parameter upToId: Only runs with at most this id (see ``deleteMetrics(forSkill:upToId:)``).
    @discardableResult
    public func prune(before date: Date, upToId: Int64? = nil) throws(ProfilerError) -> Int {
        try write { db in try Self.prune(before: date, upToId: upToId, in: db) }
    }

    static func prune(before date: Date, upToId: Int64?, in db: Database) throws -> Int {
        try Rollups.maintain(in: db) { _ in
            let before = date.unixMilliseconds
            let pruned = try Rollups.delete(
                SkillMetrics.filter(SkillMetrics.Columns.timestamp < before).upToId(upToId),
                recomputing: .hours(through: Rollups.hour(of: before)), in: db)
            // The events that started before every run kept (found through
            // idx_timestamp): a scan of `merged_events`, as rare as a prune.
            try db.execute(
                sql: """
                    DELETE FROM merged_events
                    WHERE started < ifnull((SELECT min(timestamp) FROM skill_metrics WHERE timestamp < :before), :before)
                    """,
                arguments: ["before": before])
            return pruned
        }
    }
}
