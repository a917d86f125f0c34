// MARK: - Migration v11-rollup-costs

// The SQL of the released migration `v11-rollup-costs`: both rollup tables
// count the valid runs whose cost is known (`cost_runs`) and sum their costs in
// whole nanodollars (`cost_nanodollars`, exact where dollars in REAL are not),
// filled from the rows stored so far. A cost is known when `cost_usd` is a number
// from 0 to 1,000,000 (the store's rule); anything else (NULL, text another tool
// wrote) is unknown and adds nothing. Like every released migration it never changes.
//
// What it does:
// - adds the two columns to both rollup tables and fills them from `skill_metrics`
//   (one grouped pass per table);
// - appends `cost_usd` to the covering index `idx_skill_runs` (rebuilt once), so
//   that cost percentiles keep reading the index alone;
// - adds three triggers that keep the cost columns in step with other tools'
//   writes. They touch the cost columns only, beside the triggers of v9: an upsert
//   adds a cost whichever trigger creates the group, and a subtraction from a
//   group already dropped changes nothing, so their order does not matter.

extension Schema {
    /// The SQL of migration `v11-rollup-costs`.
    static let rollupCostsMigrationSQL: String = V11RollupCosts.sql
}

private enum V11RollupCosts {
    typealias Level = V4Rollups.Level

    static var sql: String {
        (V4Rollups.levels.flatMap(columns) + V4Rollups.levels.map(fill) + [index] + triggers)
            .joined(separator: ";\n") + ";"
    }

    // MARK: Cost rule as of v11

    /// The cost of `row` (`NEW.`, `OLD.`, `""`) in whole nanodollars, or NULL when unknown.
    static func nanodollars(_ row: String) -> String {
        """
        (CASE WHEN typeof(\(row)cost_usd) IN ('integer', 'real') AND \(row)cost_usd BETWEEN 0 AND 1000000 \
        THEN CAST(round(\(row)cost_usd * 1000000000) AS INTEGER) END)
        """
    }

    // MARK: Columns and filling

    static func columns(_ level: Level) -> [String] {
        [
            "ALTER TABLE \(level.table) ADD COLUMN cost_nanodollars INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE \(level.table) ADD COLUMN cost_runs INTEGER NOT NULL DEFAULT 0",
        ]
    }

    static func fill(_ level: Level) -> String {
        let hour = level.hasHour ? "\(V4Rollups.hour("")) AS hour, " : ""
        let hourMatch = level.hasHour ? " AND \(level.table).hour = costs.hour" : ""
        return """
            UPDATE \(level.table) SET cost_nanodollars = costs.nanodollars, cost_runs = costs.runs
            FROM (
              SELECT skill_id, \(hour)ifnull(version, 0) AS version, ifnull(model, 0) AS model,
                     SUM(\(nanodollars(""))) AS nanodollars, COUNT(\(nanodollars(""))) AS runs
              FROM skill_metrics
              WHERE \(V4Rollups.isValid("")) AND \(nanodollars("")) IS NOT NULL
              GROUP BY 1, 2, 3\(level.hasHour ? ", 4" : "")
            ) AS costs
            WHERE \(level.table).skill_id = costs.skill_id\(hourMatch)
              AND \(level.table).version = costs.version AND \(level.table).model = costs.model
            """
    }

    static let index = """
        DROP INDEX IF EXISTS idx_skill_runs;
        CREATE INDEX idx_skill_runs ON skill_metrics(
          skill_id, execution_ms, tokens_in, tokens_out, success, timestamp,
          tokens_estimated, cache_read_tokens, cache_creation_tokens, version, model, tokens_known, cost_usd)
        """

    // MARK: Triggers

    static var triggers: [String] {
        let (new, old) = ("NEW.", "OLD.")
        func hasCost(_ row: String) -> String { "\(V4Rollups.isValid(row)) AND \(nanodollars(row)) IS NOT NULL" }
        let levels = V4Rollups.levels
        return [
            V4Rollups.trigger("skill_rollups_cost_insert", on: "INSERT", when: hasCost(new),
                              body: levels.map { adding(new, to: $0, if: "1") }),
            V4Rollups.trigger("skill_rollups_cost_delete", on: "DELETE", when: hasCost(old),
                              body: levels.map { removing(old, from: $0) }),
            V4Rollups.trigger(
                "skill_rollups_cost_update", on: "UPDATE OF \(V4Rollups.measuredColumns), tokens_known, cost_usd",
                when: "(\(hasCost(old))) OR (\(hasCost(new)))",
                body: levels.map { removing(old, from: $0, if: hasCost(old)) }
                    + levels.map { adding(new, to: $0, if: hasCost(new)) }),
        ]
    }

    /// Adds a row's cost to its group (creating the group if no trigger did yet), when `condition` holds.
    static func adding(_ r: String, to level: Level, if condition: String) -> String {
        let keys = V4Rollups.keyColumns(level)
        return """
            INSERT INTO \(level.table) (\(keys), cost_nanodollars, cost_runs)
            SELECT \(V4Rollups.keyValues(r, level)), \(nanodollars(r)), 1
            WHERE \(condition)
            ON CONFLICT (\(keys)) DO UPDATE SET
              cost_nanodollars = cost_nanodollars + excluded.cost_nanodollars, cost_runs = cost_runs + 1
            """
    }

    /// Takes a row's cost out of its group, when `condition` holds; a group dropped already is left alone.
    static func removing(_ r: String, from level: Level, if condition: String = "1") -> String {
        """
        UPDATE \(level.table) SET cost_nanodollars = cost_nanodollars - \(nanodollars(r)), cost_runs = cost_runs - 1
        WHERE \(V4Rollups.keyMatch(r, level)) AND \(condition)
        """
    }
}
