import Foundation
import GRDB

// MARK: - Per-skill totals

extension SkillTotalsReport {
    /// The report of groups keyed by skill id: a group of invalid rows only (whose
    /// skill id may not even be text) counts in ``invalidRows`` alone.
    init(groups: [RollupGroupTotals]) {
        self.init()
        for group in groups {
            invalidRows += group.totals.invalidRuns
            if group.totals.runs > 0, let skillId = String.fromDatabaseValue(group.key) {
                skills.append(SkillTotals(skillId: skillId, totals: group.totals))
            }
        }
    }
}

extension ProfilerDB {
    /// Per-skill totals of the runs `filter` selects (its order and limit are
    /// ignored): runs, failures, sums, extremes, first and last run, and the rows
    /// that break the rules of the store. The analysis's cheap questions (how
    /// many runs, how slow on average, how often failing) are answered here.
    ///
    /// ```swift
    /// let lastDay = try db.skillTotals(matching: MetricsFilter(window: TimeWindow(since: yesterday)))
    /// for skill in lastDay.skills { print(skill.skillId, skill.totals.meanExecutionMs) }
    /// ```
    ///
    /// The rollups answer it: the all-time table for an unbounded window, else the
    /// hourly table for the window's whole hours (UTC) and the rows themselves
    /// for the parts of hours at its ends. Without rollups (a file opened
    /// read-only at an older schema) the rows answer all of it.
    public func skillTotals(matching filter: MetricsFilter) throws(ProfilerError) -> SkillTotalsReport {
        try read { db in try Rollups.skillTotals(matching: filter, in: db) }
    }

    public func skillTotals(matching filter: MetricsFilter) async throws(ProfilerError) -> SkillTotalsReport {
        try await read { db in try Rollups.skillTotals(matching: filter, in: db) }
    }
}

extension Rollups {
    /// ``ProfilerDB/skillTotals(matching:)`` inside a read.
    ///
    /// - Parameter extremes: Whether the smallest and largest values and first and
    ///   last runs must be exact (stale groups then cost a recomputation).
    static func skillTotals(matching filter: MetricsFilter, extremes: Bool = true, in db: Database) throws
        -> SkillTotalsReport
    {
        try rollupSkillTotals(matching: filter, extremes: extremes, in: db) ?? rawSkillTotals(matching: filter, in: db)
    }

    /// The totals from the rollups, or `nil` when they cannot answer: no rollups,
    /// a window without a whole hour, or too many stale groups.
    static func rollupSkillTotals(matching filter: MetricsFilter, extremes: Bool, in db: Database) throws
        -> SkillTotalsReport?
    {
        guard let (groups, edges) = try rollupGroups(matching: filter, groupedBy: "skill_id", extremes: extremes, in: db)
        else { return nil }
        var report = SkillTotalsReport(groups: groups)
        for edge in edges {
            var part = filter
            part.window = edge
            report.add(try rawSkillTotals(matching: part, in: db))
        }
        return report
    }

    /// The totals from the rows: one `GROUP BY skill_id` of the valid rows, and one of the others.
    static func rawSkillTotals(matching filter: MetricsFilter, in db: Database) throws -> SkillTotalsReport {
        var report = SkillTotalsReport(groups: try rawGroups(matching: filter, groupedBy: "skill_id", in: db))
        let invalid = try SQLRequest<Row>(literal: """
                SELECT skill_id, COUNT(*) FROM skill_metrics
                WHERE \(filter.conditions) AND NOT \(SkillMetrics.isStoredValid) GROUP BY skill_id
                """).fetchAll(db)
        var invalidRuns = RunTotals()
        for row in invalid {
            invalidRuns.invalidRuns = row[1]
            report.invalidRows += invalidRuns.invalidRuns
            if let skillId = String.fromDatabaseValue(row[0]),
                let position = report.skills.firstIndex(where: { $0.skillId.utf8.elementsEqual(skillId.utf8) })
            {
                report.skills[position].totals.add(invalidRuns)
            }
        }
        return report
    }
}

// MARK: - Reading groups

