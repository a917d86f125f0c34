import Foundation
import Logging
import PostgresNIO
import SkillForge

// MARK: - Writing

extension PostgresMetricsStore {
    /// At most this many runs per `INSERT`, so that no one message to the server grows with an import.
    static let rowsPerInsert = 1_000

    @discardableResult
    public func insert(_ metric: SkillMetrics) async throws(ProfilerError) -> SkillMetrics {
        try metric.validateForStoring()
        var query = QueryBuilder("INSERT INTO skill_metrics (\(PostgresColumns.written)) VALUES ")
        query.append(query.arguments(of: metric))
        query.append(" ON CONFLICT (run_id) DO NOTHING RETURNING id")
        let built = query.query
        let id = try await withConnection { connection in
            try await connection.firstValue(of: built, as: Int64.self, logger: self.logger)
        }
        guard let id else { throw .duplicateRunId(metric.runId ?? "") }
        var stored = metric
        stored.id = id
        return stored
    }

    @discardableResult
    public func insert(
        contentsOf metrics: [SkillMetrics], duplicateRuns: DuplicateRunPolicy = .fail
    ) async throws(ProfilerError) -> BatchInsertResult {
        try await insert(batches: [metrics], duplicateRuns: duplicateRuns).first ?? BatchInsertResult()
    }

    /// Checks each batch in order (each run valid, its run id not stored nor earlier in the
    /// batch), then writes every batch's runs, a statement for each thousand, each leaving out
    /// the stored run ids itself. When that is one statement and duplicates are skipped, it is
    /// autocommitted, atomic on its own: one round trip for a collector's group of batches.
    @discardableResult
    public func insert(
        batches: [[SkillMetrics]], duplicateRuns: DuplicateRunPolicy
    ) async throws(ProfilerError) -> [BatchInsertResult] {
        guard batches.contains(where: { !$0.isEmpty }) else { return batches.map { _ in BatchInsertResult() } }
        return try await withConnection { connection in
            var checked: [CheckedBatch] = []
            var seen: Set<String> = []    // the run ids of the batches before, as if stored
            for batch in batches {
                checked.append(try await self.checked(batch, duplicateRuns: duplicateRuns, seen: &seen, on: connection))
            }
            let runs = checked.flatMap(\.accepted)
            let write: @Sendable (PostgresConnection) async throws -> [BatchInsertResult] = { [checked] connection in
                try Self.results(of: checked, inserted: try await self.insertRows(runs, on: connection).runIds, duplicateRuns: duplicateRuns)
            }
            // One statement that skips duplicates is atomic by itself; more, or one that may fail, is a transaction.
            let isOneStatement = duplicateRuns == .skip && runs.count <= Self.rowsPerInsert
            return try await isOneStatement ? write(connection) : connection.guardedTransaction(logger: self.logger, write)
        }
    }

    /// A batch's runs to write, and how many it repeats.
    private struct CheckedBatch {
        var accepted: [SkillMetrics] = []
        var repeated = 0
    }

    /// A batch checked in order: each run valid, its run id not in `seen` (earlier in the
    /// batch or the batches before; with `.fail`, nor stored before the first run that is not).
    private func checked(
        _ batch: [SkillMetrics], duplicateRuns: DuplicateRunPolicy, seen: inout Set<String>, on connection: PostgresConnection
    ) async throws -> CheckedBatch {
        var checked = CheckedBatch()
        for (index, metric) in batch.enumerated() {
            do {
                try metric.validateForStoring()
                if let runId = metric.runId, !seen.insert(runId).inserted {
                    if duplicateRuns == .fail { throw ProfilerError.duplicateRunId(runId) }
                    checked.repeated += 1
                    continue
                }
            } catch {
                // A run before this one whose run id is stored is the batch's first problem.
                if duplicateRuns == .fail, let stored = try await firstStoredRunId(among: batch[..<index], on: connection) {
                    throw ProfilerError.duplicateRunId(stored)
                }
                throw error
            }
            checked.accepted.append(metric)
        }
        return checked
    }

