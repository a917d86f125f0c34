// MARK: - Migration v9-tokens-known

// The SQL of the released migration `v9-tokens-known`: a run whose tokens are
// unknown (a tool span without usage, a transcript from before skills were
// attributed) is marked `tokens_known = 0` instead of passing for a measured 0.
// NULL, the value of every older row and of every row another tool writes with
// the seed's columns only, means known, as does any value but 0
// (docs/SCHEMA.md, "Unknown tokens"). Like every released migration it never
// changes; it reuses the frozen rules of the store and trigger pieces of `v4-rollups`.
//
// What it does:
// - adds the column, and appends it to the covering index `idx_skill_runs`
//   (rebuilt once), so that the analysis keeps reading the index alone; a file
//   whose index or triggers someone dropped (`IF EXISTS`) gets them all back;
// - adds `token_runs` (valid runs with known tokens) to both rollup tables,
//   filled with `runs`: every row stored so far has known tokens;
// - replaces the rollup triggers of v4 with ones that count `token_runs` and add
//   a row's tokens, cache tokens and estimate mark only when its tokens are known.
// The triggers of v6 (execution times) do not depend on tokens and stay.

extension Schema {
    /// The SQL of migration `v9-tokens-known`.
    static let tokensKnownMigrationSQL: String = V9TokensKnown.sql
}

private enum V9TokensKnown {
    typealias Level = V4Rollups.Level

    static var sql: String {
        ([column, index] + V4Rollups.levels.flatMap(rollupColumn) + droppedTriggers + triggers)
            .joined(separator: ";\n") + ";"
    }

    static let column = "ALTER TABLE skill_metrics ADD COLUMN tokens_known BOOLEAN"

    static let index = """
        DROP INDEX IF EXISTS idx_skill_runs;
        CREATE INDEX idx_skill_runs ON skill_metrics(
          skill_id, execution_ms, tokens_in, tokens_out, success, timestamp,
          tokens_estimated, cache_read_tokens, cache_creation_tokens, version, model, tokens_known)
        """

    static func rollupColumn(_ level: Level) -> [String] {
        [
            "ALTER TABLE \(level.table) ADD COLUMN token_runs INTEGER NOT NULL DEFAULT 0",
            "UPDATE \(level.table) SET token_runs = runs",
        ]
    }

    static let droppedTriggers = [
        "skill_rollups_insert_valid", "skill_rollups_insert_invalid", "skill_rollups_delete_valid",
        "skill_rollups_delete_invalid", "skill_rollups_update",
    ].map { "DROP TRIGGER IF EXISTS \($0)" }

    // MARK: Token rules as of v9

    /// Whether the tokens of `row` (`NEW.`, `OLD.`) are known: anything but 0.
    static func known(_ row: String) -> String { "(\(row)tokens_known IS NOT 0)" }

    /// `value` for a row with known tokens, 0 for the others.
    static func ifKnown(_ row: String, _ value: String) -> String {
        "CASE WHEN \(known(row)) THEN \(value) ELSE 0 END"
    }

    /// The token measures and a row's part of each: only runs with known tokens add to them.
    static func tokenMeasures(_ r: String) -> [(column: String, value: String)] {
        [
            ("tokens_in_sum", ifKnown(r, "\(r)tokens_in")), ("tokens_out_sum", ifKnown(r, "\(r)tokens_out")),
            ("cache_read_tokens_sum", ifKnown(r, "ifnull(\(r)cache_read_tokens, 0)")),
            ("cache_creation_tokens_sum", ifKnown(r, "ifnull(\(r)cache_creation_tokens, 0)")),
            ("estimated_runs", ifKnown(r, "ifnull(\(r)tokens_estimated, 0)")),
            ("token_runs", ifKnown(r, "1")),
        ]
    }

    // MARK: Triggers

