import PostgresNIO
import SkillForge

/// The rollups of a PostgreSQL store: `skill_rollups`, the totals of the runs of
/// each skill, hour, version and model, kept by triggers in the transaction that
/// writes the runs, so that they never disagree with `skill_metrics`, whoever
/// writes (many collectors at once, `psql`, a `COPY`).
///
/// - An `INSERT` adds its rows' totals to their groups: one upsert per
///   statement, from the statement's transition table, in key order (so that
///   concurrent writers lock the groups they share in the same order).
/// - A `DELETE` or an `UPDATE` computes its groups again from the rows (the
///   smallest and largest values cannot be subtracted). Each step is its own
///   statement with its own snapshot: a concurrent writer's rows are counted by
///   the writer if they were not visible to the recount, and by the recount if
///   they were, never by both (the writer's upsert waits for the group's lock).
///
/// The functions keep the search path they were created with (the store's
/// schema), so a writer with another (`INSERT INTO team_a.skill_metrics` from
/// `psql`) updates the same schema's rollups.
///
/// A group has a row per ``slots``: concurrent writers add to different rows.
///
/// `version` and `model` are keyed as `''` for none and `'v'` or `'m'` before
/// the value otherwise, so that a primary key tells NULL and `''` apart.
enum PostgresRollups {
    static let table = "skill_rollups"
    /// The width of a rollup group, in milliseconds.
    static let hour: Int64 = 3_600_000

    static let migration = PostgresSchema.Migration(
        name: "v2-rollups",
        sql: [
            """
            CREATE TABLE skill_rollups (
              skill_id TEXT NOT NULL,
              hour BIGINT NOT NULL,
              version_key TEXT NOT NULL,
              model_key TEXT NOT NULL,
              slot SMALLINT NOT NULL,
              \(Measure.allCases.map { "\($0.column) \($0.type) NOT NULL" }.joined(separator: ",\n  "))
              ,PRIMARY KEY (skill_id, hour, version_key, model_key, slot)
            )
            """,
            """
            CREATE FUNCTION skill_rollups_add() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
              \(upsert(groupsOf: "added_rows"));
              RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION skill_rollups_recount_deleted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
              \(recount(keys: keys(of: "removed_rows")));
              RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION skill_rollups_recount_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
              \(recount(keys: keys(of: "removed_rows") + " UNION " + keys(of: "added_rows")));
              RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER skill_rollups_insert AFTER INSERT ON skill_metrics
              REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION skill_rollups_add()
            """,
            """
            CREATE TRIGGER skill_rollups_delete AFTER DELETE ON skill_metrics
              REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION skill_rollups_recount_deleted()
            """,
            """
            CREATE TRIGGER skill_rollups_update AFTER UPDATE ON skill_metrics
              REFERENCING OLD TABLE AS removed_rows NEW TABLE AS added_rows
              FOR EACH STATEMENT EXECUTE FUNCTION skill_rollups_recount_updated()
            """,
            upsert(groupsOf: "skill_metrics"),
        ])

    // MARK: - Keys

    /// How many rows a group may take, one per slot: a writing session adds to its own slot
    /// (its backend's process id modulo this), so concurrent writers seldom wait for each
    /// other's locks on the groups of the current hour. Reads add the slots up.
    static let slots = 8
    private static let slot = "pg_backend_pid() % \(slots)"

    static let versionKey = "CASE WHEN version IS NULL THEN '' ELSE 'v' || version END"
    static let modelKey = "CASE WHEN model IS NULL THEN '' ELSE 'm' || model END"

    /// The version a `version_key` (or the model a `model_key`) stands for.
    static func value(ofKey key: String) -> String? {
        key.isEmpty ? nil : String(key.dropFirst())
    }

    /// The group keys of the rows of `rows` (a table or a transition table).
    private static func keys(of rows: String) -> String {
        "SELECT skill_id, timestamp / \(hour) AS hour, \(versionKey) AS version_key, \(modelKey) AS model_key FROM \(rows)"
    }

