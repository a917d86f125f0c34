import PostgresNIO
import SkillForge

// MARK: - Analysis

extension PostgresMetricsStore {
    /// The columns of a ``RunSample`` and its side, in the order ``sample(_:)`` reads them.
    private static let sampleColumns = """
        skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, coalesce(tokens_estimated, FALSE),
        coalesce(cache_read_tokens, 0), coalesce(cache_creation_tokens, 0), \(PostgresColumns.tokensKnown), \(PostgresColumns.costNanodollars)
        """

    public func scanRuns<Visitor: RunSampleVisitor>(
        _ selection: RunSelection, into visitor: Visitor
    ) async throws(ProfilerError) -> ScanResult<Visitor> {
        var query = QueryBuilder("SELECT \(Self.sampleColumns), ")
        query.append(sideOf: selection)
        query.append(" FROM skill_metrics WHERE ")
        query.append(condition: selection)
        query.append(#" ORDER BY skill_id COLLATE "C", id"#)
        var visitor = visitor
        var skill: String?
        try await forEachRow(query.query) { row throws(ProfilerError) in
            let (skillId, sample) = try self.sample(row)
            if skillId != skill {
                skill = skillId
                visitor.beginSkill(skillId)
            }
            visitor.visit(sample)
        }
        return ScanResult(visitor: visitor, skippedRows: 0)
    }

    public func percentiles(
        _ ps: [Double], of measure: Measure, in selection: RunSelection, side: Int?, count: Int
    ) async throws(ProfilerError) -> [Double] {
        guard !ps.isEmpty else { return [] }
        @Sendable func measured(_ select: String) -> QueryBuilder {
            var query = QueryBuilder("\(select) FROM skill_metrics WHERE \(measure.postgresCondition) AND ")
            query.append(condition: selection, side: side)
            return query
        }
        // The count and the values from one snapshot, so that the ranks agree.
        let values: (count: Int64, ranked: [Int64: Int64]) = try await withTransaction { connection in
            try await connection.guardedQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: self.logger)
            let count = try await connection.firstValue(of: measured("SELECT count(*)").query, as: Int64.self, logger: self.logger) ?? 0
            guard count > 0 else { return (0, [:]) }
            // Only the values each percentile interpolates between (Percentile.linear's positions).
            let ranks = Set(ps.filter { (0...100).contains($0) }.flatMap { p in
                let lower = Int64(Percentile.position(of: p, count: Int(count)).lower)
                return [lower, min(lower + 1, count - 1)]
            })
            var query = measured(
                "SELECT rank, value FROM (SELECT \(measure.postgresExpression) AS value, "
                    + "row_number() OVER (ORDER BY \(measure.postgresExpression)) - 1 AS rank")
            query.append(") ranked WHERE rank = ANY(\(query.argument(Array(ranks))))")
            var ranked: [Int64: Int64] = [:]
            for try await (rank, value) in try await connection.guardedQuery(query.query, logger: self.logger).decode((Int64, Int64).self) {
                ranked[rank] = value
            }
            return (count, ranked)
        }
        guard values.count > 0 else { return [] }
        return ps.map { p in
            // Outside 0...100 a percentile is 0, as `Percentile.linear` has none.
            guard (0...100).contains(p) else { return 0 }
            let (lower, fraction) = Percentile.position(of: p, count: Int(values.count))
            let low = values.ranked[Int64(lower)] ?? 0
            let high = values.ranked[min(Int64(lower) + 1, values.count - 1)] ?? low
            return Percentile.interpolate(lower: Double(low), upper: Double(high), fraction: fraction)
        }
    }

