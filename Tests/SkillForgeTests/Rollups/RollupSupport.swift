import GRDB
import Testing

@testable import SkillForge

// The expected rollups are computed here from `skill_metrics` alone, by plain
// GROUP BY queries whose rules are spelled out column by column (not the
// library's `isStoredValid`, which uses one `typeof` of a sum), so that a
// rollup that drifts from the rows cannot hide behind shared code.

/// Whether a row follows the rules of the store, written out per column.
let expectedValidity = """
    (typeof(skill_id) = 'text'
     AND typeof(execution_ms) = 'integer' AND execution_ms >= 0 AND execution_ms <= 2592000000
     AND typeof(tokens_in) = 'integer' AND tokens_in >= 0 AND tokens_in <= 1000000000000
     AND typeof(tokens_out) = 'integer' AND tokens_out >= 0 AND tokens_out <= 1000000000000
     AND typeof(success) = 'integer' AND success IN (0, 1)
     AND typeof(timestamp) = 'integer' AND timestamp >= 946684800000 AND timestamp < 4102444800000
     AND (tokens_estimated IS NULL OR (typeof(tokens_estimated) = 'integer' AND tokens_estimated IN (0, 1)))
     AND (cache_read_tokens IS NULL
          OR (typeof(cache_read_tokens) = 'integer' AND cache_read_tokens BETWEEN 0 AND 1000000000000))
     AND (cache_creation_tokens IS NULL
          OR (typeof(cache_creation_tokens) = 'integer' AND cache_creation_tokens BETWEEN 0 AND 1000000000000)))
    """

/// Whether a row's tokens are known, written out by the documented rule: unknown only
/// for the number 0 in `tokens_known` (docs/SCHEMA.md, "Unknown tokens").
let expectedKnown = """
    (CASE WHEN typeof(tokens_known) IN ('integer', 'real') AND tokens_known = 0 THEN 0 ELSE 1 END)
    """

/// Whether a row's cost is known, by the documented rule: `cost_usd` is a number from 0 to 1,000,000
/// (docs/SCHEMA.md, "Costs").
let expectedCostKnown = """
    (typeof(cost_usd) IN ('integer', 'real') AND cost_usd >= 0 AND cost_usd <= 1000000)
    """

/// The documented hour of a row: floor(timestamp / 3,600,000) (of the integer
/// part of a REAL), the largest integer for a TEXT or BLOB timestamp.
private let expectedHour = """
    CASE WHEN typeof(timestamp) IN ('integer', 'real')
         THEN (CAST(timestamp AS INTEGER) - ((CAST(timestamp AS INTEGER) % 3600000) + 3600000) % 3600000) / 3600000
         ELSE 9223372036854775807 END
    """

/// The measures of a group, in the rollup tables' column order.
private let expectedMeasures = """
    SUM(ok), SUM(ok AND success = 0), SUM(CASE WHEN ok THEN execution_ms ELSE 0 END),
    TOTAL(CASE WHEN ok THEN execution_ms * execution_ms END),
    MIN(CASE WHEN ok THEN execution_ms END), MAX(CASE WHEN ok THEN execution_ms END),
    SUM(CASE WHEN ok AND known THEN tokens_in ELSE 0 END), SUM(CASE WHEN ok AND known THEN tokens_out ELSE 0 END),
    SUM(CASE WHEN ok AND known AND cache_read_tokens IS NOT NULL THEN cache_read_tokens ELSE 0 END),
    SUM(CASE WHEN ok AND known AND cache_creation_tokens IS NOT NULL THEN cache_creation_tokens ELSE 0 END),
    SUM(CASE WHEN ok AND known AND tokens_estimated = 1 THEN 1 ELSE 0 END),
    MIN(CASE WHEN ok THEN timestamp END), MAX(CASE WHEN ok THEN timestamp END),
    SUM(NOT ok), SUM(ok AND known),
    SUM(CASE WHEN ok AND cost_known THEN CAST(round(cost_usd * 1000000000) AS INTEGER) ELSE 0 END),
    SUM(ok AND cost_known)
    """

