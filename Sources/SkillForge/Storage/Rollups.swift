import GRDB

// MARK: - Rollups

/// The rollup tables: totals of the runs per skill, hour, version and model
/// (`skill_rollups`), and per skill, version and model over all time
/// (`skill_rollups_all_time`), kept in step with `skill_metrics` by the
/// transactions that write it (see docs/SCHEMA.md, "Rollups").
///
/// Skill Forge's own write transactions add up their rows in memory
/// (``RollupBatch``) and write each group once before they commit; deletions
/// recompute the groups they touched. Rows other tools write go through the
/// triggers that migration `v4-rollups` created, which Skill Forge's writing
/// connection has off (``setTriggers(enabled:on:)``).
enum Rollups {
    /// Milliseconds per rollup hour.
    static let hourMilliseconds: Int64 = 3_600_000

    /// The hour (since the Unix epoch, floored) that a timestamp falls in.
    static func hour(of timestamp: Int64) -> Int64 {
        let (quotient, remainder) = timestamp.quotientAndRemainder(dividingBy: hourMilliseconds)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// The hour of a stored row as SQL, for any stored value: the triggers'
    /// rule, so that a row written by another tool is found in its group.
    static let hourSQL = """
        (CASE WHEN typeof(timestamp) IN ('integer', 'real') \
        THEN CAST(timestamp AS INTEGER) / 3600000 - (CAST(timestamp AS INTEGER) % 3600000 < 0) \
        ELSE 9223372036854775807 END)
        """

    /// Whether `db` has rollups of every ``RollupColumn``: a database opened
    /// read-only at an older schema has none, or none of `cost_runs` (before v11).
    static func exist(in db: Database) throws -> Bool {
        try db.tableExists(RollupLevel.allTime.table)
            && db.columns(in: RollupLevel.allTime.table).contains { $0.name == RollupColumn.costRuns.rawValue }
    }
}

/// One of the two rollup tables.
enum RollupLevel: CaseIterable {
    /// `skill_rollups`: a group per skill, hour, version and model.
    case hourly
    /// `skill_rollups_all_time`: a group per skill, version and model.
    case allTime

    var table: String {
        switch self {
        case .hourly: "skill_rollups"
        case .allTime: "skill_rollups_all_time"
        }
    }

    /// The key columns of a group, in primary-key order.
    var keyColumns: [String] {
        switch self {
        case .hourly: ["skill_id", "hour", "version", "model"]
        case .allTime: ["skill_id", "version", "model"]
        }
    }
}

// MARK: - Columns

/// The measure columns of both rollup tables, in table order: the one list
/// that the upserts, the reads and the recomputations are built from.
enum RollupColumn: String, CaseIterable {
    case runs, failures
    case executionMsSum = "execution_ms_sum"
    case executionMsSquares = "execution_ms_squares"
    case executionMsMin = "execution_ms_min"
    case executionMsMax = "execution_ms_max"
    case tokensInSum = "tokens_in_sum"
    case tokensOutSum = "tokens_out_sum"
    case cacheReadTokensSum = "cache_read_tokens_sum"
    case cacheCreationTokensSum = "cache_creation_tokens_sum"
    case estimatedRuns = "estimated_runs"
    case firstRun = "first_run"
    case lastRun = "last_run"
    case invalidRuns = "invalid_runs"
    case tokenRuns = "token_runs"
    case costNanodollars = "cost_nanodollars"
    case costRuns = "cost_runs"

    /// How two groups' values combine.
    enum Combination { case sum, minimum, maximum }

    var combination: Combination {
        switch self {
        case .executionMsMin, .firstRun: .minimum
        case .executionMsMax, .lastRun: .maximum
        default: .sum
        }
    }

    /// The column's value over valid rows of `skill_metrics` (`invalidRuns`: 0; those are counted apart).
    /// Token measures count the rows with known tokens only, as the triggers of v9 do.
    var validRowsAggregate: String {
        switch self {
        case .runs: "COUNT(*)"
        case .failures: "SUM(success = 0)"
        case .executionMsSum: "SUM(execution_ms)"
        case .executionMsSquares: "TOTAL(CAST(execution_ms AS REAL) * execution_ms)"
        case .executionMsMin: "MIN(execution_ms)"
        case .executionMsMax: "MAX(execution_ms)"
        case .tokensInSum: "SUM(\(ifKnown("tokens_in")))"
        case .tokensOutSum: "SUM(\(ifKnown("tokens_out")))"
        case .cacheReadTokensSum: "SUM(\(ifKnown("ifnull(cache_read_tokens, 0)")))"
        case .cacheCreationTokensSum: "SUM(\(ifKnown("ifnull(cache_creation_tokens, 0)")))"
        case .estimatedRuns: "SUM(\(ifKnown("ifnull(tokens_estimated, 0)")))"
        case .tokenRuns: "SUM(\(ifKnown("1")))"
        case .costNanodollars: "ifnull(SUM(\(Measure.costNanodollarsSQL)), 0)"
        case .costRuns: "COUNT(\(Measure.costNanodollarsSQL))"
        case .firstRun: "MIN(timestamp)"
        case .lastRun: "MAX(timestamp)"
        case .invalidRuns: "0"
        }
    }

