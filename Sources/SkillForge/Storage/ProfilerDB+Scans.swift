import Foundation
import GRDB
import GRDBSQLite

// The queries behind the analysis (`Analyzer`), as ``MetricsStore`` asks
// them. They read the covering index `idx_skill_runs` (skill_id,
// execution_ms, tokens, success, timestamp, …), so a skill's runs are read in
// order without touching the table, and each row is read with raw
// `sqlite3_column_*` calls: millions of rows stream through without allocating.

// MARK: - Scans

extension ProfilerDB {
    public func scanRuns<Visitor: RunSampleVisitor>(
        _ selection: RunSelection, into visitor: Visitor
    ) async throws(ProfilerError) -> ScanResult<Visitor> {
        try await read { db in
            var visitor = visitor
            let skipped = try Self.scanRuns(selection, into: &visitor, in: db)
            return ScanResult(visitor: visitor, skippedRows: skipped)
        }
    }

    /// Streams the selected runs to `visitor`, grouped by skill in skill order,
    /// skipping the rows that break the rules of the store.
    ///
    /// The rules are checked here on the raw columns (``SkillMetrics/isStoredValid(scanned:)``),
    /// not in SQL: the same rules at a fraction of the cost per row, and the
    /// skipped rows are counted in the same pass.
    ///
    /// - Returns: The number of rows skipped.
    static func scanRuns<Visitor: RunSampleVisitor>(
        _ selection: RunSelection, into visitor: inout Visitor, in db: Database
    ) throws -> Int {
        let statement = try db.makeStatement(
            literal: """
                SELECT \(ScannedColumn.selection(side: selection.sideSQL))
                FROM skill_metrics
                WHERE \(selection.conditionsIncludingInvalidRows(side: nil))
                ORDER BY skill_id
                """)
        let handle = statement.sqliteStatement
        func int64(_ column: ScannedColumn) -> Int64 { sqlite3_column_int64(handle, column.rawValue) }
        /// `tokens_known IS NOT 0`, as ``Measure/knownTokensCondition`` reads it.
        func tokensKnown() -> Bool {
            let column = ScannedColumn.tokensKnown.rawValue
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER: return sqlite3_column_int64(handle, column) != 0
            case SQLITE_FLOAT: return sqlite3_column_double(handle, column) != 0
            default: return true
            }
        }
        /// `cost_usd` in whole nanodollars, as ``Measure/costNanodollarsSQL`` reads it.
        func costNanodollars() -> Int64? {
            let column = ScannedColumn.costUsd.rawValue
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER, SQLITE_FLOAT: return Nanodollars.of(sqlite3_column_double(handle, column))
            default: return nil
            }
        }
        let cursor = try Row.fetchCursor(statement)
        var currentSkill: [UInt8] = []
        var started = false
        var skipped = 0
        while try cursor.next() != nil {
            guard SkillMetrics.isStoredValid(scanned: handle) else {
                skipped += 1
                continue
            }
            let skill = ScannedColumn.skillId.rawValue
            let length = Int(sqlite3_column_bytes(handle, skill))
            if let text = sqlite3_column_text(handle, skill) {
                let isSameSkill = started && length == currentSkill.count
                    && currentSkill.withUnsafeBytes { bytes in
                        bytes.baseAddress.map { memcmp($0, text, length) == 0 } ?? (length == 0)
                    }
                if !isSameSkill {
                    currentSkill = Array(UnsafeBufferPointer(start: text, count: length))
                    started = true
                    visitor.beginSkill(String(decoding: currentSkill, as: UTF8.self))
                }
            }
            visitor.visit(
                RunSample(
                    executionMs: int64(.executionMs), tokensIn: int64(.tokensIn), tokensOut: int64(.tokensOut),
                    success: int64(.success) != 0, timestamp: int64(.timestamp),
                    tokensEstimated: int64(.tokensEstimated) != 0, cacheReadTokens: int64(.cacheReadTokens),
                    cacheCreationTokens: int64(.cacheCreationTokens), tokensKnown: tokensKnown(),
                    costNanodollars: costNanodollars(),
                    side: Int(int64(.side))))
        }
        return skipped
    }
}

// MARK: - Ordered values