extension Rollups {
    /// The rollup groups of the whole hours of `filter`'s window (the all-time
    /// table for an unbounded one), added up by `grouping`, and the parts of
    /// hours at the window's ends, which the rows must answer; `nil` when the
    /// rollups cannot answer (none, no whole hour, too many stale groups).
    static func rollupGroups(
        matching filter: MetricsFilter, groupedBy grouping: String, extremes: Bool, in db: Database
    ) throws -> (groups: [RollupGroupTotals], edges: [TimeWindow])? {
        guard try exist(in: db), let span = HourSpan(filter.window) else { return nil }
        let level: RollupLevel = span.isAllTime ? .allTime : .hourly
        let condition = filter.rollupConditions + (span.isAllTime ? "" : " AND \(span.condition)")
        guard let groups = try totals(level, where: condition, groupedBy: grouping, extremes: extremes, in: db) else {
            return nil
        }
        return (groups, span.edges)
    }

    /// The totals of the valid runs `filter` selects, added up by `grouping`: the
    /// rollups for the whole hours and the rows for the parts of hours at the
    /// window's ends, or the rows alone when the rollups cannot answer. A key
    /// may come twice (from the rollups and from an edge's rows): callers add them up.
    static func groups(matching filter: MetricsFilter, groupedBy grouping: String, in db: Database) throws
        -> [RollupGroupTotals]
    {
        guard let (groups, edges) = try rollupGroups(matching: filter, groupedBy: grouping, extremes: true, in: db) else {
            return try rawGroups(matching: filter, groupedBy: grouping, in: db)
        }
        return try edges.reduce(into: groups) { all, edge in
            var part = filter
            part.window = edge
            all += try rawGroups(matching: part, groupedBy: grouping, in: db)
        }
    }

    /// The totals of the valid rows `filter` selects, added up by `grouping` (a column of `skill_metrics`).
    static func rawGroups(matching filter: MetricsFilter, groupedBy grouping: String, in db: Database) throws
        -> [RollupGroupTotals]
    {
        let columns = RollupColumn.allCases
        return try SQLRequest<Row>(literal: """
                SELECT \(sql: grouping), \(sql: columns.map(\.validRowsAggregate).joined(separator: ", "))
                FROM skill_metrics WHERE \(filter.conditions) AND \(SkillMetrics.isStoredValid)
                GROUP BY 1 ORDER BY 1
                """).fetchAll(db).map { RollupGroupTotals(key: $0[0], totals: RunTotals(row: $0, startingAt: 1)) }
    }
}

/// The totals of the rollup groups that share a key (a skill id, a version…).
struct RollupGroupTotals {
    var key: DatabaseValue
    var totals: RunTotals
}

extension Rollups {
    /// How many stale groups a read recomputes before it reads the rows instead.
    static let staleGroupsPerRead = 64

    /// The groups of `level` that `condition` selects, added up by `grouping` (a
    /// column of the rollup tables), in `grouping` order; or `nil` when more than
    /// ``staleGroupsPerRead`` of them are stale and extremes are asked for.
    ///
    /// A stale group (another tool deleted one of its rows) has exact counts and
    /// sums, but its extremes may be those of the deleted row: SQL adds up the
    /// extremes of the other groups, and the stale ones are recomputed, an hourly
    /// group from its rows and an all-time group from its hourly groups.
    static func totals(
        _ level: RollupLevel, where condition: SQL, groupedBy grouping: String, extremes: Bool, in db: Database
    ) throws -> [RollupGroupTotals]? {
        let columns = RollupColumn.allCases
        let rows = try SQLRequest<Row>(literal: """
                SELECT \(sql: grouping), \(sql: columns.map(\.rollupAggregate).joined(separator: ", ")), SUM(stale)
                FROM \(sql: level.table) WHERE \(condition)
                GROUP BY 1 ORDER BY 1
                """).fetchAll(db)
        var groups = rows.map { RollupGroupTotals(key: $0[0], totals: RunTotals(row: $0, startingAt: 1)) }
        let staleCount = rows.reduce(0) { count, row in count + (Int.fromDatabaseValue(row[columns.count + 1]) ?? 0) }
        guard extremes, staleCount > 0 else { return groups }
        guard staleCount <= staleGroupsPerRead else { return nil }

        let stale = try SQLRequest<Row>(literal: """
                SELECT \(sql: grouping), skill_id, \(sql: level == .hourly ? "hour" : "0"), version, model
                FROM \(sql: level.table) WHERE (\(condition)) AND stale = 1
                """).fetchAll(db)
        for row in stale {
            let group = StoredGroup(
                skillId: row[1], hour: try row.decode(Int64.self, atIndex: 2), version: row[3], model: row[4])
            guard let exact = try exactExtremes(of: group, level, in: db) else { return nil }
            if let position = groups.firstIndex(where: { $0.key.isSameKey(as: row[0]) }) {
                groups[position].totals.includeExtremes(of: exact)
            }
        }
        return groups
    }

