import GRDB

// MARK: - Rows

extension ProfilerDB {
    /// The run with this id, or `nil` (also for a row that breaks the rules of the store).
    public func metric(id: Int64) throws(ProfilerError) -> SkillMetrics? {
        try read { db in try Self.metric(id: id, in: db) }
    }

    static func metric(id: Int64, in db: Database) throws -> SkillMetrics? {
        try SkillMetrics.filter(key: id).validRows().fetchOne(db)
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
    /// Like every read, it skips rows that break the rules of the store (written
    /// by other tools); ``invalidCount(matching:)`` counts them.
    ///
    /// ```swift
    /// let lastTen = try db.metrics(matching: MetricsFilter(skillId: "time-tracker", order: .newestFirst, limit: 10))
    /// ```
    public func metrics(matching filter: MetricsFilter) throws(ProfilerError) -> [SkillMetrics] {
        try read { db in try SkillMetrics.all().matching(filter).validRows().fetchAll(db) }
    }

    /// Calls `body` with each run that matches `filter`, one at a time, in constant memory.
    ///
    /// The runs come from one consistent snapshot of the database, even while
    /// other connections write. Rows that break the rules of the store are skipped.
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
            let cursor = try SkillMetrics.all().matching(filter).validRows().fetchCursor(db)
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

    /// The number of rows that match `filter` (its order and limit are ignored),
    /// including rows that break the rules of the store: what `prune` deletes.
    public func count(matching filter: MetricsFilter = MetricsFilter()) throws(ProfilerError) -> Int {
        try read { db in try SkillMetrics.all().matching(filter.unlimited).fetchCount(db) }
    }

    /// How many runs match `filter`, and the highest id among them, read from one snapshot.
    ///
    /// A deletion that first asks the user passes the id on (`upToId:`), so that it
    /// deletes what the user was told about and nothing recorded while they
    /// answered: ids only grow (`AUTOINCREMENT`).
    ///
    /// ```swift
    /// let (count, lastId) = try db.countAndLastId(matching: MetricsFilter(skillId: "old"))
    /// print("delete \(count) runs?")
    /// try db.deleteMetrics(forSkill: "old", upToId: lastId)
    /// ```
    public func countAndLastId(matching filter: MetricsFilter) throws(ProfilerError) -> (count: Int, lastId: Int64?) {
        try read { db in try Self.countAndLastId(matching: filter, in: db) }
    }

    static func countAndLastId(matching filter: MetricsFilter, in db: Database) throws -> (count: Int, lastId: Int64?) {
        let row = try SkillMetrics.all().matching(filter.unlimited)
            .select(GRDB.count(SkillMetrics.Columns.id), GRDB.max(SkillMetrics.Columns.id))
            .asRequest(of: Row.self).fetchOne(db)
        return (try row?.decode(Int.self, atIndex: 0) ?? 0, try row?.decode(Int64?.self, atIndex: 1))
    }

    /// The number of rows that match `filter` but break the rules of the store
    /// (negative or huge numbers, text or REAL values in integer columns, written
    /// by other tools): every read and analysis skips them.
    ///
    /// ```swift
    /// let skipped = try db.invalidCount(matching: MetricsFilter(skillId: "summarise"))
    /// ```
    public func invalidCount(matching filter: MetricsFilter = MetricsFilter()) throws(ProfilerError) -> Int {
        try read { db in try Self.invalidCount(matching: filter, in: db) }
    }

    static func invalidCount(matching filter: MetricsFilter, in db: Database) throws -> Int {
        if let totals = try Rollups.rollupSkillTotals(matching: filter, extremes: false, in: db) { return totals.invalidRows }
        return try SkillMetrics.all().matching(filter.unlimited).filter(literal: "NOT \(SkillMetrics.isStoredValid)")
            .fetchCount(db)
    }
}

// MARK: - Skills

extension ProfilerDB {
    /// The ids of every skill with at least one run, sorted: the seed's `getAllSkills`.
    ///
    /// Runs in time proportional to the number of skills, not of runs: one
    /// index seek per skill. Every row counts, also one that breaks the rules of
    /// the store (``skillRunCounts()`` counts only valid runs).
    public func allSkills() throws(ProfilerError) -> [String] {
        try read { db in try Self.allSkills(in: db) }
    }