private let expectedRows = """
    SELECT skill_id, \(expectedHour) AS hour,
           CASE WHEN version IS NULL THEN 0 ELSE version END AS version,
           CASE WHEN model IS NULL THEN 0 ELSE model END AS model,
           \(expectedValidity) AS ok, \(expectedKnown) AS known, execution_ms, tokens_in, tokens_out, success, timestamp,
           tokens_estimated, cache_read_tokens, cache_creation_tokens, cost_usd, \(expectedCostKnown) AS cost_known
    FROM skill_metrics
    """

private let measureNames = """
    runs, failures, execution_ms_sum, execution_ms_squares, execution_ms_min, execution_ms_max,
    tokens_in_sum, tokens_out_sum, cache_read_tokens_sum, cache_creation_tokens_sum, estimated_runs,
    first_run, last_run, invalid_runs, token_runs, cost_nanodollars, cost_runs
    """

/// The positions of the extremes among the measures (after the key columns).
private let extremeOffsets: Set<Int> = [4, 5, 11, 12]

/// Checks that both rollup tables hold what a GROUP BY of the rows gives: every
/// group, with equal counts and sums, and equal extremes unless the group is
/// marked stale (then they may only be wider than the rows'). Returns the number of stale groups.
@discardableResult
func expectRollupsMatchRows(
    _ reader: any DatabaseReader, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> Int {
    try reader.read { db in
        var stale = 0
        for (table, keys) in [("skill_rollups", "skill_id, hour, version, model"), ("skill_rollups_all_time", "skill_id, version, model")] {
            let expected = try Row.fetchAll(
                db, sql: "SELECT \(keys), \(expectedMeasures) FROM (\(expectedRows)) GROUP BY \(keys) ORDER BY \(keys)")
            let stored = try Row.fetchAll(
                db, sql: "SELECT \(keys), \(measureNames), stale FROM \(table) ORDER BY \(keys)")
            let keyCount = keys.split(separator: ",").count
            #expect(
                stored.map { describe($0, keys: keyCount) } == expected.map { describe($0, keys: keyCount) },
                "\(table): groups differ from the rows", sourceLocation: sourceLocation)
            guard stored.count == expected.count else { continue }
            for (row, want) in zip(stored, expected) {
                let isStale = (row[row.count - 1] as Int64) == 1
                if isStale { stale += 1 }
                for offset in 0..<17 {
                    let (have, should) = (row[keyCount + offset] as DatabaseValue, want[keyCount + offset] as DatabaseValue)
                    if isStale && extremeOffsets.contains(offset) {
                        // A stale extreme is the deleted row's: below the true minimum, above the true maximum.
                        let (a, b) = (Int64.fromDatabaseValue(have) ?? 0, Int64.fromDatabaseValue(should) ?? 0)
                        #expect([4, 11].contains(offset) ? a <= b : a >= b, sourceLocation: sourceLocation)
                    } else {
                        #expect(
                            numeric(have) == numeric(should),
                            "\(table) \(describe(row, keys: keyCount)): measure \(offset) is \(have), the rows give \(should)",
                            sourceLocation: sourceLocation)
                    }
                }
            }
        }
        let expectedTimes = try String.fetchAll(
            db,
            sql: """
                SELECT skill_id || '|' || execution_ms || '|' || quote(version) || '|' || quote(model) || '|' || COUNT(*)
                FROM skill_metrics WHERE \(expectedValidity)
                GROUP BY skill_id, execution_ms, version, model ORDER BY 1
                """)
        // The counts hold the integer 0 for a run without a version or model: NULL in the rows.
        let storedTimes = try String.fetchAll(
            db,
            sql: """
                SELECT skill_id || '|' || execution_ms || '|' || quote(nullif(version, 0)) || '|' || quote(nullif(model, 0))
                       || '|' || runs
                FROM skill_execution_time_counts ORDER BY 1
                """)
        #expect(storedTimes == expectedTimes, "execution-time counts differ from the rows", sourceLocation: sourceLocation)
        return stale
    }
}

/// The key columns of a row, as text.
private func describe(_ row: Row, keys: Int) -> String {
    (0..<keys).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|")
}

/// A stored number as a Double (a sum may be stored as a float after a trigger's arithmetic), or nil.
private func numeric(_ value: DatabaseValue) -> Double? {
    Double.fromDatabaseValue(value)
}