    // MARK: - Measures

    /// A column of `skill_rollups` and how a group of runs sums it. Sums are NUMERIC: a
    /// group's cannot overflow, and reads cap them at `Int64.max` as `RunTotals` does.
    enum Measure: CaseIterable {
        case runs, failures, executionMsSum, executionMsSquares, executionMsMin, executionMsMax
        case tokenRuns, tokensInSum, tokensOutSum, cacheReadTokensSum, cacheCreationTokensSum, estimatedRuns
        case firstRun, lastRun, costRuns, costNanodollarsSum

        var column: String {
            switch self {
            case .runs: "runs"
            case .failures: "failures"
            case .executionMsSum: "execution_ms_sum"
            case .executionMsSquares: "execution_ms_squares"
            case .executionMsMin: "execution_ms_min"
            case .executionMsMax: "execution_ms_max"
            case .tokenRuns: "token_runs"
            case .tokensInSum: "tokens_in_sum"
            case .tokensOutSum: "tokens_out_sum"
            case .cacheReadTokensSum: "cache_read_tokens_sum"
            case .cacheCreationTokensSum: "cache_creation_tokens_sum"
            case .estimatedRuns: "estimated_runs"
            case .firstRun: "first_run"
            case .lastRun: "last_run"
            case .costRuns: "cost_runs"
            case .costNanodollarsSum: "cost_nanodollars_sum"
            }
        }

        var type: String {
            switch self {
            case .runs, .failures, .executionMsMin, .executionMsMax, .tokenRuns, .estimatedRuns, .firstRun, .lastRun,
                .costRuns:
                "BIGINT"
            case .executionMsSum, .executionMsSquares, .tokensInSum, .tokensOutSum, .cacheReadTokensSum,
                .cacheCreationTokensSum, .costNanodollarsSum:
                "NUMERIC"
            }
        }

        /// The measure of a group of rows of `skill_metrics`.
        var aggregate: String {
            let known = PostgresColumns.tokensKnown
            return switch self {
            case .runs: "count(*)"
            case .failures: "count(*) FILTER (WHERE NOT success)"
            case .executionMsSum: "sum(execution_ms::numeric)"
            case .executionMsSquares: "sum(execution_ms::numeric * execution_ms)"
            case .executionMsMin: "min(execution_ms)"
            case .executionMsMax: "max(execution_ms)"
            case .tokenRuns: "count(*) FILTER (WHERE \(known))"
            case .tokensInSum: "coalesce(sum(tokens_in::numeric) FILTER (WHERE \(known)), 0)"
            case .tokensOutSum: "coalesce(sum(tokens_out::numeric) FILTER (WHERE \(known)), 0)"
            case .cacheReadTokensSum: "coalesce(sum(coalesce(cache_read_tokens, 0)::numeric) FILTER (WHERE \(known)), 0)"
            case .cacheCreationTokensSum:
                "coalesce(sum(coalesce(cache_creation_tokens, 0)::numeric) FILTER (WHERE \(known)), 0)"
            case .estimatedRuns: "count(*) FILTER (WHERE \(known) AND tokens_estimated)"
            case .firstRun: "min(timestamp)"
            case .lastRun: "max(timestamp)"
            case .costRuns: "count(\(PostgresColumns.costNanodollars))"
            case .costNanodollarsSum: "coalesce(sum(\(PostgresColumns.costNanodollars)::numeric), 0)"
            }
        }

        /// How a group's stored value and more of its runs (`EXCLUDED`) combine.
        var combined: String {
            switch self {
            case .executionMsMin, .firstRun: "least(skill_rollups.\(column), EXCLUDED.\(column))"
            case .executionMsMax, .lastRun: "greatest(skill_rollups.\(column), EXCLUDED.\(column))"
            default: "skill_rollups.\(column) + EXCLUDED.\(column)"
            }
        }

