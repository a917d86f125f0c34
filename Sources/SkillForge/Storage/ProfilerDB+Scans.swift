import Foundation
import GRDB
import GRDBSQLite

// The queries behind the analysis (`Analyzer`). They read the covering index
// `idx_skill_runs` (skill_id, execution_ms, tokens, success, timestamp, …), so
// a skill's runs are read in order without touching the table, and each row is
// read with raw `sqlite3_column_*` calls: millions of rows stream through
// without allocating.

// MARK: - Samples

/// The numeric columns of one run, as the analysis reads them.
struct RunSample {
    var executionMs: Int64
    var tokensIn: Int64
    var tokensOut: Int64
    var success: Bool
    var timestamp: Int64
    var tokensEstimated: Bool
    var cacheReadTokens: Int64
    var cacheCreationTokens: Int64
    /// Which comparison side the run belongs to (0 or 1); 0 outside comparisons.
    var side: Int
}

/// Receives the runs of a scan, grouped by skill.
protocol RunSampleVisitor {
    /// The runs that follow belong to `skillId` (called once per skill, in skill order).
    mutating func beginSkill(_ skillId: String)
    /// One run of the current skill.
    mutating func visit(_ run: RunSample)
}

/// A measured quantity of a run.
enum Measure: CaseIterable, Sendable {
    case executionMs, tokensIn, tokensOut, tokensTotal

    /// The SQL expression of the measure.
    var sql: SQL {
        switch self {
        case .executionMs: "execution_ms"
        case .tokensIn: "tokens_in"
        case .tokensOut: "tokens_out"
        case .tokensTotal: "tokens_in + tokens_out"
        }
    }
}

/// Which runs a scan reads: a filter, and optionally two comparison sides.
struct RunSelection {
    var filter: MetricsFilter
    /// When set, only runs matching one of the sides, tagged 0 or 1 (the first that matches).
    var sides: (ComparisonSide, ComparisonSide)?

    init(_ filter: MetricsFilter, sides: (ComparisonSide, ComparisonSide)? = nil) {
        self.filter = filter
        self.sides = sides
    }
}

// MARK: - Scans

extension ProfilerDB {
    /// Streams the selected runs to `visitor`, grouped by skill in skill order,
    /// skipping the rows that break the rules of the store.
    ///
    /// The rules are checked here on the raw columns (``SkillMetrics/isStoredValid(scanned:)``),
    /// not in SQL: the same rules at a fraction of the cost per row, and the
    /// skipped rows are counted in the same pass.
    ///
    /// - Returns: The number of rows skipped.
    @discardableResult
    func scanRuns<Visitor: RunSampleVisitor>(
        _ selection: RunSelection, into visitor: inout Visitor
    ) throws(ProfilerError) -> Int {
        try read { db in
            let statement = try db.makeStatement(
                literal: """
                    SELECT skill_id, execution_ms, tokens_in, tokens_out, success, timestamp,
                           tokens_estimated, cache_read_tokens, cache_creation_tokens, \(selection.sideSQL)
                    FROM skill_metrics
                    WHERE \(selection.conditionsIncludingInvalidRows(side: nil))
                    ORDER BY skill_id
                    """)
            let handle = statement.sqliteStatement
            let cursor = try Row.fetchCursor(statement)
            var currentSkill: [UInt8] = []
            var started = false
            var skipped = 0
            while try cursor.next() != nil {
                guard SkillMetrics.isStoredValid(scanned: handle) else {
                    skipped += 1
                    continue
                }
                let length = Int(sqlite3_column_bytes(handle, 0))
                if let text = sqlite3_column_text(handle, 0) {
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
                        executionMs: sqlite3_column_int64(handle, 1),
                        tokensIn: sqlite3_column_int64(handle, 2),
                        tokensOut: sqlite3_column_int64(handle, 3),
                        success: sqlite3_column_int64(handle, 4) != 0,
                        timestamp: sqlite3_column_int64(handle, 5),
                        tokensEstimated: sqlite3_column_int64(handle, 6) != 0,
                        cacheReadTokens: sqlite3_column_int64(handle, 7),
                        cacheCreationTokens: sqlite3_column_int64(handle, 8),
                        side: Int(sqlite3_column_int64(handle, 9))))
            }
            return skipped
        }
    }

    /// Exact percentiles of a measure computed by SQLite: one ordered
    /// `LIMIT 2 OFFSET rank` query per percentile.
    ///
    /// The fallback for measures with too many distinct values to count in
    /// memory; SQLite's sorter keeps its memory bounded.
    ///
    /// - Parameters:
    ///   - side: Restrict to one comparison side (0 or 1) of `selection`.
    ///   - count: How many runs the selection (or side) holds.
    func percentiles(
        _ ps: [Double], of measure: Measure, in selection: RunSelection, side: Int? = nil, count: Int
    ) throws(ProfilerError) -> [Double] {
        guard count > 0 else { return [] }
        return try read { db in
            try ps.map { p in
                let (lower, fraction) = Percentile.position(of: p, count: count)
                let values = try Int64.fetchAll(
                    db.makeStatement(
                        literal: """
                            SELECT \(measure.sql) FROM skill_metrics
                            WHERE \(selection.conditions(side: side))
                            ORDER BY \(measure.sql) LIMIT 2 OFFSET \(lower)
                            """))
                guard let first = values.first else { return 0 }
                return Percentile.interpolate(
                    lower: Double(first), upper: Double(values.last ?? first), fraction: fraction)
            }
        }
    }

    /// Streams a measure of both comparison sides in ascending order, merged.
    ///
    /// The fallback for rank tests on measures too varied to count in memory.
    func forEachOrderedValue(
        of measure: Measure, in selection: RunSelection, _ body: (_ value: Int64, _ side: Int) throws -> Void
    ) throws {
        try read { db in
            let statement = try db.makeStatement(
                literal: """
                    SELECT \(measure.sql), \(selection.sideSQL) FROM skill_metrics
                    WHERE \(selection.conditions)
                    ORDER BY 1
                    """)
            let handle = statement.sqliteStatement
            let cursor = try Row.fetchCursor(statement)
            while try cursor.next() != nil {
                try body(sqlite3_column_int64(handle, 0), Int(sqlite3_column_int64(handle, 1)))
            }
        }
    }
}

