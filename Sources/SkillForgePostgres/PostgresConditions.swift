import PostgresNIO
import SkillForge

/// A query put together piece by piece: SQL text, and every value as a `$n`
/// argument (never in the text).
///
/// ```swift
/// var query = QueryBuilder("SELECT count(*) FROM skill_metrics WHERE ")
/// query.append(condition: filter)
/// ```
struct QueryBuilder {
    private(set) var sql: String
    private(set) var binds = PostgresBindings()

    init(_ sql: String = "") {
        self.sql = sql
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }

    /// Appends SQL text (never a value: see ``argument(_:)``).
    mutating func append(_ text: String) {
        sql += text
    }

    /// Binds a value and returns its placeholder (`$3`).
    mutating func argument<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds a run's written values (``PostgresColumns/written``) and returns their placeholders, in parentheses.
    mutating func arguments(of metric: SkillMetrics) -> String {
        let first = binds.count + 1
        PostgresColumns.bind(metric, to: &binds)
        return PostgresColumns.placeholders(from: first)
    }

    /// Binds the runs' columns as arrays (``PostgresColumns/bindColumns(of:to:)``) and
    /// returns the `unnest(…)` that reads them as rows of ``PostgresColumns/written``.
    mutating func unnested(_ metrics: ArraySlice<SkillMetrics>) -> String {
        let first = binds.count + 1
        PostgresColumns.bindColumns(of: metrics, to: &binds)
        return "unnest" + PostgresColumns.placeholders(from: first)
    }

    // MARK: - Conditions

    /// Appends the condition of the runs `filter` selects (its order and limit aside).
    mutating func append(condition filter: MetricsFilter) {
        var conditions = ["TRUE"]
        if let skillId = filter.skillId { conditions.append("skill_id = \(argument(skillId))") }
        conditions += windowConditions(filter.window)
        if let version = filter.version { conditions.append("version = \(argument(version))") }
        if let model = filter.model { conditions.append("model = \(argument(model))") }
        append("(" + conditions.joined(separator: " AND ") + ")")
    }

    /// Appends the side a run of `selection` belongs to (0, 1, or NULL when in neither; 0 without sides).
    mutating func append(sideOf selection: RunSelection) {
        guard let sides = selection.sides else { return append("0") }
        let cases = sides.enumerated().map { index, subset in
            "WHEN \(condition(subset)) THEN \(index)"
        }
        append("(CASE " + cases.joined(separator: " ") + " END)")
    }

    /// Appends the condition of the runs `selection` reads, and, when `side` is given, of that side only.
    mutating func append(condition selection: RunSelection, side: Int? = nil) {
        append(condition: selection.filter)
        guard selection.sides != nil else { return }
        append(" AND ")
        append(sideOf: selection)
        append(side.map { " = \($0)" } ?? " IS NOT NULL")
    }

    /// Appends the bucket of a run's timestamp, as ``TimeBucketing/key(of:)`` computes it.
    mutating func append(bucketOf bucketing: TimeBucketing) {
        // The zone's offset at the run's instant: the first whose `until` is after it.
        var cases: [String] = []
        var last = "0"
        for entry in bucketing.offsets {
            if let until = entry.until {
                cases.append("WHEN timestamp < \(argument(until)) THEN \(argument(entry.milliseconds))")
            } else {
                last = argument(entry.milliseconds)
                break
            }
        }
        let offset = cases.isEmpty ? last : "CASE " + cases.joined(separator: " ") + " ELSE \(last) END"
        // bigint division truncates toward zero, as Swift's does.
        append("((timestamp + \(offset) + \(argument(bucketing.shift))) / \(argument(bucketing.width)))")
    }

    private mutating func condition(_ subset: RunSubset) -> String {
        var conditions = ["TRUE"] + windowConditions(subset.window)
        if let version = subset.version { conditions.append("version = \(argument(version))") }
        return "(" + conditions.joined(separator: " AND ") + ")"
    }

    private mutating func windowConditions(_ window: TimeWindow) -> [String] {
        var conditions: [String] = []
        if let since = window.sinceMilliseconds { conditions.append("timestamp >= \(argument(since))") }
        if let until = window.untilMilliseconds { conditions.append("timestamp < \(argument(until))") }
        return conditions
    }
}

// MARK: - Measures

extension Measure {
    /// The measure's value, as an SQL expression over a row of `skill_metrics`.
    var postgresExpression: String {
        switch self {
        case .executionMs: "execution_ms"
        case .tokensIn: "tokens_in"
        case .tokensOut: "tokens_out"
        case .tokensTotal: "(tokens_in + tokens_out)"
        case .costNanodollars: PostgresColumns.costNanodollars
        }
    }

    /// The condition of the rows that have the measure (``isMeasured(in:)``).
    var postgresCondition: String {
        switch self {
        case .executionMs: "TRUE"
        case .tokensIn, .tokensOut, .tokensTotal: PostgresColumns.tokensKnown
        case .costNanodollars: "\(PostgresColumns.costNanodollars) IS NOT NULL"
        }
    }
}
