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
        let storedRun = try db.cachedStatement(sql: SkillMetrics.storedRunSQL)
        let row = try db.cachedStatement(
            sql: "SELECT \(SkillMetrics.Columns.all.map(\.name).joined(separator: ", ")) FROM skill_metrics WHERE id = ?")
        let plan = try MergePlan(
            contributions,
            isMerged: { key in try Bool.fetchOne(isMerged, arguments: [key]) ?? false },
            storedRun: { runId in
                let id = try Int64.fetchOne(storedRun, arguments: ["run_key": RunKey.of(runId), "run_id": runId])
                return try id.flatMap { id in try SkillMetrics.fetchOne(row, arguments: [id]) }
            })
        guard !plan.mergedEvents.isEmpty else { return plan.result }
        try Rollups.maintain(in: db) { rollups in
            try Rollups.update(rows: plan.updates.compactMap(\.id), in: db) {
                for metric in plan.updates { try metric.update(db) }
            }
            let statements = try InsertStatements(db)
            for metric in plan.inserts {
                guard try execute(statements, with: metric, in: db) else { throw ProfilerError.duplicateRunId(metric.runId ?? "") }
                rollups.add(metric)
            }
            let record = try db.cachedStatement(sql: "INSERT INTO merged_events (key, started) VALUES (?, ?)")
            for event in plan.mergedEvents { try record.execute(arguments: [event.key, event.started]) }
        }
        try db.notifyChanges(in: Table(Schema.tableName))
        return plan.result
    }
}
