import GRDB

// MARK: - Repricing

/// What ``ProfilerDB/reprice(_:with:batchSize:progress:)`` did.
public struct RepriceSummary: Sendable, Hashable, Codable {
    /// Runs whose cost was unknown or estimated: the ones repricing looks at.
    public var examined = 0
    /// Runs whose stored cost changed (newly priced, priced differently, or now unknown).
    public var changed = 0
    /// Runs examined that have an estimated cost now.
    public var priced = 0
    /// Runs examined whose cost stays unknown: an unpriced model, no model, or unknown tokens.
    public var unknown = 0

    /// A summary of nothing.
    public init() {}
}

extension ProfilerDB {
    /// Computes again, by `prices`, the cost of the runs `filter` selects whose
    /// cost is unknown or estimated (``SkillMetrics/costEstimated``); a cost the
    /// source stated is never touched (``PriceList/repricing(_:)``).
    ///
    /// The runs are read in id order, `batchSize` at a time, each batch read and
    /// written in one transaction that keeps the rollups in step, so memory stays
    /// bounded and other writers interleave. Repricing twice with the same list
    /// changes nothing the second time. Rows that break the rules of the store are left alone.
    ///
    /// ```swift
    /// let summary = try await db.reprice(MetricsFilter(skillId: "summarise"), with: .shipped) { progress in
    ///     print("\(progress.examined) runs looked at")
    /// }
    /// ```
    ///
    /// - Parameter progress: Receives the running totals after each batch.
    /// - Throws: ``ProfilerError`` when the database fails; the batches before stay repriced.
    public func reprice(
        _ filter: MetricsFilter, with prices: PriceList, batchSize: Int = 5_000,
        progress: (RepriceSummary) -> Void = { _ in }
    ) async throws(ProfilerError) -> RepriceSummary {
        try checkWritable()
        var summary = RepriceSummary()
        var after = Int64.min
        let limit = max(1, batchSize)
        while true {
            let (batch, last) = try await write { [after] db in
                try Self.reprice(filter, with: prices, after: after, limit: limit, in: db)
            }
            guard let last else { break }
            summary.examined += batch.examined
            summary.changed += batch.changed
            summary.priced += batch.priced
            summary.unknown += batch.unknown
            after = last
            progress(summary)
        }
        return summary
    }

    /// Reprices up to `limit` runs after the id `after`; returns what it did and the last id it read.
    private static func reprice(
        _ filter: MetricsFilter, with prices: PriceList, after: Int64, limit: Int, in db: Database
    ) throws -> (RepriceSummary, last: Int64?) {
        let rows = try SkillMetrics
            .filter(
                literal: """
                    id > \(after) AND \(filter.conditions) AND \(SkillMetrics.isStoredValid)
                    AND (cost_usd IS NULL OR \(sql: Measure.estimatedCostCondition))
                    """
            )
            .order(SkillMetrics.Columns.id).limit(limit).fetchAll(db)
        var summary = RepriceSummary()
        var changed: [SkillMetrics] = []
        for row in rows {
            let repriced = prices.repricing(row)
            summary.examined += 1
            if repriced.costUsd == nil { summary.unknown += 1 } else { summary.priced += 1 }
            if repriced.costUsd != row.costUsd || repriced.costEstimated != row.costEstimated { changed.append(repriced) }
        }
        summary.changed = changed.count
        let ids = changed.compactMap(\.id)
        try Rollups.maintain(in: db) { _ in
            try Rollups.update(rows: ids, in: db) {
                let statement = try db.cachedStatement(
                    sql: "UPDATE skill_metrics SET cost_usd = ?, cost_estimated = ? WHERE id = ?")
                for run in changed {
                    try statement.execute(arguments: [run.costUsd, run.costEstimated, run.id])
                }
            }
        }
        return (summary, rows.last?.id)
    }
}