// MARK: - SQL

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

extension ComparisonSide {
    /// The side's conditions, with values as arguments.
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
        guard let (first, second) = sides else { return filter.conditions }
        switch side {
        case 0: return "\(filter.conditions) AND (\(first.conditions))"
        // Tagged exactly as the scan tags it: `NOT (first)` would be NULL, and drop
        // the run, when `first` compares a NULL column (a run without a version).
        case 1: return "\(filter.conditions) AND (\(sideSQL)) = 1 AND (\(second.conditions))"
        default: return "\(filter.conditions) AND ((\(first.conditions)) OR (\(second.conditions)))"
        }
    }

    /// The expression of the side column: 0 or 1, or 0 outside comparisons.
    var sideSQL: SQL {
        guard let (first, _) = sides else { return "0" }
        return "CASE WHEN \(first.conditions) THEN 0 ELSE 1 END"
    }
}

// MARK: - Time buckets

/// How a run's timestamp maps to a time bucket: its local wall-clock time,
/// shifted, divided by the bucket width.
///
/// Local time is the timestamp plus the zone's UTC offset, which changes at
/// daylight-saving transitions; `offsets` lists each offset with the instant
/// it stops applying, so the mapping is exact across transitions.
struct TimeBucketing: Sendable {
    /// Bucket width in milliseconds.
    var width: Int64
    /// Added to local time before dividing (weeks start on Monday).
    var shift: Int64
    /// `(until, offset)`: the UTC offset in milliseconds until `until` (exclusive); the last applies onwards.
    var offsets: [(until: Int64?, offset: Int64)]

    /// The bucket number of a run, as SQL.
    var sql: SQL {
        guard offsets.count > 1 else {
            return "((timestamp + \(offsets.first?.offset ?? 0) + \(shift)) / \(width))"
        }
        var offset: SQL = "CASE"
        for (until, value) in offsets {
            if let until {
                offset += " WHEN timestamp < \(until) THEN \(value)"
            } else {
                offset += " ELSE \(value)"
            }
        }
        offset += " END"
        return "((timestamp + \(offset) + \(shift)) / \(width))"
    }
}

/// Runs, failures and tokens of one time bucket.
struct BucketTotals {
    var runs: Int
    var failures: Int
    /// Their sum, as SQLite's `TOTAL`: a float, which cannot overflow.
    var tokens: Double
}

extension ProfilerDB {
    /// Runs, failures and token sums per bucket (buckets without runs are absent).
    ///
    /// The hourly rollups answer it when buckets keep UTC hours whole (see ``Rollups/bucketTotals(_:by:in:rows:)``).
    func bucketTotals(_ selection: RunSelection, by bucketing: TimeBucketing) throws(ProfilerError) -> [Int64: BucketTotals] {
        try read { db in
            let rows = { (selection: RunSelection) in try Self.rawBucketTotals(selection, by: bucketing, in: db) }
            return try Rollups.bucketTotals(selection, by: bucketing, in: db, rows: rows) ?? rows(selection)
        }
    }

    private static func rawBucketTotals(
        _ selection: RunSelection, by bucketing: TimeBucketing, in db: Database
    ) throws -> [Int64: BucketTotals] {
        var totals: [Int64: BucketTotals] = [:]
        let rows = try Row.fetchCursor(
            db.makeStatement(
                literal: """
                    SELECT \(bucketing.sql) AS bucket, COUNT(*), SUM(success = 0), TOTAL(tokens_in + tokens_out)
                    FROM skill_metrics WHERE \(selection.conditions)
                    GROUP BY bucket
                    """))
        while let row = try rows.next() {
            totals[row[0]] = BucketTotals(runs: row[1], failures: row[2], tokens: row[3])
        }
        return totals
    }

    /// Streams execution times ordered by bucket, then by time: SQLite sorts,
    /// so memory stays bounded however many runs a bucket holds.
    func forEachExecutionTime(
        _ selection: RunSelection, by bucketing: TimeBucketing, _ body: (_ bucket: Int64, _ executionMs: Int64) -> Void
    ) throws(ProfilerError) {
        try read { db in
            let statement = try db.makeStatement(
                literal: """
                    SELECT \(bucketing.sql) AS bucket, execution_ms
                    FROM skill_metrics WHERE \(selection.conditions)
                    ORDER BY bucket, execution_ms
                    """)
            let handle = statement.sqliteStatement
            let cursor = try Row.fetchCursor(statement)
            while try cursor.next() != nil {
                body(sqlite3_column_int64(handle, 0), sqlite3_column_int64(handle, 1))
            }
        }
    }

    /// The first and last run times of a selection, or `nil` without runs.
    func timeRange(_ selection: RunSelection) throws(ProfilerError) -> (first: Int64, last: Int64)? {
        if selection.sides == nil, let totals = try rollupSkillTotals(matching: selection.filter) {
            return totals.timeRange
        }
        return try read { db in
            let row = try Row.fetchOne(
                db.makeStatement(literal: "SELECT MIN(timestamp), MAX(timestamp) FROM skill_metrics WHERE \(selection.conditions)"))
            guard let row, let first = row[0] as Int64?, let last = row[1] as Int64? else { return nil }
            return (first, last)
        }
    }
}
