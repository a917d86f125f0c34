import GRDB

// MARK: - Merging contributions

extension ProfilerDB {
    /// Merges `contributions` into their runs in one write transaction (see
    /// ``MetricsStore/merge(_:)``): the event keys are looked up in
    /// `merged_events`, each run by its run id through `idx_run_key` (as the
    /// duplicate check does), and the rows are written through the store's own
    /// update and insert, so the rollups stay exact.
    ///
    /// Stored runs are updated before new ones are inserted, all at once: the
    /// groups they left or joined are recomputed from the rows, each once, and a row
    /// inserted in the same transaction is counted by the batch that
    /// ``Rollups/maintain(in:_:)`` writes at its end, so it must not be in the table
    /// when a group is recomputed.
    static func merge(_ contributions: [RunContribution], in db: Database) throws -> MergeResult {
        let isMerged = try db.cachedStatement(sql: "SELECT 1 FROM merged_events WHERE key = ?")
        let plan = try MergePlan(
            contributions,
            isMerged: { key in try Bool.fetchOne(isMerged, arguments: [key]) ?? false },
            storedRun: { runId in
                try ids(ofRun: runId, in: db).first.flatMap { id in try SkillMetrics.fetchOne(db, key: id) }
            })
        guard !plan.mergedKeys.isEmpty else { return plan.result }
        try Rollups.maintain(in: db) { rollups in
            try Rollups.update(rows: plan.updates.compactMap(\.id), in: db) {
                for metric in plan.updates { try metric.update(db) }
            }
            let statements = try InsertStatements(db)
            for metric in plan.inserts {
                guard try execute(statements, with: metric, in: db) else { throw ProfilerError.duplicateRunId(metric.runId ?? "") }
                rollups.add(metric)
            }
            let record = try db.cachedStatement(sql: "INSERT INTO merged_events (key) VALUES (?)")
            for key in plan.mergedKeys { try record.execute(arguments: [key]) }
        }
        try db.notifyChanges(in: Table(Schema.tableName))
        return plan.result
    }
}
