import GRDB
import GRDBSQLite

// MARK: - Execution-time counts

// `skill_execution_time_counts` holds, per skill, execution time, version and
// model, how many valid runs took that time: exact percentiles of a skill's
// whole history, or of a version or model of it, without reading its runs.
// Counts add and subtract exactly, so deletions need no recomputing.

extension Rollups {
    /// Adds (`sign` 1) or takes out (`sign` -1) the execution times of the valid
    /// rows that `request` selects, in one `INSERT … SELECT … GROUP BY`: call it
    /// after storing or updating rows, or before deleting them.
    static func count(executionTimesOf request: QueryInterfaceRequest<SkillMetrics>, as sign: Int, in db: Database) throws {
        let counted = request.filter(literal: SkillMetrics.isStoredValid)
            .select(literal: "skill_id, execution_ms, ifnull(version, 0), ifnull(model, 0), \(sign) * COUNT(*)")
            .group(literal: "skill_id, execution_ms, version, model")
        let statement = try counted.makePreparedRequest(db, forSingleResult: false).statement
        // The request's WHERE clause keeps SQLite from reading ON CONFLICT as a join constraint.
        try db.execute(
            sql: """
                INSERT INTO skill_execution_time_counts (skill_id, execution_ms, version, model, runs) \(statement.sql)
                ON CONFLICT (skill_id, execution_ms, version, model) DO UPDATE SET runs = runs + excluded.runs
                """,
            arguments: statement.arguments)
        if sign < 0 {
            // Through the partial index of spent counts.
            try db.execute(sql: "DELETE FROM skill_execution_time_counts WHERE runs <= 0")
        }
    }
}

/// A skill, an execution time, a version and a model: a key of
/// `skill_execution_time_counts` (texts compare by their bytes).
struct ExecutionTimeKey: Hashable {
    var skillId: ExactText
    var executionMs: Int64
    var version: ExactText?
    var model: ExactText?

    /// Whether this key comes before `other` in the table's primary key order:
    /// skill and time, then version and model, where no value (stored as the
    /// integer 0) comes before every text, and texts compare by their bytes (`BINARY`).
    func precedes(_ other: ExecutionTimeKey) -> Bool {
        if skillId != other.skillId { return skillId < other.skillId }
        if executionMs != other.executionMs { return executionMs < other.executionMs }
        if version != other.version { return Self.precedes(version, other.version) }
        return model != other.model && Self.precedes(model, other.model)
    }

    private static func precedes(_ a: ExactText?, _ b: ExactText?) -> Bool {
        guard let b else { return false }
        guard let a else { return true }
        return a < b
    }
}

// MARK: - Percentiles

/// The runs whose execution times the counts give: a skill's, or one version's
/// or model's of it.
struct CountedRuns {
    var skillId: String
    /// Only runs of this version (`nil`: every version, and runs without one).
    var version: String?
    /// Only runs on this model (`nil`: every model, and runs without one).
    var model: String?

    /// The runs of a filter with a skill and no window (its version and model
    /// kept), or `nil` when the counts cannot answer for it.
    init?(_ filter: MetricsFilter) {
        guard let skillId = filter.skillId, filter.window == .all else { return nil }
        self.init(skillId: skillId, version: filter.version, model: filter.model)
    }

    init(skillId: String, version: String? = nil, model: String? = nil) {
        (self.skillId, self.version, self.model) = (skillId, version, model)
    }

    /// The condition on `skill_execution_time_counts`, with its arguments.
    var condition: (sql: String, arguments: StatementArguments) {
        var sql = "skill_id = ?"
        var arguments: StatementArguments = [skillId]
        if let version {
            sql += " AND version = ?"
            arguments += [version]
        }
        if let model {
            sql += " AND model = ?"
            arguments += [model]
        }
        return (sql, arguments)
    }
}

extension ProfilerDB {
    /// Exact percentiles (numpy's linear method) of the execution times of every
    /// valid run of a skill (or of one version or model of it), from the
    /// execution-time counts: no run is read.
    ///
    /// ```swift
    /// if let percentiles = try db.executionTimePercentiles([50, 95, 99], forSkill: "summarise", version: "2.0") {
    ///     print(percentiles)   // [] when the skill has no runs of that version
    /// }
    /// ```
    ///
    /// - Returns: One value per percentile, `[]` without runs, or `nil` when the
    ///   database has no counts (a file opened read-only at a schema before
    ///   migration `v6-execution-time-counts`).
    func executionTimePercentiles(
        _ ps: [Double], forSkill skillId: String, version: String? = nil, model: String? = nil
    ) throws(ProfilerError) -> [Double]? {
        try read { db in
            try Rollups.executionTimePercentiles(
                ps, of: CountedRuns(skillId: skillId, version: version, model: model), in: db)
        }
    }
}

