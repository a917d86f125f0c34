import PostgresNIO
import SkillForge

// MARK: - Reading runs

extension PostgresMetricsStore {
    public func metric(id: Int64) async throws(ProfilerError) -> SkillMetrics? {
        var first: SkillMetrics?
        try await forEachRow("SELECT \(unescaped: PostgresColumns.selected) FROM skill_metrics WHERE id = \(id)") {
            row throws(ProfilerError) in
            first = try SkillMetrics(postgresRow: row, location: location)
        }
        return first
    }

    public func metricsPage(_ page: MetricsPage) async throws(ProfilerError) -> [SkillMetrics] {
        guard page.size > 0 else { return [] }
        var query = QueryBuilder("SELECT \(PostgresColumns.selected) FROM skill_metrics WHERE ")
        query.append(condition: page.filter)
        if let upToId = page.upToId { query.append(" AND id <= \(query.argument(upToId))") }
        if let after = page.after {
            let position = "(\(query.argument(after.timestamp)), \(query.argument(after.id)))"
            switch page.filter.order {
            case .oldestFirst: query.append(" AND (timestamp, id) > \(position)")
            case .newestFirst: query.append(" AND (timestamp, id) < \(position)")
            case .insertion: query.append(" AND id > \(query.argument(after.id))")
            }
        }
        switch page.filter.order {
        case .oldestFirst: query.append(" ORDER BY timestamp, id")
        case .newestFirst: query.append(" ORDER BY timestamp DESC, id DESC")
        case .insertion: query.append(" ORDER BY id")
        }
        query.append(" LIMIT \(query.argument(Int64(page.size)))")
        var runs: [SkillMetrics] = []
        try await forEachRow(query.query) { row throws(ProfilerError) in
            runs.append(try SkillMetrics(postgresRow: row, location: location))
        }
        return runs
    }

    public func lastId() async throws(ProfilerError) -> Int64? {
        try await countAndLastId(matching: MetricsFilter()).lastId
    }

    public func countAndLastId(matching filter: MetricsFilter) async throws(ProfilerError) -> (count: Int, lastId: Int64?) {
        var query = QueryBuilder("SELECT count(*), max(id) FROM skill_metrics WHERE ")
        query.append(condition: filter)
        var result: (count: Int, lastId: Int64?) = (0, nil)
        try await forEachRow(query.query) { row throws(ProfilerError) in
            let (count, lastId) = try decode(row, as: (Int64, Int64?).self)
            result = (Int(count), lastId)
        }
        return result
    }

    /// Always 0: the table's `CHECK` constraints keep out every row that breaks the rules.
    public func invalidCount(matching filter: MetricsFilter) async throws(ProfilerError) -> Int {
        0
    }

    // MARK: - Reading skills (from the all-time rollups)

    public func allSkills() async throws(ProfilerError) -> [String] {
        var skills: [String] = []
        try await forEachRow(#"SELECT skill_id FROM skill_rollups_all_time GROUP BY 1 ORDER BY skill_id COLLATE "C""#) {
            row throws(ProfilerError) in
            skills.append(try value(of: row, as: String.self))
        }
        return skills
    }

    public func skillRunCountsCountingInvalidRows() async throws(ProfilerError) -> (counts: [SkillRunCount], invalidRows: Int) {
        var counts: [SkillRunCount] = []
        try await forEachRow(
            #"SELECT skill_id, sum(runs)::bigint, max(last_run) FROM skill_rollups_all_time GROUP BY 1 ORDER BY skill_id COLLATE "C""#
        ) { row throws(ProfilerError) in
            let (skillId, runs, lastRun) = try decode(row, as: (String, Int64, Int64).self)
            counts.append(SkillRunCount(skillId: skillId, runs: Int(runs), lastRun: lastRun))
        }
        return (counts, 0)
    }

    public func versionRunCounts(forSkill skillId: String) async throws(ProfilerError) -> [VersionRunCount] {
        var versions: [VersionRunCount] = []
        try await forEachRow(
            """
            SELECT version_key, sum(runs)::bigint, min(first_run), max(last_run) FROM skill_rollups_all_time
            WHERE skill_id = \(skillId) GROUP BY 1
            """
        ) { row throws(ProfilerError) in
            let (key, runs, first, last) = try decode(row, as: (String, Int64, Int64, Int64).self)
            versions.append(
                VersionRunCount(version: PostgresRollups.value(ofKey: key), runs: Int(runs), firstRun: first, lastRun: last))
        }
        return versions.sorted { ($0.firstRun, $0.version ?? "") < ($1.firstRun, $1.version ?? "") }
    }

    public func averageMetrics(forSkill skillId: String) async throws(ProfilerError) -> AggregatedMetrics? {
        guard let totals = try await skillTotals(matching: MetricsFilter(skillId: skillId)).skills.first?.totals,
            totals.runs > 0
        else { return nil }
        return AggregatedMetrics(
            skillId: skillId, avgExecutionMs: totals.meanExecutionMs, avgTokens: totals.meanTokens, totalRuns: totals.runs,
            failureRate: totals.failureRate)
    }