    static func allSkills(in db: Database) throws -> [String] {
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

    /// Every skill with its number of runs and its latest run, sorted by skill id.
    ///
    /// Rows that break the rules of the store are not counted (see ``invalidCount(matching:)``).
    public func skillRunCounts() throws(ProfilerError) -> [SkillRunCount] {
        try skillRunCountsCountingInvalidRows().counts
    }

    /// ``skillRunCounts()``, and the number of rows that break the rules of the
    /// store (which it does not count), in one pass over the runs.
    ///
    /// ```swift
    /// let (counts, invalidRows) = try db.skillRunCountsCountingInvalidRows()
    /// ```
    ///
    /// The rollups answer it in time proportional to the number of skills. Without
    /// them (a file opened read-only at an older schema) it is the analysis's scan
    /// of the covering index, which checks the rules on the raw columns: checked
    /// in SQL instead, the same rules cost about ten times as much per row.
    public func skillRunCountsCountingInvalidRows() throws(ProfilerError) -> (counts: [SkillRunCount], invalidRows: Int) {
        try read { db in try Self.skillRunCountsCountingInvalidRows(in: db) }
    }

    static func skillRunCountsCountingInvalidRows(in db: Database) throws -> (counts: [SkillRunCount], invalidRows: Int) {
        if let totals = try Rollups.rollupSkillTotals(matching: MetricsFilter(), extremes: true, in: db) {
            let counts = totals.skills.map {
                SkillRunCount(skillId: $0.skillId, runs: $0.totals.runs, lastRun: $0.totals.lastRun ?? .min)
            }
            return (counts, totals.invalidRows)
        }
        var counter = SkillRunCounter()
        let invalidRows = try scanRuns(RunSelection(MetricsFilter()), into: &counter, in: db)
        return (counter.counts, invalidRows)
    }

    /// The versions of a skill with their runs and first and last run, oldest
    /// first; runs without a version are one entry with a `nil` version.
    ///
    /// ```swift
    /// for version in try db.versionRunCounts(forSkill: "summarise") {
    ///     print(version.version ?? "(none)", version.runs)
    /// }
    /// ```
    ///
    /// The all-time rollups answer it; without them SQLite aggregates the runs (`GROUP BY version`).
    public func versionRunCounts(forSkill skillId: String) throws(ProfilerError) -> [VersionRunCount] {
        try read { db in try Self.versionRunCounts(forSkill: skillId, in: db) }
    }

    static func versionRunCounts(forSkill skillId: String, in db: Database) throws -> [VersionRunCount] {
        if let counts = try Rollups.versionRunCounts(forSkill: skillId, in: db) { return counts }
        return try SQLRequest<Row>(
            literal: """
                SELECT version, COUNT(*), MIN(timestamp), MAX(timestamp) FROM skill_metrics
                WHERE skill_id = \(skillId) AND \(SkillMetrics.isStoredValid)
                GROUP BY version ORDER BY MIN(timestamp), version
                """
        ).fetchAll(db).map { VersionRunCount(version: $0[0], runs: $0[1], firstRun: $0[2], lastRun: $0[3]) }
    }

    /// Averages over every run of a skill, or `nil` if it has none: the seed's `getAverageMetrics`.
    ///
    /// ```swift
    /// if let averages = try db.averageMetrics(forSkill: "time-tracker") {
    ///     print("\(averages.totalRuns) runs, \(averages.avgExecutionMs) ms on average")
    /// }
    /// ```
    public func averageMetrics(forSkill skillId: String) throws(ProfilerError) -> AggregatedMetrics? {
        try read { db in try Self.averageMetrics(forSkill: skillId, in: db) }
    }

    static func averageMetrics(forSkill skillId: String, in db: Database) throws -> AggregatedMetrics? {
        if let totals = try Rollups.rollupSkillTotals(matching: MetricsFilter(skillId: skillId), extremes: false, in: db) {
            return totals.skills.first.map(aggregatedMetrics(from:))
        }
        return try SQLRequest<Row>(literal: averagesSQL + " AND skill_id = \(skillId) GROUP BY skill_id").fetchOne(db)
            .map(aggregatedMetrics(from:))
    }

    /// Averages of every skill, sorted by skill id.
    public func averageMetrics() throws(ProfilerError) -> [AggregatedMetrics] {
        try read { db in
            if let totals = try Rollups.rollupSkillTotals(matching: MetricsFilter(), extremes: false, in: db) {
                return totals.skills.map(Self.aggregatedMetrics(from:))
            }
            return try SQLRequest<Row>(literal: Self.averagesSQL + " GROUP BY skill_id ORDER BY skill_id").fetchAll(db)
                .map(Self.aggregatedMetrics(from:))
        }
    }

    /// The seed's aggregate query; `GROUP BY` makes it return no row, not NULLs, for an unknown skill.
    /// Rows that break the rules of the store are left out, as by every read.
    private static let averagesSQL: SQL = """
        SELECT skill_id,
               AVG(execution_ms),
               AVG(CASE WHEN \(sql: Measure.knownTokensCondition) THEN tokens_in + tokens_out END),
               COUNT(*),
               SUM(CASE WHEN success = 0 THEN 1 ELSE 0 END) * 1.0 / COUNT(*)
        FROM skill_metrics
        WHERE \(SkillMetrics.isStoredValid)
        """

    private static func aggregatedMetrics(from row: Row) -> AggregatedMetrics {
        AggregatedMetrics(
            skillId: row[0], avgExecutionMs: row[1], avgTokens: row[2], totalRuns: row[3], failureRate: row[4])
    }

    private static func aggregatedMetrics(from skill: SkillTotals) -> AggregatedMetrics {
        AggregatedMetrics(
            skillId: skill.skillId, avgExecutionMs: skill.totals.meanExecutionMs, avgTokens: skill.totals.meanTokens,
            totalRuns: skill.totals.runs, failureRate: skill.totals.failureRate)
    }
}

// MARK: - Counting runs per skill

/// Counts the runs of each skill and keeps its latest run, as ``ProfilerDB/scanRuns(_:into:)`` visits them.
private struct SkillRunCounter: RunSampleVisitor {
    private(set) var counts: [SkillRunCount] = []

    mutating func beginSkill(_ skillId: String) {
        counts.append(SkillRunCount(skillId: skillId, runs: 0, lastRun: .min))
    }

    mutating func visit(_ run: RunSample) {
        guard let last = counts.indices.last else { return }
        counts[last].runs += 1
        counts[last].lastRun = max(counts[last].lastRun, run.timestamp)
    }
}