extension ProfilerDB {
    /// Exact percentiles of a measure computed by SQLite: one ordered
    /// `LIMIT 2 OFFSET rank` query per percentile.
    ///
    /// The fallback for measures with too many distinct values to count in
    /// memory; SQLite's sorter keeps its memory bounded.
    public func percentiles(
        _ ps: [Double], of measure: Measure, in selection: RunSelection, side: Int?, count: Int
    ) async throws(ProfilerError) -> [Double] {
        guard count > 0 else { return [] }
        return try await read { db in
            // A skill's whole history (or a version's or model's): the counts answer, without reading a run.
            if measure == .executionMs, selection.sides == nil, let runs = CountedRuns(selection.filter),
                let counted = try Rollups.executionTimePercentiles(ps, of: runs, count: count, in: db)
            {
                return counted
            }
            return try ps.map { p in
                let (lower, fraction) = Percentile.position(of: p, count: count)
                let values = try Int64.fetchAll(
                    db.makeStatement(
                        literal: """
                            SELECT \(measure.sql) FROM skill_metrics
                            WHERE \(selection.conditions(side: side)) AND \(measure.runsCondition)
                            ORDER BY \(measure.sql) LIMIT 2 OFFSET \(lower)
                            """))
                guard let first = values.first else { return 0 }
                return Percentile.interpolate(
                    lower: Double(first), upper: Double(values.last ?? first), fraction: fraction)
            }
        }
    }

    /// Streams a measure of both comparison sides in ascending order, merged.
    public func visitOrderedValues<Visitor: OrderedValueVisitor>(
        of measure: Measure, in selection: RunSelection, with visitor: Visitor
    ) async throws(ProfilerError) -> Visitor {
        try await read { db in
            var visitor = visitor
            let statement = try db.makeStatement(
                literal: """
                    SELECT \(measure.sql), \(selection.sideSQL) FROM skill_metrics
                    WHERE \(selection.conditions) AND \(measure.runsCondition)
                    ORDER BY 1
                    """)
            let handle = statement.sqliteStatement
            let cursor = try Row.fetchCursor(statement)
            while try cursor.next() != nil {
                visitor.visit(sqlite3_column_int64(handle, 0), side: Int(sqlite3_column_int64(handle, 1)))
            }
            return visitor
        }
    }
}

// MARK: - Time buckets

extension ProfilerDB {
    public func bucketTotals(
        _ selection: RunSelection, by bucketing: TimeBucketing
    ) async throws(ProfilerError) -> [Int64: BucketTotals] {
        try await read { db in
            let rows = { (selection: RunSelection) in try Self.rawBucketTotals(selection, by: bucketing, in: db) }
            return try Rollups.bucketTotals(selection, by: bucketing, in: db, rows: rows) ?? rows(selection)
        }
    }

    /// ``bucketTotals(_:by:)`` from the rows: the fallback when the hourly rollups cannot answer.
    private static func rawBucketTotals(
        _ selection: RunSelection, by bucketing: TimeBucketing, in db: Database
    ) throws -> [Int64: BucketTotals] {
        try db.withBucketFunction(bucketing) { bucket in
            var totals: [Int64: BucketTotals] = [:]
            let rows = try Row.fetchCursor(
                db.makeStatement(
                    literal: """
                        SELECT \(bucket) AS bucket, COUNT(*), SUM(success = 0),
                               SUM(\(sql: Measure.knownTokensCondition)),
                               TOTAL(CASE WHEN \(sql: Measure.knownTokensCondition) THEN tokens_in + tokens_out END),
                               COUNT(\(sql: Measure.costNanodollarsSQL)), TOTAL(\(sql: Measure.costNanodollarsSQL))
                        FROM skill_metrics WHERE \(selection.conditions)
                        GROUP BY bucket
                        """))
            while let row = try rows.next() {
                totals[row[0]] = BucketTotals(row: row)
            }
            return totals
        }
    }

    /// Streams execution times ordered by bucket, then by time: SQLite sorts,
    /// so memory stays bounded however many runs a bucket holds.
    public func visitExecutionTimes<Visitor: BucketedValueVisitor>(
        _ selection: RunSelection, by bucketing: TimeBucketing, with visitor: Visitor
    ) async throws(ProfilerError) -> Visitor {
        try await read { db in
            try db.withBucketFunction(bucketing) { bucket in
                var visitor = visitor
                let statement = try db.makeStatement(
                    literal: """
                        SELECT \(bucket) AS bucket, execution_ms
                        FROM skill_metrics WHERE \(selection.conditions)
                        ORDER BY bucket, execution_ms
                        """)
                let handle = statement.sqliteStatement
                let cursor = try Row.fetchCursor(statement)
                while try cursor.next() != nil {
                    visitor.visit(sqlite3_column_int64(handle, 1), inBucket: sqlite3_column_int64(handle, 0))
                }
                return visitor
            }
        }
    }

    public func timeRange(_ selection: RunSelection) async throws(ProfilerError) -> ClosedRange<Int64>? {
        try await read { db in
            if selection.sides == nil, let totals = try Rollups.rollupSkillTotals(matching: selection.filter, extremes: true, in: db) {
                return totals.timeRange.map { $0.first...$0.last }
            }
            let row = try Row.fetchOne(
                db.makeStatement(literal: "SELECT MIN(timestamp), MAX(timestamp) FROM skill_metrics WHERE \(selection.conditions)"))
            guard let row, let first = row[0] as Int64?, let last = row[1] as Int64?, first <= last else { return nil }
            return first...last
        }
    }
}

