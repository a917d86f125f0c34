import Foundation
import GRDB

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
        for metric in metrics {
            try metric.validate()
            try execute(statement, with: metric)
            if db.changesCount > 0 {
                result.inserted += 1
            } else {
                result.skipped += 1
            }
        }
        return result
    }

    private static func insert(_ metric: SkillMetrics, into db: Database) throws -> SkillMetrics {
        try execute(try db.cachedStatement(sql: SkillMetrics.insertSQL), with: metric)
        var stored = metric
        stored.id = db.lastInsertedRowID
        return stored
    }

    private static func execute(_ statement: Statement, with metric: SkillMetrics) throws {
        // Validated values of the declared column types: no need to check the argument count again.
        statement.setUncheckedArguments(StatementArguments(metric.insertArguments))
        do {
            try statement.execute()
        } catch let error as DatabaseError
            where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE && metric.runId != nil
        {
            throw ProfilerError.duplicateRunId(metric.runId ?? "")
        }
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
            do {
                try metric.update(db)
                return true
            } catch RecordError.recordNotFound {
                return false
            }
        }
        if !found { throw .metricNotFound(id: id) }
    }

    /// Deletes the run with this id; returns whether it existed.
    @discardableResult
    public func delete(id: Int64) throws(ProfilerError) -> Bool {
        try write { db in try SkillMetrics.deleteOne(db, key: id) }
    }

    /// Deletes every run of a skill; returns how many were deleted.
    @discardableResult
    public func deleteMetrics(forSkill skillId: String) throws(ProfilerError) -> Int {
        try write { db in try SkillMetrics.all().forSkill(skillId).deleteAll(db) }
    }

    /// Deletes every run that started before `date` (retention); returns how many were deleted.
    ///
    /// ```swift
    /// try db.prune(before: Date().addingTimeInterval(-90 * 86_400))   // keep 90 days
    /// ```
    @discardableResult
    public func prune(before date: Date) throws(ProfilerError) -> Int {
        try write { db in
            try SkillMetrics.filter(SkillMetrics.Columns.timestamp < date.unixMilliseconds).deleteAll(db)
        }
    }
}