    static var triggers: [String] {
        let (new, old) = ("NEW.", "OLD.")
        let isValid = V4Rollups.isValid
        let levels = V4Rollups.levels
        return [
            V4Rollups.trigger("skill_rollups_insert_valid", on: "INSERT", when: isValid(new),
                              body: levels.map { addingValid(new, to: $0, if: "1") }),
            V4Rollups.trigger("skill_rollups_insert_invalid", on: "INSERT", when: "NOT \(isValid(new))",
                              body: levels.map { V4Rollups.addingInvalid(new, to: $0, if: "1") }),
            V4Rollups.trigger("skill_rollups_delete_valid", on: "DELETE", when: isValid(old),
                              body: levels.flatMap { removingValid(old, from: $0, if: "1") }),
            V4Rollups.trigger("skill_rollups_delete_invalid", on: "DELETE", when: "NOT \(isValid(old))",
                              body: levels.flatMap { V4Rollups.removingInvalid(old, from: $0, if: "1") }),
            V4Rollups.trigger(
                "skill_rollups_update", on: "UPDATE OF \(V4Rollups.measuredColumns), tokens_known", when: nil,
                body: levels.flatMap { level in
                    removingValid(old, from: level, if: isValid(old))
                        + V4Rollups.removingInvalid(old, from: level, if: "NOT \(isValid(old))")
                } + levels.flatMap { level in
                    [addingValid(new, to: level, if: isValid(new)),
                     V4Rollups.addingInvalid(new, to: level, if: "NOT \(isValid(new))")]
                }),
        ]
    }

    /// Adds a valid row's measures to its group, when `condition` holds.
    static func addingValid(_ r: String, to level: Level, if condition: String) -> String {
        let keys = V4Rollups.keyColumns(level)
        let tokens = tokenMeasures(r)
        func smaller(_ column: String) -> String { "\(column) = min(ifnull(\(column), excluded.\(column)), excluded.\(column))" }
        func larger(_ column: String) -> String { "\(column) = max(ifnull(\(column), excluded.\(column)), excluded.\(column))" }
        let sums = (["failures", "execution_ms_sum", "execution_ms_squares"] + tokens.map(\.column))
            .map { "\($0) = \($0) + excluded.\($0)" }
        let updates = ["runs = runs + 1"] + sums
            + [smaller("execution_ms_min"), larger("execution_ms_max"), smaller("first_run"), larger("last_run")]
        let columns = [
            "runs", "failures", "execution_ms_sum", "execution_ms_squares", "execution_ms_min", "execution_ms_max",
            "first_run", "last_run",
        ] + tokens.map(\.column)
        let values = [
            "1", "\(r)success = 0", "\(r)execution_ms", "CAST(\(r)execution_ms AS REAL) * \(r)execution_ms",
            "\(r)execution_ms", "\(r)execution_ms", "\(r)timestamp", "\(r)timestamp",
        ] + tokens.map(\.value)
        // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
        return """
            INSERT INTO \(level.table) (\(keys), \(columns.joined(separator: ", ")))
            SELECT \(V4Rollups.keyValues(r, level)), \(values.joined(separator: ", "))
            WHERE \(condition)
            ON CONFLICT (\(keys)) DO UPDATE SET \(updates.joined(separator: ", "))
            """
    }

    /// Takes a valid row out of its group, when `condition` holds, and drops the
    /// group once empty; a row that held an extreme marks the group stale, as in v4.
    static func removingValid(_ r: String, from level: Level, if condition: String) -> [String] {
        let extremes = ["execution_ms_min", "execution_ms_max", "first_run", "last_run"]
            .map { "\($0) = CASE WHEN runs > 1 THEN \($0) END" }
        let updates = [
            "runs = runs - 1", "failures = failures - (\(r)success = 0)",
            "execution_ms_sum = execution_ms_sum - \(r)execution_ms",
            "execution_ms_squares = execution_ms_squares - CAST(\(r)execution_ms AS REAL) * \(r)execution_ms",
        ] + tokenMeasures(r).map { "\($0.column) = \($0.column) - (\($0.value))" } + [
            """
            stale = runs > 1 AND (stale OR \(r)execution_ms IN (execution_ms_min, execution_ms_max) \
            OR \(r)timestamp IN (first_run, last_run))
            """,
        ] + extremes
        return [
            "UPDATE \(level.table) SET \(updates.joined(separator: ", ")) WHERE \(V4Rollups.keyMatch(r, level)) AND \(condition)",
            V4Rollups.removingEmpty(r, from: level),
        ]
    }
}