extension Database {
    /// Runs `body` with an SQL function that buckets `timestamp` by ``TimeBucketing/key(of:)``,
    /// so SQLite groups and sorts by the same arithmetic every store uses.
    fileprivate func withBucketFunction<T>(_ bucketing: TimeBucketing, _ body: (SQL) throws -> T) throws -> T {
        let function = DatabaseFunction("skill_forge_bucket", argumentCount: 1, pure: true) { values in
            Int64.fromDatabaseValue(values[0]).map(bucketing.key(of:))
        }
        add(function: function)
        defer { remove(function: function) }
        return try body("skill_forge_bucket(timestamp)")
    }
}

// MARK: - SQL

extension Measure {
    /// The SQL expression of the measure.
    var sql: SQL {
        switch self {
        case .executionMs: "execution_ms"
        case .tokensIn: "tokens_in"
        case .tokensOut: "tokens_out"
        case .tokensTotal: "tokens_in + tokens_out"
        case .costNanodollars: SQL(sql: Self.costNanodollarsSQL)
        }
    }

    /// The SQL condition of the runs that have the measure: token measures only
    /// exist for runs whose tokens are known (``SkillMetrics/hasKnownTokens``).
    var runsCondition: SQL {
        switch self {
        case .executionMs: "1"
        case .tokensIn, .tokensOut, .tokensTotal: SQL(sql: Self.knownTokensCondition)
        case .costNanodollars: SQL(sql: "\(Self.costNanodollarsSQL) IS NOT NULL")
        }
    }

    /// Whether a stored row's tokens are known: `tokens_known` is anything but 0
    /// (NULL for every row the seed's columns alone describe).
    static let knownTokensCondition = "tokens_known IS NOT 0"

    /// Whether a stored row's cost was computed from a price list (``SkillMetrics/costEstimated``).
    static let estimatedCostCondition = "cost_estimated = 1"

    /// A stored row's cost in whole nanodollars, or NULL when unknown: `cost_usd`
    /// when it is a number from 0 to ``MetricLimits/maximumCostUsd`` (``Nanodollars/of(_:)``'s rule).
    static let costNanodollarsSQL = """
        (CASE WHEN typeof(cost_usd) IN ('integer', 'real') AND cost_usd BETWEEN 0 AND \(Int64(MetricLimits.maximumCostUsd)) \
        THEN CAST(round(cost_usd * 1000000000) AS INTEGER) END)
        """
}

extension MetricsFilter {
    /// The filter's conditions (not its order or limit), with values as arguments.
    var conditions: SQL {
        var parts: [SQL] = []
        if let skillId { parts.append("skill_id = \(skillId)") }
        if let since = window.sinceMilliseconds { parts.append("timestamp >= \(since)") }
        if let until = window.untilMilliseconds { parts.append("timestamp < \(until)") }
        if let version { parts.append("version = \(version)") }
        if let model { parts.append("model = \(model)") }
        return parts.isEmpty ? "1" : parts.joined(separator: " AND ")
    }
}

extension RunSubset {
    /// The subset's conditions, with values as arguments.
    var conditions: SQL {
        MetricsFilter(window: window, version: version).conditions
    }
}

extension RunSelection {
    /// The conditions of the whole selection.
    var conditions: SQL { conditions(side: nil) }

    /// The conditions of the selection, or of one side of it; rows that break
    /// the rules of the store never match (see ``SkillMetrics/isStoredValid``).
    func conditions(side: Int?) -> SQL {
        "\(SkillMetrics.isStoredValid) AND \(conditionsIncludingInvalidRows(side: side))"
    }

    /// The conditions of the selection, or of one side of it, without the rules
    /// of the store (the scan checks those itself).
    func conditionsIncludingInvalidRows(side: Int?) -> SQL {
        guard let sides, sides.count == 2 else { return filter.conditions }
        switch side {
        case 0: return "\(filter.conditions) AND (\(sides[0].conditions))"
        // Tagged exactly as the scan tags it: `NOT (first)` would be NULL, and drop
        // the run, when `first` compares a NULL column (a run without a version).
        case 1: return "\(filter.conditions) AND (\(sideSQL)) = 1 AND (\(sides[1].conditions))"
        default: return "\(filter.conditions) AND ((\(sides[0].conditions)) OR (\(sides[1].conditions)))"
        }
    }

    /// The expression of the side column: 0 or 1, or 0 outside comparisons.
    var sideSQL: SQL {
        guard let sides, let first = sides.first else { return "0" }
        return "CASE WHEN \(first.conditions) THEN 0 ELSE 1 END"
    }
}
