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

    /// Inserts `metrics` with one cached statement, validating each before it is written.
    static func insert(
        contentsOf metrics: some Sequence<SkillMetrics>,
        into db: Database,
        duplicateRuns: DuplicateRunPolicy
    ) throws -> BatchInsertResult {
        let sql = duplicateRuns == .skip ? SkillMetrics.insertSkippingKnownRunsSQL : SkillMetrics.insertSQL
        let statement = try db.cachedStatement(sql: sql)
        var result = BatchInsertResult()
        for metric in metrics {
            try insert(metric, with: statement, in: db, counting: &result)
        }
        try db.notifyChanges(in: Table(Schema.tableName))
        return result
    }

    /// Validates `metric`, inserts it with `statement`, and counts it as inserted, or skipped when its run is stored.
    private static func insert(
        _ metric: SkillMetrics, with statement: Statement, in db: Database, counting result: inout BatchInsertResult
    ) throws {
        try metric.validate()
        try execute(statement, with: metric, in: db)
        if db.changesCount > 0 {
            result.inserted += 1
        } else {
            result.skipped += 1
        }
    }

    static func insert(_ metric: SkillMetrics, into db: Database) throws -> SkillMetrics {
        try execute(try db.cachedStatement(sql: SkillMetrics.insertSQL), with: metric, in: db)
        try db.notifyChanges(in: Table(Schema.tableName))
        var stored = metric
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// Runs the cached `INSERT` for one validated row, binding its values with
    /// the SQLite C API on GRDB's statement handle.
    ///
    /// Going through `StatementArguments` costs a dynamic cast per value, which
    /// made binding the most expensive step of an import (see docs/PERFORMANCE.md).
    /// GRDB still owns the connection, the statement cache and the transaction;
    /// callers tell it about the change with `notifyChanges(in:)`.
    private static func execute(_ statement: Statement, with metric: SkillMetrics, in db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var index: Int32 = 0
        func bind(_ text: String?) {
            index += 1
            if let text {
                sqlite3_bind_text(handle, index, text, -1, SQLITE_TRANSIENT)
            } else {
                sqlite3_bind_null(handle, index)
            }
        }
        func bind(_ number: Int64?) {
            index += 1
            if let number {
                sqlite3_bind_int64(handle, index, number)
            } else {
                sqlite3_bind_null(handle, index)
            }
        }
        func bind(_ flag: Bool?) {
            bind(flag.map { $0 ? Int64(1) : Int64(0) })
        }
        // The order of `SkillMetrics.Columns.stored`.
        bind(metric.skillId)
        bind(metric.executionMs)
        bind(metric.tokensIn)
        bind(metric.tokensOut)
        bind(metric.success)
        bind(metric.timestamp)
        bind(metric.version)
        bind(metric.model)
        bind(metric.error)
        bind(metric.tokensEstimated)
        bind(metric.cacheReadTokens)
        bind(metric.cacheCreationTokens)
        bind(metric.sessionId)
        bind(metric.runId)
        bind(metric.source)
        bind(metric.metadata)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            let extended = sqlite3_extended_errcode(db.sqliteConnection)
            if ResultCode(rawValue: extended) == .SQLITE_CONSTRAINT_UNIQUE, let runId = metric.runId {
                throw ProfilerError.duplicateRunId(runId)
            }
            throw DatabaseError(
                resultCode: ResultCode(rawValue: extended),
                message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }
}

/// SQLite's "copy the value now" destructor for bound text.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

// MARK: - Batch results

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
    ///   ``ProfilerError/invalidMetric(_:)`` when a field breaks a rule.
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

    /// Writes `metric` over its stored row; returns whether the row exists.
    static func update(_ metric: SkillMetrics, in db: Database) throws -> Bool {
        do {
            try metric.update(db)
            return true
        } catch RecordError.recordNotFound {
            return false
        }
    }

    /// Deletes the run with this id; returns whether it existed.
    @discardableResult
    public func delete(id: Int64) throws(ProfilerError) -> Bool {
        try write { db in try Self.delete(id: id, in: db) }
    }

    static func delete(id: Int64, in db: Database) throws -> Bool {
        try SkillMetrics.deleteOne(db, key: id)
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
        try SkillMetrics.all().forSkill(skillId).upToId(upToId).deleteAll(db)
    }

    /// Deletes every run that started before `date` (retention); returns how many were deleted.
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
        try SkillMetrics.filter(SkillMetrics.Columns.timestamp < date.unixMilliseconds).upToId(upToId).deleteAll(db)
    }
}