    public func skillTotals(matching filter: MetricsFilter) async throws(ProfilerError) -> SkillTotalsReport {
        var skills: [SkillTotals] = []
        try await forEachTotals(matching: filter, byModel: false) { skillId, _, totals in
            skills.append(SkillTotals(skillId: skillId, totals: totals))
        }
        return SkillTotalsReport(skills: skills, invalidRows: 0)
    }

    public func modelTotals(matching filter: MetricsFilter) async throws(ProfilerError) -> [ModelTotals] {
        var models: [ModelTotals] = []
        try await forEachTotals(matching: filter, byModel: true) { skillId, model, totals in
            models.append(ModelTotals(skillId: skillId, model: model, totals: totals))
        }
        return models.sorted(by: ModelTotals.precedes)
    }

    /// The totals of each skill (and model) among the runs `filter` selects, as ``RunTotals/add(_:)-(SkillMetrics)``
    /// sums them: the all-time rollups, or with a window, the rollups of its whole hours and the rows of
    /// the parts of hours at its ends (``PostgresRollups/query(totalsOf:byModel:)``).
    private func forEachTotals(
        matching filter: MetricsFilter, byModel: Bool,
        _ body: (_ skillId: String, _ model: String?, _ totals: RunTotals) -> Void
    ) async throws(ProfilerError) {
        try await forEachRow(PostgresRollups.query(totalsOf: filter, byModel: byModel)) { row throws(ProfilerError) in
            let cells = row.makeRandomAccess()
            func cell<Value: PostgresDecodable>(_ index: Int, _ type: Value.Type) throws(ProfilerError) -> Value {
                do { return try cells[index].decode(type) } catch {
                    throw .database(path: location, message: "a total cannot be read: \(error)", cause: error)
                }
            }
            var totals = RunTotals()
            for (offset, measure) in PostgresRollups.Measure.allCases.enumerated() {
                let index = offset + 2
                switch measure {
                case .runs: totals.runs = Int(try cell(index, Int64.self))
                case .failures: totals.failures = Int(try cell(index, Int64.self))
                case .executionMsSum: totals.executionMsSum = try cell(index, Int64.self)
                case .executionMsSquares: totals.executionMsSquares = try cell(index, Double.self)
                case .executionMsMin: totals.executionMsMin = try cell(index, Int64?.self)
                case .executionMsMax: totals.executionMsMax = try cell(index, Int64?.self)
                case .tokenRuns: totals.tokenRuns = Int(try cell(index, Int64.self))
                case .tokensInSum: totals.tokensInSum = try cell(index, Int64.self)
                case .tokensOutSum: totals.tokensOutSum = try cell(index, Int64.self)
                case .cacheReadTokensSum: totals.cacheReadTokensSum = try cell(index, Int64.self)
                case .cacheCreationTokensSum: totals.cacheCreationTokensSum = try cell(index, Int64.self)
                case .estimatedRuns: totals.estimatedRuns = Int(try cell(index, Int64.self))
                case .firstRun: totals.firstRun = try cell(index, Int64?.self)
                case .lastRun: totals.lastRun = try cell(index, Int64?.self)
                case .costRuns: totals.costRuns = Int(try cell(index, Int64.self))
                case .costNanodollarsSum: totals.costNanodollars = try cell(index, Int64.self)
                }
            }
            let modelKey = try cell(1, String?.self)
            body(try cell(0, String.self), modelKey.flatMap(PostgresRollups.value(ofKey:)), totals)
        }
    }

    // MARK: - Streaming rows

    /// Streams a query's rows to `body` on a pooled connection, reading them as the server sends them.
    func forEachRow(
        _ query: PostgresQuery, _ body: (PostgresRow) throws(ProfilerError) -> Void
    ) async throws(ProfilerError) {
        try await withConnection { connection in
            for try await row in try await connection.guardedQuery(query, logger: self.logger) {
                try body(row)
            }
        }
    }

    /// A row's one column, decoded as `type`.
    func value<Value: PostgresDecodable>(of row: PostgresRow, as type: Value.Type) throws(ProfilerError) -> Value {
        do {
            return try row.makeRandomAccess()[0].decode(type)
        } catch {
            throw .database(path: location, message: "a stored value cannot be read: \(error)", cause: error)
        }
    }

    /// A row's columns, decoded as `types`.
    func decode<each Column: PostgresDecodable>(
        _ row: PostgresRow, as types: (repeat each Column).Type
    ) throws(ProfilerError) -> (repeat each Column) {
        do {
            return try row.decode(types)
        } catch {
            throw .database(path: location, message: "a stored value cannot be read: \(error)", cause: error)
        }
    }
}