/// The number of stale groups in both rollup tables.
func staleGroups(_ reader: any DatabaseReader) throws -> Int {
    try reader.read { db in
        try Int.fetchOne(
            db, sql: "SELECT (SELECT COUNT(*) FROM skill_rollups WHERE stale) + (SELECT COUNT(*) FROM skill_rollups_all_time WHERE stale)"
        ) ?? 0
    }
}

/// Per-skill totals of the valid rows in `[since, until)`, computed from the rows, as
/// `skill|runs|failures|sum|min|max|in|out|cacheRead|cacheCreation|estimated|first|last|tokenRuns`
/// (the token sums and the estimated count over the rows with known tokens),
/// and the number of invalid rows there.
func expectedSkillTotals(
    _ reader: any DatabaseReader, since: Int64? = nil, until: Int64? = nil, version: String? = nil
) throws -> (lines: [String], invalidRows: Int) {
    try reader.read { db in
        var conditions = ["1"]
        var arguments: [any DatabaseValueConvertible] = []
        if let since { conditions.append("timestamp >= ?"); arguments.append(since) }
        if let until { conditions.append("timestamp < ?"); arguments.append(until) }
        if let version { conditions.append("version = ?"); arguments.append(version) }
        let condition = conditions.joined(separator: " AND ")
        let lines = try Row.fetchAll(
            db,
            sql: """
                SELECT skill_id, COUNT(*), SUM(success = 0), SUM(execution_ms), MIN(execution_ms), MAX(execution_ms),
                       SUM(CASE WHEN \(expectedKnown) = 1 THEN tokens_in ELSE 0 END),
                       SUM(CASE WHEN \(expectedKnown) = 1 THEN tokens_out ELSE 0 END),
                       SUM(CASE WHEN \(expectedKnown) = 0 OR cache_read_tokens IS NULL THEN 0 ELSE cache_read_tokens END),
                       SUM(CASE WHEN \(expectedKnown) = 0 OR cache_creation_tokens IS NULL THEN 0 ELSE cache_creation_tokens END),
                       SUM(CASE WHEN \(expectedKnown) = 1 AND tokens_estimated = 1 THEN 1 ELSE 0 END), MIN(timestamp), MAX(timestamp),
                       SUM(\(expectedKnown))
                FROM skill_metrics WHERE \(condition) AND \(expectedValidity)
                GROUP BY skill_id ORDER BY skill_id
                """, arguments: StatementArguments(arguments) ?? []
        ).map { row in
            (0..<14).map { index -> String in
                let value = row[index] as DatabaseValue
                return Int64.fromDatabaseValue(value).map(String.init) ?? String.fromDatabaseValue(value) ?? "\(value)"
            }.joined(separator: "|")
        }
        let invalid = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM skill_metrics WHERE \(condition) AND NOT \(expectedValidity)",
            arguments: StatementArguments(arguments) ?? []) ?? 0
        return (lines, invalid)
    }
}

extension SkillTotals {
    /// The same line as ``expectedSkillTotals(_:since:until:version:)`` gives.
    var line: String {
        let t = totals
        return [
            skillId, "\(t.runs)", "\(t.failures)", "\(t.executionMsSum)", "\(t.executionMsMin ?? -1)",
            "\(t.executionMsMax ?? -1)", "\(t.tokensInSum)", "\(t.tokensOutSum)", "\(t.cacheReadTokensSum)",
            "\(t.cacheCreationTokensSum)", "\(t.estimatedRuns)", "\(t.firstRun ?? -1)", "\(t.lastRun ?? -1)",
            "\(t.tokenRuns)",
        ].joined(separator: "|")
    }
}

/// Runs SQL through the `sqlite3` shell: another tool writing the file, through the triggers.
@discardableResult
func shell(_ path: String, _ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
    let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is needed as an independent writer")
    let result = try runProcess(sqlite3, [path, sql])
    #expect(result.status == 0, "sqlite3: \(result.stderr)", sourceLocation: sourceLocation)
    return result.stdout
}

extension ProfilerDB {
    /// Writes as any other tool would, through the rollup triggers (which Skill
    /// Forge's own connection has off), on the same connection: for in-memory databases.
    func writeAsAnotherTool(_ sql: String, arguments: StatementArguments = []) throws {
        try write { db in
            try Rollups.setTriggers(enabled: true, on: db)
            defer { try? Rollups.setTriggers(enabled: false, on: db) }
            try db.execute(sql: sql, arguments: arguments)
        }
    }
}
