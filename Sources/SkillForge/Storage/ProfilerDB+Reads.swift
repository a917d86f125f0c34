import GRDB

// MARK: - Rows

extension ProfilerDB {
    /// The run with this id, or `nil`.
    public func metric(id: Int64) throws(ProfilerError) -> SkillMetrics? {
        try read { db in try SkillMetrics.fetchOne(db, key: id) }
    }

    /// Every run of a skill, oldest first: the seed's `getMetrics`.
    ///
    /// This loads all the skill's runs into memory; for large histories, pass a
    /// limit with ``metrics(matching:)`` or stream with ``forEachMetric(matching:_:)``.
    public func metrics(forSkill skillId: String) throws(ProfilerError) -> [SkillMetrics] {
        try metrics(matching: MetricsFilter(skillId: skillId))
    }

    /// The runs that match `filter`, in its order.
    ///
    /// ```swift
    /// let lastTen = try db.metrics(matching: MetricsFilter(skillId: "time-tracker", order: .newestFirst, limit: 10))
    /// ```
    public func metrics(matching filter: MetricsFilter) throws(ProfilerError) -> [SkillMetrics] {
        try read { db in try SkillMetrics.all().matching(filter).fetchAll(db) }
    }

    /// Calls `body` with each run that matches `filter`, one at a time, in constant memory.
    ///
    /// The runs come from one consistent snapshot of the database, even while
    /// other connections write.
    ///
    /// ```swift
    /// try db.forEachMetric(matching: MetricsFilter(skillId: "time-tracker")) { run in
    ///     print(run.executionMs)
    /// }
    /// ```
    ///
    /// - Throws: ``ProfilerError`` for database failures, or whatever `body` throws.
    public func forEachMetric(matching filter: MetricsFilter, _ body: (SkillMetrics) throws -> Void) throws {
        var bodyError: (any Error)?
        try read { db in
            let cursor = try SkillMetrics.all().matching(filter).fetchCursor(db)
            while let metric = try cursor.next() {
                do {
                    try body(metric)
                } catch {
                    bodyError = error
                    return
                }
            }
        }
        if let bodyError { throw bodyError }
    }

    /// The number of runs that match `filter` (its order and limit are ignored).
    public func count(matching filter: MetricsFilter = MetricsFilter()) throws(ProfilerError) -> Int {
        var unlimited = filter
        unlimited.limit = nil
        return try read { db in try SkillMetrics.all().matching(unlimited).fetchCount(db) }
    }
}

// MARK: - Skills

extension ProfilerDB {
    /// The ids of every skill with at least one run, sorted: the seed's `getAllSkills`.
    ///
    /// Runs in time proportional to the number of skills, not of runs: one
    /// index seek per skill.
    public func allSkills() throws(ProfilerError) -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE skill(id) AS (
                      SELECT MIN(skill_id) FROM skill_metrics
                      UNION ALL
                      SELECT (SELECT MIN(skill_id) FROM skill_metrics WHERE skill_id > skill.id)
                      FROM skill WHERE skill.id IS NOT NULL
                    )
                    SELECT id FROM skill WHERE id IS NOT NULL
                    """)
        }
    }

    /// Every skill with its number of runs and its latest run, sorted by skill id.
    public func skillRunCounts() throws(ProfilerError) -> [SkillRunCount] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT skill_id, COUNT(*), MAX(timestamp) FROM skill_metrics
                    GROUP BY skill_id ORDER BY skill_id
                    """
            ).map { SkillRunCount(skillId: $0[0], runs: $0[1], lastRun: $0[2]) }
        }
    }

    /// Averages over every run of a skill, or `nil` if it has none: the seed's `getAverageMetrics`.
    ///
    /// ```swift
    /// if let averages = try db.averageMetrics(forSkill: "time-tracker") {
    ///     print("\(averages.totalRuns) runs, \(averages.avgExecutionMs) ms on average")
    /// }
    /// ```
    public func averageMetrics(forSkill skillId: String) throws(ProfilerError) -> AggregatedMetrics? {
        try read { db in
            try Row.fetchOne(db, sql: Self.averagesSQL + " WHERE skill_id = ? GROUP BY skill_id", arguments: [skillId])
                .map(Self.aggregatedMetrics(from:))
        }
    }

    /// Averages of every skill, sorted by skill id.
    public func averageMetrics() throws(ProfilerError) -> [AggregatedMetrics] {
        try read { db in
            try Row.fetchAll(db, sql: Self.averagesSQL + " GROUP BY skill_id ORDER BY skill_id")
                .map(Self.aggregatedMetrics(from:))
        }
    }

    /// The seed's aggregate query; `GROUP BY` makes it return no row, not NULLs, for an unknown skill.
    private static let averagesSQL = """
        SELECT skill_id,
               AVG(execution_ms),
               AVG(tokens_in + tokens_out),
               COUNT(*),
               SUM(CASE WHEN success = 0 THEN 1 ELSE 0 END) * 1.0 / COUNT(*)
        FROM skill_metrics
        """

    private static func aggregatedMetrics(from row: Row) -> AggregatedMetrics {
        AggregatedMetrics(
            skillId: row[0], avgExecutionMs: row[1], avgTokens: row[2], totalRuns: row[3], failureRate: row[4])
    }
}