    /// `value` for a row whose tokens are known, else 0.
    private func ifKnown(_ value: String) -> String { "CASE WHEN \(Measure.knownTokensCondition) THEN \(value) ELSE 0 END" }

    /// The column's value over rollup rows. Sums are floats (SQLite's `TOTAL`,
    /// which cannot overflow); the extremes of stale groups are left out (see
    /// ``ProfilerDB/rollupTotals(_:where:groupedBy:in:)``).
    var rollupAggregate: String {
        switch combination {
        case .sum: "TOTAL(\(rawValue))"
        case .minimum: "MIN(CASE WHEN stale = 0 THEN \(rawValue) END)"
        case .maximum: "MAX(CASE WHEN stale = 0 THEN \(rawValue) END)"
        }
    }

    /// The column's value over the hourly groups of an all-time group.
    var hourlyAggregate: String {
        switch combination {
        case .sum: self == .executionMsSquares ? "TOTAL(\(rawValue))" : "SUM(\(rawValue))"
        case .minimum: "MIN(\(rawValue))"
        case .maximum: "MAX(\(rawValue))"
        }
    }

    /// How an upsert combines the stored value with `excluded`'s.
    var upsertUpdate: String {
        let name = rawValue
        switch combination {
        case .sum: return "\(name) = \(name) + excluded.\(name)"
        case .minimum: return "\(name) = min(ifnull(\(name), excluded.\(name)), ifnull(excluded.\(name), \(name)))"
        case .maximum: return "\(name) = max(ifnull(\(name), excluded.\(name)), ifnull(excluded.\(name), \(name)))"
        }
    }

    /// The column's value in `totals`.
    func value(in totals: RunTotals) -> DatabaseValue {
        switch self {
        case .runs: totals.runs.databaseValue
        case .failures: totals.failures.databaseValue
        case .executionMsSum: totals.executionMsSum.databaseValue
        case .executionMsSquares: totals.executionMsSquares.databaseValue
        case .executionMsMin: totals.executionMsMin.databaseValue
        case .executionMsMax: totals.executionMsMax.databaseValue
        case .tokensInSum: totals.tokensInSum.databaseValue
        case .tokensOutSum: totals.tokensOutSum.databaseValue
        case .cacheReadTokensSum: totals.cacheReadTokensSum.databaseValue
        case .cacheCreationTokensSum: totals.cacheCreationTokensSum.databaseValue
        case .estimatedRuns: totals.estimatedRuns.databaseValue
        case .firstRun: totals.firstRun.databaseValue
        case .lastRun: totals.lastRun.databaseValue
        case .invalidRuns: totals.invalidRuns.databaseValue
        case .tokenRuns: totals.tokenRuns.databaseValue
        case .costNanodollars: totals.costNanodollars.databaseValue
        case .costRuns: totals.costRuns.databaseValue
        }
    }

    /// Sets the column's value in `totals` from a stored or computed value
    /// (an integer, or a float from `TOTAL`, saturated to 64 bits).
    func set(_ value: DatabaseValue, in totals: inout RunTotals) {
        let integer = value.saturatedInt64
        switch self {
        case .runs: totals.runs = Int(integer ?? 0)
        case .failures: totals.failures = Int(integer ?? 0)
        case .executionMsSum: totals.executionMsSum = integer ?? 0
        case .executionMsSquares: totals.executionMsSquares = Double.fromDatabaseValue(value) ?? 0
        case .executionMsMin: totals.executionMsMin = integer
        case .executionMsMax: totals.executionMsMax = integer
        case .tokensInSum: totals.tokensInSum = integer ?? 0
        case .tokensOutSum: totals.tokensOutSum = integer ?? 0
        case .cacheReadTokensSum: totals.cacheReadTokensSum = integer ?? 0
        case .cacheCreationTokensSum: totals.cacheCreationTokensSum = integer ?? 0
        case .estimatedRuns: totals.estimatedRuns = Int(integer ?? 0)
        case .firstRun: totals.firstRun = integer
        case .lastRun: totals.lastRun = integer
        case .invalidRuns: totals.invalidRuns = Int(integer ?? 0)
        case .tokenRuns: totals.tokenRuns = Int(integer ?? 0)
        case .costNanodollars: totals.costNanodollars = integer ?? 0
        case .costRuns: totals.costRuns = Int(integer ?? 0)
        }
    }
}

extension RunTotals {
    /// Totals read from `row`'s columns from `index` on, in ``RollupColumn`` order.
    init(row: Row, startingAt index: Int) {
        self.init()
        for (offset, column) in RollupColumn.allCases.enumerated() {
            column.set(row[index + offset], in: &self)
        }
    }
}

extension DatabaseValue {
    /// The value as a 64-bit integer: a float is rounded and saturated; NULL and text are `nil`.
    var saturatedInt64: Int64? {
        switch storage {
        case .int64(let value): return value
        case .double(let value):
            guard value.isFinite else { return value.isNaN ? nil : (value > 0 ? .max : .min) }
            if value >= 9.2e18 { return .max }
            if value <= -9.2e18 { return .min }
            return Int64(value.rounded())
        default: return nil
        }
    }
}