    /// Each batch's result, given the run ids written (a run without one is always written).
    ///
    /// - Throws: ``ProfilerError/duplicateRunId(_:)`` with `.fail`, for the first run not written (its run id is stored).
    private static func results(
        of batches: [CheckedBatch], inserted: Set<String>, duplicateRuns: DuplicateRunPolicy
    ) throws -> [BatchInsertResult] {
        try batches.map { batch in
            let stored = batch.accepted.compactMap(\.runId).filter { !inserted.contains($0) }
            if let first = stored.first, duplicateRuns == .fail { throw ProfilerError.duplicateRunId(first) }
            return BatchInsertResult(inserted: batch.accepted.count - stored.count, skipped: batch.repeated + stored.count)
        }
    }

    /// The first of the runs' run ids that is stored.
    private func firstStoredRunId(among runs: ArraySlice<SkillMetrics>, on connection: PostgresConnection) async throws -> String? {
        let runIds = runs.compactMap(\.runId)
        guard !runIds.isEmpty else { return nil }
        var stored: Set<String> = []
        let rows = try await connection.guardedQuery(
            "SELECT run_id FROM skill_metrics WHERE run_id = ANY(\(runIds))", logger: logger)
        for try await runId in rows.decode(String.self) { stored.insert(runId) }
        return runIds.first(where: stored.contains)
    }

    /// Inserts runs in their order, leaving out those whose run id is stored (they draw no
    /// id, so ids stay gapless); returns how many it wrote, and their run ids.
    @discardableResult
    func insertRows(
        _ metrics: [SkillMetrics], on connection: PostgresConnection
    ) async throws -> (count: Int, runIds: Set<String>) {
        var inserted: (count: Int, runIds: Set<String>) = (0, [])
        for start in stride(from: 0, to: metrics.count, by: Self.rowsPerInsert) {
            // One array a column, not a VALUES list: the server parses a statement of 17 arguments, not of 1,700.
            // ON CONFLICT still skips a run id another writer commits meanwhile.
            var query = QueryBuilder("INSERT INTO skill_metrics (\(PostgresColumns.written)) SELECT \(PostgresColumns.written) FROM ")
            query.append(query.unnested(metrics[start..<min(start + Self.rowsPerInsert, metrics.count)]))
            query.append(
                """
                 WITH ORDINALITY AS run (\(PostgresColumns.written), position)
                WHERE NOT EXISTS (SELECT FROM skill_metrics stored WHERE stored.run_id = run.run_id)
                ORDER BY position ON CONFLICT (run_id) DO NOTHING RETURNING run_id
                """)
            for try await runId in try await connection.guardedQuery(query.query, logger: logger).decode(String?.self) {
                inserted.count += 1
                if let runId { inserted.runIds.insert(runId) }
            }
        }
        return inserted
    }

    public func update(_ metric: SkillMetrics) async throws(ProfilerError) {
        guard let id = metric.id else {
            throw .invalidMetric(InvalidField(field: "id", value: "nil", problem: "a stored run needs its id to be updated"))
        }
        try metric.validateForStoring()
        let updated = try await withConnection { connection in
            try await self.update(metric, id: id, on: connection)
        }
        guard updated else { throw .metricNotFound(id: id) }
    }

    /// Replaces the stored run `id`'s columns; returns whether it exists.
    ///
    /// - Throws: ``ProfilerError/duplicateRunId(_:)`` when another run holds the new run id.
    func update(_ metric: SkillMetrics, id: Int64, on connection: PostgresConnection) async throws -> Bool {
        var query = QueryBuilder("UPDATE skill_metrics SET (\(PostgresColumns.written)) = ROW")
        query.append(query.arguments(of: metric))
        query.append(" WHERE id = \(query.argument(id)) RETURNING id")
        do {
            return try await connection.firstValue(of: query.query, as: Int64.self, logger: logger) != nil
        } catch where PostgresFailure.sqlState(of: error) == PostgresFailure.uniqueViolation {
            throw ProfilerError.duplicateRunId(metric.runId ?? "")
        }
    }

