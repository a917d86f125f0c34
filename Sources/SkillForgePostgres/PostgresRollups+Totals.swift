import PostgresNIO
import SkillForge

// MARK: - Reading totals

extension PostgresRollups {
    /// The totals of each skill (and model, as a `model_key`) among the runs `filter` selects: the
    /// skill id, the model key (NULL unless `byModel`), then each ``Measure``'s ``Measure/total``.
    ///
    /// Without a window, `skill_rollups_all_time` answers. With one, `skill_rollups` answers for
    /// the window's whole hours, and the rows for the parts of hours at its ends (found by
    /// `idx_timestamp`). The two never overlap: a run counts from the rollups when its hour lies
    /// within the window, else from its row.
    static func query(totalsOf filter: MetricsFilter, byModel: Bool) -> PostgresQuery {
        let window = filter.window
        // The whole hours, [from, to): the first hour starting at or after `since`, the last ending by `until`.
        let from = window.sinceMilliseconds.map { $0 / hour + ($0 % hour > 0 ? 1 : 0) }
        let to = window.untilMilliseconds.map { $0 / hour - ($0 % hour < 0 ? 1 : 0) }
        /// An hour's start in milliseconds; past `Int64`'s range, the end of the range (no row is there).
        func start(of hour: Int64) -> Int64 {
            let (milliseconds, overflow) = hour.multipliedReportingOverflow(by: Self.hour)
            return overflow ? (hour > 0 ? .max : .min) : milliseconds
        }
        let windowed = from != nil || to != nil

        let model = byModel ? "model_key" : "NULL::text"
        var query = QueryBuilder("SELECT skill_id, model_key, ")
        query.append(Measure.allCases.map(\.total).joined(separator: ", "))
        query.append(" FROM (SELECT skill_id, \(model) AS model_key, \(Measure.allCases.map(\.column).joined(separator: ", "))")
        query.append(" FROM \(windowed ? Level.hourly.table : Level.allTime.table) WHERE TRUE")
        if let skillId = filter.skillId { query.append(" AND skill_id = \(query.argument(skillId))") }
        if let version = filter.version { query.append(" AND version_key = \(query.argument("v" + version))") }
        if let model = filter.model { query.append(" AND model_key = \(query.argument("m" + model))") }
        if let from { query.append(" AND hour >= \(query.argument(from))") }
        if let to { query.append(" AND hour < \(query.argument(to))") }
        if windowed {
            let rowModel = byModel ? modelKey : "NULL::text"
            query.append(
                " UNION ALL SELECT skill_id, \(rowModel), \(Measure.allCases.map(\.aggregate).joined(separator: ", "))"
                    + " FROM skill_metrics WHERE ")
            query.append(condition: filter)
            var edges: [String] = []
            if let from { edges.append("timestamp < \(query.argument(start(of: from)))") }
            if let to { edges.append("timestamp >= \(query.argument(start(of: to)))") }
            query.append(" AND (" + edges.joined(separator: " OR ") + ") GROUP BY 1, 2")
        }
        query.append(") AS parts GROUP BY 1, 2")
        return query.query
    }
}