    /// The extremes of a stale group, or `nil` when too many of its hourly groups are stale too.
    private static func exactExtremes(of group: StoredGroup, _ level: RollupLevel, in db: Database) throws -> RunTotals? {
        switch level {
        case .allTime:
            let hourly = try totals(
                .hourly, where: group.condition(withHour: false), groupedBy: "skill_id", extremes: true, in: db)
            return hourly.map { $0.first?.totals ?? RunTotals() }
        case .hourly:
            let row = try SQLRequest<Row>(literal: """
                    SELECT MIN(execution_ms), MAX(execution_ms), MIN(timestamp), MAX(timestamp) FROM skill_metrics
                    WHERE \(group.rowsCondition) AND \(SkillMetrics.isStoredValid)
                    """).fetchOne(db)
            var exact = RunTotals()
            if let row {
                (exact.executionMsMin, exact.executionMsMax, exact.firstRun, exact.lastRun) = (row[0], row[1], row[2], row[3])
            }
            return exact
        }
    }
}

extension DatabaseValue {
    /// Whether two keys are the same to SQLite: texts by their bytes (Swift's `==`
    /// would equate the composed and decomposed spellings of "é").
    func isSameKey(as other: DatabaseValue) -> Bool {
        switch (storage, other.storage) {
        case let (.string(text), .string(otherText)): text.utf8.elementsEqual(otherText.utf8)
        default: self == other
        }
    }
}

// MARK: - Filters and windows

extension MetricsFilter {
    /// The filter's conditions on rollup rows, its window excepted.
    var rollupConditions: SQL {
        var parts: [SQL] = []
        if let skillId { parts.append("skill_id = \(skillId)") }
        if let version { parts.append("version = \(version)") }
        if let model { parts.append("model = \(model)") }
        return parts.isEmpty ? "1" : parts.joined(separator: " AND ")
    }
}

/// A time window seen as the whole UTC hours it holds, which the rollups
/// answer, and the parts of hours at its ends, which the rows answer.
struct HourSpan {
    /// The first whole hour; `nil` when the window has no start.
    var firstHour: Int64?
    /// The hour after the last whole one; `nil` when the window has no end.
    var endHour: Int64?
    /// The parts of the window before the first whole hour and after the last.
    var edges: [TimeWindow] = []

    /// The span of `window`, or `nil` when it holds no whole hour.
    init?(_ window: TimeWindow) {
        let hour = Rollups.hourMilliseconds
        let since = window.sinceMilliseconds
        let until = window.untilMilliseconds
        firstHour = since.map { Rollups.hour(of: $0) + ($0 % hour == 0 ? 0 : 1) }
        endHour = until.map(Rollups.hour(of:))
        if let firstHour, let endHour, firstHour >= endHour { return nil }
        if let since, let firstHour {
            let (start, overflow) = firstHour.multipliedReportingOverflow(by: hour)
            guard !overflow else { return nil }
            if start != since { edges.append(Self.window(from: since, to: start)) }
        }
        if let until, let endHour {
            let (end, overflow) = endHour.multipliedReportingOverflow(by: hour)
            guard !overflow else { return nil }
            if end != until { edges.append(Self.window(from: end, to: until)) }
        }
    }

    /// Whether the window is unbounded: the all-time rollups answer it.
    var isAllTime: Bool { firstHour == nil && endHour == nil }

    /// The condition on hourly rollup rows.
    var condition: SQL {
        var parts: [SQL] = []
        if let firstHour { parts.append("hour >= \(firstHour)") }
        if let endHour { parts.append("hour < \(endHour)") }
        return parts.isEmpty ? "1" : parts.joined(separator: " AND ")
    }

    private static func window(from start: Int64, to end: Int64) -> TimeWindow {
        TimeWindow(since: Date(unixMilliseconds: start), until: Date(unixMilliseconds: end))
    }
}
