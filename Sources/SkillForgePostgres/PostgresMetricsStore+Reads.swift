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

    // MARK: - Reading skills

    public func allSkills() async throws(ProfilerError) -> [String] {
        var skills: [String] = []
        try await forEachRow(#"SELECT skill_id FROM skill_metrics GROUP BY 1 ORDER BY skill_id COLLATE "C""#) {
            row throws(ProfilerError) in
            skills.append(try value(of: row, as: String.self))
        }
        return skills
    }

    public func skillRunCountsCountingInvalidRows() async throws(ProfilerError) -> (counts: [SkillRunCount], invalidRows: Int) {
        var counts: [SkillRunCount] = []
        try await forEachRow(
            #"SELECT skill_id, count(*), max(timestamp) FROM skill_metrics GROUP BY 1 ORDER BY skill_id COLLATE "C""#
        ) { row throws(ProfilerError) in
            let (skillId, runs, lastRun) = try decode(row, as: (String, Int64, Int64).self)
            counts.append(SkillRunCount(skillId: skillId, runs: Int(runs), lastRun: lastRun))
        }
        return (counts, 0)
    }

    public func versionRunCounts(forSkill skillId: String) async throws(ProfilerError) -> [VersionRunCount] {
        var versions: [VersionRunCount] = []
        try await forEachRow(
            "SELECT version, count(*), min(timestamp), max(timestamp) FROM skill_metrics WHERE skill_id = \(skillId) GROUP BY 1"
        ) { row throws(ProfilerError) in
            let (version, runs, first, last) = try decode(row, as: (String?, Int64, Int64, Int64).self)
            versions.append(VersionRunCount(version: version, runs: Int(runs), firstRun: first, lastRun: last))
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

    /// The totals of each skill (and model) among the runs `filter` selects, as ``RunTotals/add(_:)-(SkillMetrics)`` sums them.
    private func forEachTotals(
        matching filter: MetricsFilter, byModel: Bool,
        _ body: (_ skillId: String, _ model: String?, _ totals: RunTotals) -> Void
    ) async throws(ProfilerError) {
        let known = PostgresColumns.tokensKnown
        // Sums saturate at Int64.max, as RunTotals' do.
        func sum(_ expression: String, where condition: String = "TRUE") -> String {
            "least(coalesce(sum(\(expression)) FILTER (WHERE \(condition)), 0), 9223372036854775807)::bigint"
        }
        var query = QueryBuilder(
            """
            SELECT skill_id, \(byModel ? "model" : "NULL::text"), count(*), count(*) FILTER (WHERE NOT success),
              \(sum("execution_ms")), coalesce(sum(execution_ms::numeric * execution_ms), 0)::float8,
              min(execution_ms), max(execution_ms), count(*) FILTER (WHERE \(known)),
              \(sum("tokens_in", where: known)), \(sum("tokens_out", where: known)),
              \(sum("coalesce(cache_read_tokens, 0)", where: known)), \(sum("coalesce(cache_creation_tokens, 0)", where: known)),
              count(*) FILTER (WHERE \(known) AND tokens_estimated), min(timestamp), max(timestamp),
              count(\(PostgresColumns.costNanodollars)), \(sum(PostgresColumns.costNanodollars))
            FROM skill_metrics WHERE
            """)
        query.append(condition: filter)
        query.append(" GROUP BY 1, 2")
        try await forEachRow(query.query) { row throws(ProfilerError) in
            let cells = row.makeRandomAccess()
            func cell<Value: PostgresDecodable>(_ index: Int, _ type: Value.Type) throws(ProfilerError) -> Value {
                do { return try cells[index].decode(type) } catch {
                    throw .database(path: location, message: "a total cannot be read: \(error)", cause: error)
                }
            }
            var totals = RunTotals()
            totals.runs = Int(try cell(2, Int64.self))
            totals.failures = Int(try cell(3, Int64.self))
            totals.executionMsSum = try cell(4, Int64.self)
            totals.executionMsSquares = try cell(5, Double.self)
            totals.executionMsMin = try cell(6, Int64?.self)
            totals.executionMsMax = try cell(7, Int64?.self)
            totals.tokenRuns = Int(try cell(8, Int64.self))
            totals.tokensInSum = try cell(9, Int64.self)
            totals.tokensOutSum = try cell(10, Int64.self)
            totals.cacheReadTokensSum = try cell(11, Int64.self)
            totals.cacheCreationTokensSum = try cell(12, Int64.self)
            totals.estimatedRuns = Int(try cell(13, Int64.self))
            totals.firstRun = try cell(14, Int64?.self)
            totals.lastRun = try cell(15, Int64?.self)
            totals.costRuns = Int(try cell(16, Int64.self))
            totals.costNanodollars = try cell(17, Int64.self)
            body(try cell(0, String.self), try cell(1, String?.self), totals)
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
