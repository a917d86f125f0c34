import GRDB

// MARK: - Execution-time counts

// `skill_execution_time_counts` holds, per skill, how many valid runs took each
// execution time: exact percentiles of a skill's whole history without reading
// its runs. Counts add and subtract exactly, so deletions need no recomputing.

extension Rollups {
    /// Adds (`sign` 1) or takes out (`sign` -1) the execution times of the valid
    /// rows that `request` selects, in one `INSERT … SELECT … GROUP BY`: call it
    /// after storing or updating rows, or before deleting them.
    static func count(executionTimesOf request: QueryInterfaceRequest<SkillMetrics>, as sign: Int, in db: Database) throws {
        let counted = request.filter(literal: SkillMetrics.isStoredValid)
            .select(literal: "skill_id, execution_ms, \(sign) * COUNT(*)")
            .group(literal: "skill_id, execution_ms")
        let statement = try counted.makePreparedRequest(db, forSingleResult: false).statement
        // The request's WHERE clause keeps SQLite from reading ON CONFLICT as a join constraint.
        try db.execute(
            sql: """
                INSERT INTO skill_execution_time_counts (skill_id, execution_ms, runs) \(statement.sql)
                ON CONFLICT (skill_id, execution_ms) DO UPDATE SET runs = runs + excluded.runs
                """,
            arguments: statement.arguments)
        if sign < 0 {
            // Through the partial index of spent counts.
            try db.execute(sql: "DELETE FROM skill_execution_time_counts WHERE runs <= 0")
        }
    }
}

/// A skill and an execution time: a key of `skill_execution_time_counts` (texts compare by their bytes).
struct ExecutionTimeKey: Hashable {
    var skillId: ExactText
    var executionMs: Int64

    /// Whether this key comes before `other` in the table's primary key order (`BINARY` text, then integer).
    func precedes(_ other: ExecutionTimeKey) -> Bool {
        skillId == other.skillId
            ? executionMs < other.executionMs
            : skillId.text.utf8.lexicographicallyPrecedes(other.skillId.text.utf8)
    }
}

// MARK: - Percentiles

extension ProfilerDB {
    /// Exact percentiles (numpy's linear method) of the execution times of every
    /// valid run of a skill, from the execution-time counts: no run is read.
    ///
    /// ```swift
    /// if let percentiles = try db.executionTimePercentiles([50, 95, 99], forSkill: "summarise") {
    ///     print(percentiles)   // [] when the skill has no runs
    /// }
    /// ```
    ///
    /// - Returns: One value per percentile, `[]` without runs, or `nil` when the
    ///   database has no counts (a file opened read-only at a schema before
    ///   migration `v6-execution-time-counts`).
    func executionTimePercentiles(_ ps: [Double], forSkill skillId: String) throws(ProfilerError) -> [Double]? {
        try read { db in
            guard try db.tableExists("skill_execution_time_counts") else { return nil }
            let total = try Int.fetchOne(
                db, sql: "SELECT TOTAL(runs) FROM skill_execution_time_counts WHERE skill_id = ?", arguments: [skillId]
            ) ?? 0
            guard total > 0 else { return [] }
            let positions = ps.map { Percentile.position(of: $0, count: total) }
            // The values at each rank the percentiles need, in one ordered pass over the counts.
            let ranks = Set(positions.flatMap { [$0.lower, min($0.lower + 1, total - 1)] }).sorted()
            var values: [Int: Int64] = [:]
            var next = ranks.startIndex
            var seen = 0
            let counts = try Row.fetchCursor(
                db, sql: "SELECT execution_ms, runs FROM skill_execution_time_counts WHERE skill_id = ? ORDER BY execution_ms",
                arguments: [skillId])
            while next < ranks.endIndex, let row = try counts.next() {
                let runs: Int = row[1]
                seen += runs
                while next < ranks.endIndex, ranks[next] < seen {
                    values[ranks[next]] = row[0]
                    next += 1
                }
            }
            return positions.map { position in
                let lower = Double(values[position.lower] ?? 0)
                let upper = Double(values[min(position.lower + 1, total - 1)] ?? 0)
                return Percentile.interpolate(lower: lower, upper: upper, fraction: position.fraction)
            }
        }
    }
}
