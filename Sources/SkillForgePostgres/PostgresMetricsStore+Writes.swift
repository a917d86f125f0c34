import Foundation
import Logging
import PostgresNIO
import SkillForge

// MARK: - Writing

extension PostgresMetricsStore {
    /// At most this many runs per `INSERT` (PostgreSQL takes at most 65,535 arguments a statement).
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

    @discardableResult
    public func insert(
        batches: [[SkillMetrics]], duplicateRuns: DuplicateRunPolicy
    ) async throws(ProfilerError) -> [BatchInsertResult] {
        guard batches.contains(where: { !$0.isEmpty }) else { return batches.map { _ in BatchInsertResult() } }
        return try await withTransaction { connection in
            var results: [BatchInsertResult] = []
            for batch in batches {
                results.append(try await self.insert(batch, duplicateRuns: duplicateRuns, on: connection))
            }
            return results
        }
    }

    /// Inserts one batch inside a transaction: checked in order (each run valid, its run id
    /// not stored nor earlier in the batch), then written.
    private func insert(
        _ batch: [SkillMetrics], duplicateRuns: DuplicateRunPolicy, on connection: PostgresConnection
    ) async throws -> BatchInsertResult {
        var seen = try await storedRunIds(among: batch.compactMap(\.runId), on: connection)
        var accepted: [SkillMetrics] = []
        var result = BatchInsertResult()
        for metric in batch {
            try metric.validateForStoring()
            if let runId = metric.runId, !seen.insert(runId).inserted {
                if duplicateRuns == .fail { throw ProfilerError.duplicateRunId(runId) }
                result.skipped += 1
                continue
            }
            accepted.append(metric)
        }
        // A run id another writer stored since the check is skipped by ON CONFLICT, and counted here.
        let inserted = try await insertRows(accepted, on: connection)
        if inserted.count < accepted.count {
            if duplicateRuns == .fail {
                let lost = accepted.first { $0.runId.map { !inserted.runIds.contains($0) } ?? false }
                throw ProfilerError.duplicateRunId(lost?.runId ?? "")
            }
            result.skipped += accepted.count - inserted.count
        }
        result.inserted = inserted.count
        return result
    }

    /// The run ids among `runIds` that are stored.
    private func storedRunIds(among runIds: [String], on connection: PostgresConnection) async throws -> Set<String> {
        guard !runIds.isEmpty else { return [] }
        var stored: Set<String> = []
        let rows = try await connection.guardedQuery(
            "SELECT run_id FROM skill_metrics WHERE run_id = ANY(\(runIds))", logger: logger)
        for try await runId in rows.decode(String.self) { stored.insert(runId) }
        return stored
    }

    /// Inserts runs, skipping those whose run id is stored; returns how many it wrote, and their run ids.
    @discardableResult
    func insertRows(
        _ metrics: [SkillMetrics], on connection: PostgresConnection
    ) async throws -> (count: Int, runIds: Set<String>) {
        var inserted: (count: Int, runIds: Set<String>) = (0, [])
        for start in stride(from: 0, to: metrics.count, by: Self.rowsPerInsert) {
            var query = QueryBuilder("INSERT INTO skill_metrics (\(PostgresColumns.written)) VALUES ")
            for (index, metric) in metrics[start..<min(start + Self.rowsPerInsert, metrics.count)].enumerated() {
                query.append((index == 0 ? "" : ", ") + query.arguments(of: metric))
            }
            query.append(" ON CONFLICT (run_id) DO NOTHING RETURNING run_id")
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