    @discardableResult
    public func merge(_ contributions: [RunContribution]) async throws(ProfilerError) -> MergeResult {
        guard !contributions.isEmpty else { return MergeResult() }
        return try await withTransaction { connection in
            // Merges read, merge and write runs: one at a time per schema, so none is lost.
            try await connection.guardedQuery("SELECT pg_advisory_xact_lock(hashtext('skill-forge-merge'))", logger: self.logger)
            let merged = try await self.mergedKeys(among: contributions.map(\.eventKey), on: connection)
            let stored = try await self.storedRuns(among: contributions.map(\.runId), on: connection)
            let plan = MergePlan(contributions, isMerged: merged.contains, storedRun: { stored[$0] })
            for metric in plan.updates {
                if let id = metric.id { _ = try await self.update(metric, id: id, on: connection) }
            }
            if try await self.insertRows(plan.inserts, on: connection).count < plan.inserts.count {
                // Another writer stored one of these runs meanwhile: merging again finds and merges into it.
                throw ProfilerError.busy(path: self.location)
            }
            if !plan.mergedEvents.isEmpty {
                let keys = plan.mergedEvents.map(\.key)
                let starts = plan.mergedEvents.map(\.started)
                try await connection.guardedQuery(
                    """
                    INSERT INTO merged_events (key, started) SELECT * FROM unnest(\(keys)::bigint[], \(starts)::bigint[])
                    ON CONFLICT (key) DO NOTHING
                    """, logger: self.logger)
            }
            return plan.result
        }
    }

    private func mergedKeys(among keys: [Int64], on connection: PostgresConnection) async throws -> Set<Int64> {
        var merged: Set<Int64> = []
        let rows = try await connection.guardedQuery("SELECT key FROM merged_events WHERE key = ANY(\(keys))", logger: logger)
        for try await key in rows.decode(Int64.self) { merged.insert(key) }
        return merged
    }

    private func storedRuns(among runIds: [String], on connection: PostgresConnection) async throws -> [String: SkillMetrics] {
        var runs: [String: SkillMetrics] = [:]
        var query = QueryBuilder("SELECT \(PostgresColumns.selected) FROM skill_metrics WHERE run_id = ANY(")
        query.append(query.argument(Array(Set(runIds))) + ")")
        for try await row in try await connection.guardedQuery(query.query, logger: logger) {
            let metric = try SkillMetrics(postgresRow: row, location: location)
            if let runId = metric.runId { runs[runId] = metric }
        }
        return runs
    }

    // MARK: - Deleting

    @discardableResult
    public func delete(id: Int64) async throws(ProfilerError) -> Bool {
        try await count("WITH deleted AS (DELETE FROM skill_metrics WHERE id = \(id) RETURNING 1) SELECT count(*) FROM deleted") == 1
    }

    @discardableResult
    public func deleteMetrics(forSkill skillId: String, upToId: Int64? = nil) async throws(ProfilerError) -> Int {
        try await count(
            """
            WITH deleted AS (DELETE FROM skill_metrics WHERE skill_id = \(skillId) AND id <= \(upToId ?? Int64.max) RETURNING 1)
            SELECT count(*) FROM deleted
            """)
    }

    @discardableResult
    public func prune(before date: Date, upToId: Int64? = nil) async throws(ProfilerError) -> Int {
        let cutoff = date.unixMilliseconds
        let limit = upToId ?? Int64.max
        return try await withTransaction { connection in
            let pruned = try await connection.firstValue(
                of: """
                    WITH deleted AS (DELETE FROM skill_metrics WHERE timestamp < \(cutoff) AND id <= \(limit) RETURNING 1)
                    SELECT count(*) FROM deleted
                    """, as: Int64.self, logger: self.logger) ?? 0
            // The events that started before every run kept (see `MetricsStore.prune`).
            try await connection.guardedQuery(
                """
                DELETE FROM merged_events WHERE started < coalesce(
                  (SELECT min(timestamp) FROM skill_metrics WHERE timestamp < \(cutoff)), \(cutoff))
                """, logger: self.logger)
            return Int(pruned)
        }
    }

    /// Runs a query whose one row holds a count.
    func count(_ query: PostgresQuery) async throws(ProfilerError) -> Int {
        let value = try await withConnection { connection in
            try await connection.firstValue(of: query, as: Int64.self, logger: self.logger)
        }
        return Int(value ?? 0)
    }
}

extension PostgresConnection {
    /// The first column of a query's first row (`nil` without rows), reading every row the server sends.
    func firstValue<Value: PostgresDecodable & Sendable>(
        of query: PostgresQuery, as type: Value.Type, logger: Logger
    ) async throws -> Value? {
        var first: Value?
        for try await value in try await self.guardedQuery(query, logger: logger).decode(Value.self) where first == nil {
            first = value
        }
        return first
    }
}