    public func visitOrderedValues<Visitor: OrderedValueVisitor>(
        of measure: Measure, in selection: RunSelection, with visitor: Visitor
    ) async throws(ProfilerError) -> Visitor {
        var query = QueryBuilder("SELECT \(measure.postgresExpression), ")
        query.append(sideOf: selection)
        query.append(" FROM skill_metrics WHERE \(measure.postgresCondition) AND ")
        query.append(condition: selection)
        query.append(" ORDER BY 1")
        var visitor = visitor
        try await forEachRow(query.query) { row throws(ProfilerError) in
            let (value, side) = try decode(row, as: (Int64, Int32).self)
            visitor.visit(value, side: Int(side))
        }
        return visitor
    }

    public func bucketTotals(
        _ selection: RunSelection, by bucketing: TimeBucketing
    ) async throws(ProfilerError) -> [Int64: BucketTotals] {
        let known = PostgresColumns.tokensKnown
        let cost = PostgresColumns.costNanodollars
        var query = QueryBuilder("SELECT ")
        query.append(bucketOf: bucketing)
        query.append(
            """
            , count(*), count(*) FILTER (WHERE NOT success), count(*) FILTER (WHERE \(known)),
              coalesce(sum((tokens_in + tokens_out)::float8) FILTER (WHERE \(known)), 0),
              count(\(cost)), least(coalesce(sum(\(cost)), 0), 9223372036854775807)::bigint
            FROM skill_metrics WHERE
            """)
        query.append(condition: selection)
        query.append(" GROUP BY 1")
        var totals: [Int64: BucketTotals] = [:]
        try await forEachRow(query.query) { row throws(ProfilerError) in
            let (key, runs, failures, tokenRuns, tokens, costRuns, costSum) = try decode(
                row, as: (Int64, Int64, Int64, Int64, Double, Int64, Int64).self)
            var bucket = BucketTotals()
            bucket.runs = Int(runs)
            bucket.failures = Int(failures)
            bucket.tokenRuns = Int(tokenRuns)
            bucket.tokens = tokens
            bucket.costRuns = Int(costRuns)
            bucket.costNanodollars = costSum
            totals[key] = bucket
        }
        return totals
    }

    public func visitExecutionTimes<Visitor: BucketedValueVisitor>(
        _ selection: RunSelection, by bucketing: TimeBucketing, with visitor: Visitor
    ) async throws(ProfilerError) -> Visitor {
        var query = QueryBuilder("SELECT ")
        query.append(bucketOf: bucketing)
        query.append(", execution_ms FROM skill_metrics WHERE ")
        query.append(condition: selection)
        query.append(" ORDER BY 1, 2")
        var visitor = visitor
        try await forEachRow(query.query) { row throws(ProfilerError) in
            let (key, executionMs) = try decode(row, as: (Int64, Int64).self)
            visitor.visit(executionMs, inBucket: key)
        }
        return visitor
    }

    public func timeRange(_ selection: RunSelection) async throws(ProfilerError) -> ClosedRange<Int64>? {
        var query = QueryBuilder("SELECT min(timestamp), max(timestamp) FROM skill_metrics WHERE ")
        query.append(condition: selection)
        var range: ClosedRange<Int64>?
        try await forEachRow(query.query) { row throws(ProfilerError) in
            let (first, last) = try decode(row, as: (Int64?, Int64?).self)
            if let first, let last, first <= last { range = first...last }
        }
        return range
    }

    /// A row of ``sampleColumns`` and the side: its skill and sample.
    private func sample(_ row: PostgresRow) throws(ProfilerError) -> (String, RunSample) {
        let (skillId, executionMs, tokensIn, tokensOut, success, timestamp, estimated, cacheRead, cacheCreation, known, cost, side) =
            try decode(row, as: (String, Int64, Int64, Int64, Bool, Int64, Bool, Int64, Int64, Bool, Int64?, Int32).self)
        return (
            skillId,
            RunSample(
                executionMs: executionMs, tokensIn: tokensIn, tokensOut: tokensOut, success: success, timestamp: timestamp,
                tokensEstimated: estimated, cacheReadTokens: cacheRead, cacheCreationTokens: cacheCreation, tokensKnown: known,
                costNanodollars: cost, side: Int(side))
        )
    }
}