extension Rollups {
    /// ``ProfilerDB/executionTimePercentiles(_:forSkill:version:model:)`` inside a read.
    ///
    /// - Parameter count: How many runs the counts hold when the caller knows
    ///   (from the rollups, written in the same transactions as the counts):
    ///   the counts are then read once, up to the highest rank needed, instead
    ///   of twice.
    static func executionTimePercentiles(
        _ ps: [Double], of runs: CountedRuns, count: Int? = nil, in db: Database
    ) throws -> [Double]? {
        guard try db.tableExists("skill_execution_time_counts") else { return nil }
        if let count, count > 0, let values = try percentiles(ps, of: runs, count: count, in: db) {
            return values
        }
        let (condition, arguments) = runs.condition
        let total = try Int.fetchOne(
            db, sql: "SELECT TOTAL(runs) FROM skill_execution_time_counts WHERE \(condition)", arguments: arguments
        ) ?? 0
        guard total > 0 else { return [] }
        return try percentiles(ps, of: runs, count: total, in: db) ?? []
    }

    /// The percentiles of `count` counted runs; `nil` when the counts hold fewer.
    ///
    /// The ranks in the lower half are found walking the counts up from the
    /// fastest run, those in the upper half walking down from the slowest, each
    /// walk stopping at its last rank: p50, p90, p95 and p99 read about 60% of
    /// a skill's counts instead of 99%.
    private static func percentiles(
        _ ps: [Double], of runs: CountedRuns, count: Int, in db: Database
    ) throws -> [Double]? {
        let positions = ps.map { Percentile.position(of: $0, count: count) }
        let ranks = Set(positions.flatMap { [$0.lower, min($0.lower + 1, count - 1)] })
        let lower = ranks.filter { $0 < count / 2 }.sorted()
        // Walking down, the rank r is the (count - 1 - r)-th run met.
        let upper = ranks.filter { $0 >= count / 2 }.map { count - 1 - $0 }.sorted()
        guard let fromBottom = try values(atPlaces: lower, of: runs, descending: false, in: db),
            let fromTop = try values(atPlaces: upper, of: runs, descending: true, in: db)
        else { return nil }
        func value(atRank rank: Int) -> Double {
            Double((rank < count / 2 ? fromBottom[rank] : fromTop[count - 1 - rank]) ?? 0)
        }
        return positions.map { position in
            Percentile.interpolate(
                lower: value(atRank: position.lower), upper: value(atRank: min(position.lower + 1, count - 1)),
                fraction: position.fraction)
        }
    }

    /// The execution times of the runs at `places` (ascending: 0 is the first
    /// run met) walking the counts in one direction, or `nil` when the counts
    /// end first. Several versions or models of one time are several rows, met
    /// one after the other.
    private static func values(
        atPlaces places: [Int], of runs: CountedRuns, descending: Bool, in db: Database
    ) throws -> [Int: Int64]? {
        guard !places.isEmpty else { return [:] }
        let (condition, arguments) = runs.condition
        let statement = try db.cachedStatement(
            sql: """
                SELECT execution_ms, runs FROM skill_execution_time_counts WHERE \(condition)
                ORDER BY execution_ms \(descending ? "DESC" : "ASC")
                """)
        statement.arguments = arguments
        let handle = statement.sqliteStatement
        let counts = try Row.fetchCursor(statement)
        var values: [Int: Int64] = [:]
        var next = places.startIndex
        var seen = 0
        // The columns are read raw: a skill can have tens of thousands of distinct times.
        while next < places.endIndex, try counts.next() != nil {
            seen += Int(sqlite3_column_int64(handle, 1))
            let executionMs = sqlite3_column_int64(handle, 0)
            while next < places.endIndex, places[next] < seen {
                values[places[next]] = executionMs
                next += 1
            }
        }
        return next == places.endIndex ? values : nil
    }
}
