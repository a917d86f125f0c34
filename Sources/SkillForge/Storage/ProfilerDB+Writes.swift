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
        do {
            try metric.validate()
        } catch {
            throw .invalidMetric(error)
        }
        return try write { db in try Self.insert(metric, into: db) }
    }

    /// Stores one run without blocking a Swift concurrency thread; see ``insert(_:)``.
    @discardableResult
    public func insert(_ metric: SkillMetrics) async throws(ProfilerError) -> SkillMetrics {
        do {
            try metric.validate()
        } catch {
            throw .invalidMetric(error)
        }
        return try await write { db in try Self.insert(metric, into: db) }
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
        try Rollups.maintain(in: db) { rollups in
            for metric in metrics {
                try insert(metric, with: statement, in: db, counting: &result, rollups: &rollups)
            }
        }
        try db.notifyChanges(in: Table(Schema.tableName))
        return result
    }

    /// Validates `metric`, inserts it with `statement`, and counts it as inserted (in
    /// `result` and `rollups`), or skipped when its run is stored.
    fileprivate static func insert(
        _ metric: SkillMetrics, with statement: Statement, in db: Database, counting result: inout BatchInsertResult,
        rollups: inout RollupBatch
    ) throws {
        try metric.validate()
        try execute(statement, with: metric, in: db)
        if db.changesCount > 0 {
            result.inserted += 1
            rollups.add(metric)
        } else {
            result.skipped += 1
        }
    }

    private static func insert(_ metric: SkillMetrics, into db: Database) throws -> SkillMetrics {
        try Rollups.maintain(in: db) { rollups in
            try execute(try db.cachedStatement(sql: SkillMetrics.insertSQL), with: metric, in: db)
            rollups.add(metric)
        }
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
    fileprivate static func execute(_ statement: Statement, with metric: SkillMetrics, in db: Database) throws {
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
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

// MARK: - Long batches

extension ProfilerDB {
    /// Runs `body` with a writer that stores rows as they come and commits
    /// every `rowsPerTransaction` rows, so a caller that produces rows one at a
    /// time (an importer reading a file) writes large transactions without
    /// holding them in memory. Other processes can write between transactions.
    ///
    /// Rows are validated as they are inserted; a failure rolls back the
    /// current transaction only. Rows whose `runId` is stored are skipped.
    func writeInTransactions<T>(
        of rowsPerTransaction: Int, _ body: (inout StreamingInserter) throws -> T
    ) throws -> T {
        try checkWritable()
        do {
            return try writer.writeWithoutTransaction { db in
                var inserter = try StreamingInserter(db: db, rowsPerTransaction: rowsPerTransaction)
                do {
                    let value = try body(&inserter)
                    try inserter.commit()
                    return value
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
            }
        } catch let error as ProfilerError {
            throw error
        } catch let error as DatabaseError {
            throw ProfilerError(error, path: path)
        }
    }
}

/// Inserts rows into transactions of a fixed size; see ``ProfilerDB/writeInTransactions(of:_:)``.
struct StreamingInserter {
    private let db: Database
    private let statement: Statement
    private let rowsPerTransaction: Int
    private var pending = 0
    /// The rollup totals of the open transaction's rows.
    private var rollups = RollupBatch()
    /// Rows inserted and skipped so far (committed or not).
    private(set) var result = BatchInsertResult()

    fileprivate init(db: Database, rowsPerTransaction: Int) throws {
        self.db = db
        statement = try db.cachedStatement(sql: SkillMetrics.insertSkippingKnownRunsSQL)
        self.rowsPerTransaction = max(1, rowsPerTransaction)
    }

    /// Validates and inserts one row (or skips it if its run is stored), committing when the transaction is full.
    mutating func insert(_ metric: SkillMetrics) throws {
        if !db.isInsideTransaction {
            try db.beginTransaction(.immediate)
            try Rollups.suspendTriggers(in: db)
        }
        try ProfilerDB.insert(metric, with: statement, in: db, counting: &result, rollups: &rollups)
        pending += 1
        if pending >= rowsPerTransaction { try commit() }
    }

    /// Commits the open transaction, if any.
    mutating func commit() throws {
        guard db.isInsideTransaction else { return }
        try Rollups.finish(&rollups, in: db)
        try db.notifyChanges(in: Table(Schema.tableName))
        try db.commit()
        pending = 0
    }
}

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
        guard let id = metric.id else {
            throw .invalidMetric(InvalidField(field: "id", value: "nil", problem: "a stored run needs its id to be updated"))
        }
        do {
            try metric.validate()
        } catch {
            throw .invalidMetric(error)
        }
        let found = try write { db in
            try Rollups.maintain(in: db) { _ in try Rollups.update(row: id, in: db) { try metric.update(db) } }
        }
        if !found { throw .metricNotFound(id: id) }
    }

    /// Deletes the run with this id; returns whether it existed.
    @discardableResult
    public func delete(id: Int64) throws(ProfilerError) -> Bool {
        try write { db in try Rollups.maintain(in: db) { _ in try Rollups.delete(row: id, in: db) } }
    }

    /// Deletes every run of a skill; returns how many were deleted.
    ///
    /// - Parameter upToId: Only runs with at most this id: the ones that existed when
    ///   ``countAndLastId(matching:)`` counted them for the user.
    @discardableResult
    public func deleteMetrics(forSkill skillId: String, upToId: Int64? = nil) throws(ProfilerError) -> Int {
        try write { db in
            try Rollups.maintain(in: db) { _ in
                try Rollups.delete(SkillMetrics.all().forSkill(skillId).upToId(upToId), recomputing: .skill(skillId), in: db)
            }
        }
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
        try write { db in
            try Rollups.maintain(in: db) { _ in
                let before = date.unixMilliseconds
                return try Rollups.delete(
                    SkillMetrics.filter(SkillMetrics.Columns.timestamp < before).upToId(upToId),
                    recomputing: .hours(through: Rollups.hour(of: before)), in: db)
            }
        }
    }
}