        /// How groups of rollups add up, capped where `RunTotals` holds the sum in 64 bits.
        var total: String {
            switch self {
            case .executionMsMin, .firstRun: "min(\(column))"
            case .executionMsMax, .lastRun: "max(\(column))"
            case .executionMsSquares: "coalesce(sum(\(column)), 0)::float8"
            case .runs, .failures, .tokenRuns, .estimatedRuns, .costRuns: "coalesce(sum(\(column)), 0)::bigint"
            default: "least(coalesce(sum(\(column)), 0), 9223372036854775807)::bigint"
            }
        }
    }

    // MARK: - Statements

    private static let keyColumns = "skill_id, hour, version_key, model_key, slot"
    private static let columns = keyColumns + ", " + Measure.allCases.map(\.column).joined(separator: ", ")

    /// The groups of the rows `source` selects (a table, or a parenthesised query with an alias), in key order.
    private static func groups(of source: String) -> String {
        """
        SELECT skill_id, timestamp / \(hour), \(versionKey), \(modelKey), \(slot), \
        \(Measure.allCases.map(\.aggregate).joined(separator: ", ")) \
        FROM \(source) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        """
    }

    /// Adds the groups of `source`'s rows to the rollups.
    private static func upsert(groupsOf source: String) -> String {
        """
        INSERT INTO skill_rollups (\(columns)) \(groups(of: source)) \
        ON CONFLICT (\(keyColumns)) DO UPDATE SET \
        \(Measure.allCases.map { "\($0.column) = \($0.combined)" }.joined(separator: ", "))
        """
    }

    /// Computes the groups `keys` selects again from the rows: removes them, then adds the rows'.
    private static func recount(keys: String) -> String {
        let matching = """
            skill_metrics.skill_id COLLATE "C" = k.skill_id \
            AND skill_metrics.timestamp >= k.hour * \(hour) AND skill_metrics.timestamp < (k.hour + 1) * \(hour) \
            AND \(versionKey) = k.version_key AND \(modelKey) = k.model_key
            """
        return """
            DELETE FROM skill_rollups r USING (\(keys)) k \
            WHERE r.skill_id = k.skill_id AND r.hour = k.hour AND r.version_key = k.version_key AND r.model_key = k.model_key;
              \(upsert(groupsOf: "(SELECT skill_metrics.* FROM skill_metrics JOIN (SELECT DISTINCT * FROM (\(keys)) AS all_keys) k ON \(matching)) AS recounted"))
            """
    }

    // MARK: - Reading totals

    /// The totals of each skill (and model, as a `model_key`) among the runs `filter` selects: the
    /// skill id, the model key (NULL unless `byModel`), then each ``Measure``'s ``Measure/total``.
    ///
    /// The rollups answer for the window's whole hours; the rows, for the parts of hours at its
    /// ends (found by `idx_timestamp`). The two never overlap: a run counts from the rollups when
    /// its hour lies within the window, else from its row.
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

        let model = byModel ? "model_key" : "NULL::text"
        var query = QueryBuilder("SELECT skill_id, model_key, ")
        query.append(Measure.allCases.map(\.total).joined(separator: ", "))
        query.append(" FROM (SELECT skill_id, \(model) AS model_key, \(Measure.allCases.map(\.column).joined(separator: ", "))")
        query.append(" FROM skill_rollups WHERE TRUE")
        if let skillId = filter.skillId { query.append(" AND skill_id = \(query.argument(skillId))") }
        if let version = filter.version { query.append(" AND version_key = \(query.argument("v" + version))") }
        if let model = filter.model { query.append(" AND model_key = \(query.argument("m" + model))") }
        if let from { query.append(" AND hour >= \(query.argument(from))") }
        if let to { query.append(" AND hour < \(query.argument(to))") }
        if from != nil || to != nil {
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
