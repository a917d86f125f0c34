// MARK: - Migration v4-rollups

// The SQL of the released migration `v4-rollups`, built once from the pieces
// below. Like every released migration it never changes: it does not use
// `MetricLimits`, `SkillMetrics.isStoredValid` or any other app code, but
// spells out the rules of the store as they were when it was released. A later
// change to those rules or to the rollup columns is a new migration that
// replaces the triggers and refills the tables.
//
// What it creates (docs/SCHEMA.md, "Rollups"):
// - `skill_rollups`: totals per skill, hour, version and model;
//   `skill_rollups_all_time`: the same per skill, version and model.
//   `version` and `model` are the runs' own values, or the integer 0 for runs
//   without one: a TEXT column such as `skill_metrics.version` never holds an
//   integer, so 0 cannot collide with a version, and NULL and '' stay apart
//   under a primary key that an upsert can match.
// - Triggers that keep both in step with rows other tools write (the sqlite3
//   shell, the seed's code), unless a row of `skill_rollups_suspended` says
//   that the writing transaction maintains them by hand.
// - Both tables filled from the rows already stored.
//
// Only SQL that SQLite 3.24 (2018, the first with upserts) understands, since
// every tool that writes the file parses the triggers.

extension Schema {
    /// The SQL of migration `v4-rollups`.
    static let rollupsMigrationSQL: String = V4Rollups.sql
}

/// The pieces of migration `v4-rollups`, frozen with it (v6 reuses its rules of the store and trigger guard).
enum V4Rollups {
    /// A rollup table and whether its groups are hours.
    struct Level {
        var table: String
        var hasHour: Bool
    }

    static let hourly = Level(table: "skill_rollups", hasHour: true)
    static let allTime = Level(table: "skill_rollups_all_time", hasHour: false)
    static let levels = [hourly, allTime]

    static var sql: String {
        ([tables, fillHourly, fillAllTime] + triggers).joined(separator: ";\n") + ";"
    }

    // MARK: Rules as of v4

    /// Whether the values of `row` (`NEW.`, `OLD.`, or `""` for a table's columns)
    /// follow the rules of the store: `SkillMetrics.isStoredValid` as of v4.
    static func isValid(_ row: String) -> String {
        let tokens = "0 AND 1000000000000"
        let sum = ["execution_ms", "tokens_in", "tokens_out", "success", "timestamp"].map { row + $0 }
            + ["tokens_estimated", "cache_read_tokens", "cache_creation_tokens"].map { "ifnull(\(row)\($0), 0)" }
        return """
            (typeof(\(row)skill_id) = 'text' AND typeof(\(sum.joined(separator: " + "))) = 'integer' \
            AND \(row)execution_ms BETWEEN 0 AND 2592000000 \
            AND \(row)tokens_in BETWEEN \(tokens) AND \(row)tokens_out BETWEEN \(tokens) \
            AND \(row)success BETWEEN 0 AND 1 AND \(row)timestamp BETWEEN 946684800000 AND 4102444799999 \
            AND ifnull(\(row)tokens_estimated, 0) BETWEEN 0 AND 1 \
            AND ifnull(\(row)cache_read_tokens, 0) BETWEEN \(tokens) \
            AND ifnull(\(row)cache_creation_tokens, 0) BETWEEN \(tokens))
            """
    }

    /// The hour a row falls in: its timestamp divided by 3,600,000, floored. A
    /// REAL timestamp counts by its integer part; TEXT and BLOB ones (which SQLite
    /// orders after every number) in the last hour there is.
    static func hour(_ row: String) -> String {
        let milliseconds = "CAST(\(row)timestamp AS INTEGER)"
        return """
            CASE WHEN typeof(\(row)timestamp) IN ('integer', 'real') \
            THEN \(milliseconds) / 3600000 - (\(milliseconds) % 3600000 < 0) ELSE 9223372036854775807 END
            """
    }

    // MARK: Tables

    static let measuresDDL = """
        runs INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        execution_ms_sum INTEGER NOT NULL DEFAULT 0,
        execution_ms_squares REAL NOT NULL DEFAULT 0,
        execution_ms_min INTEGER,
        execution_ms_max INTEGER,
        tokens_in_sum INTEGER NOT NULL DEFAULT 0,
        tokens_out_sum INTEGER NOT NULL DEFAULT 0,
        cache_read_tokens_sum INTEGER NOT NULL DEFAULT 0,
        cache_creation_tokens_sum INTEGER NOT NULL DEFAULT 0,
        estimated_runs INTEGER NOT NULL DEFAULT 0,
        first_run INTEGER,
        last_run INTEGER,
        invalid_runs INTEGER NOT NULL DEFAULT 0,
        stale INTEGER NOT NULL DEFAULT 0
        """

    static let tables = """
        CREATE TABLE skill_rollups (
          skill_id TEXT NOT NULL,
          hour INTEGER NOT NULL,
          version NOT NULL,
          model NOT NULL,
          \(measuresDDL),
          PRIMARY KEY (skill_id, hour, version, model)
        ) WITHOUT ROWID;
        CREATE INDEX skill_rollups_stale ON skill_rollups(skill_id, hour) WHERE stale = 1;
        CREATE TABLE skill_rollups_all_time (
          skill_id TEXT NOT NULL,
          version NOT NULL,
          model NOT NULL,
          \(measuresDDL),
          PRIMARY KEY (skill_id, version, model)
        ) WITHOUT ROWID;
        CREATE INDEX skill_rollups_all_time_stale ON skill_rollups_all_time(skill_id) WHERE stale = 1;
        CREATE TABLE skill_rollups_suspended (marker INTEGER PRIMARY KEY CHECK (marker = 1))
        """

    /// The measures a valid run adds to.
    static let validMeasures = """
        runs, failures, execution_ms_sum, execution_ms_squares, execution_ms_min, execution_ms_max, \
        tokens_in_sum, tokens_out_sum, cache_read_tokens_sum, cache_creation_tokens_sum, estimated_runs, \
        first_run, last_run
        """

    static let measures = validMeasures + ", invalid_runs"

    // MARK: Filling

    static let fillHourly = """
        INSERT INTO skill_rollups (skill_id, hour, version, model, \(measures))
        SELECT skill_id, hour, version, model,
               SUM(valid), SUM(valid AND success = 0),
               ifnull(SUM(CASE WHEN valid THEN execution_ms END), 0),
               TOTAL(CASE WHEN valid THEN CAST(execution_ms AS REAL) * execution_ms END),
               MIN(CASE WHEN valid THEN execution_ms END), MAX(CASE WHEN valid THEN execution_ms END),
               ifnull(SUM(CASE WHEN valid THEN tokens_in END), 0), ifnull(SUM(CASE WHEN valid THEN tokens_out END), 0),
               ifnull(SUM(CASE WHEN valid THEN ifnull(cache_read_tokens, 0) END), 0),
               ifnull(SUM(CASE WHEN valid THEN ifnull(cache_creation_tokens, 0) END), 0),
               ifnull(SUM(CASE WHEN valid THEN ifnull(tokens_estimated, 0) END), 0),
               MIN(CASE WHEN valid THEN timestamp END), MAX(CASE WHEN valid THEN timestamp END),
               SUM(NOT valid)
        FROM (SELECT skill_id, \(hour("")) AS hour, ifnull(version, 0) AS version, ifnull(model, 0) AS model,
                     \(isValid("")) AS valid,
                     execution_ms, tokens_in, tokens_out, success, timestamp,
                     tokens_estimated, cache_read_tokens, cache_creation_tokens
              FROM skill_metrics)
        GROUP BY skill_id, hour, version, model
        """

    static let fillAllTime = """
        INSERT INTO skill_rollups_all_time (skill_id, version, model, \(measures))
        SELECT skill_id, version, model,
               SUM(runs), SUM(failures), SUM(execution_ms_sum), TOTAL(execution_ms_squares),
               MIN(execution_ms_min), MAX(execution_ms_max), SUM(tokens_in_sum), SUM(tokens_out_sum),
               SUM(cache_read_tokens_sum), SUM(cache_creation_tokens_sum), SUM(estimated_runs),
               MIN(first_run), MAX(last_run), SUM(invalid_runs)
        FROM skill_rollups
        GROUP BY skill_id, version, model
        """

    // MARK: Triggers

    static let notSuspended = "NOT EXISTS (SELECT 1 FROM skill_rollups_suspended)"

    /// The columns of `skill_metrics` whose change moves a row's totals.
    static let measuredColumns = """
        skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, model, \
        tokens_estimated, cache_read_tokens, cache_creation_tokens
        """

    /// Inserts and deletes have a trigger for valid rows and one for the others,
    /// so that a row's validity is checked once (in the `WHEN` clause) and only
    /// the statements that apply run. An update, rarer, checks in each statement.
    static var triggers: [String] {
        let (new, old) = ("NEW.", "OLD.")
        return [
            trigger("skill_rollups_insert_valid", on: "INSERT", when: isValid(new),
                    body: levels.map { addingValid(new, to: $0, if: "1") }),
            trigger("skill_rollups_insert_invalid", on: "INSERT", when: "NOT \(isValid(new))",
                    body: levels.map { addingInvalid(new, to: $0, if: "1") }),
            trigger("skill_rollups_delete_valid", on: "DELETE", when: isValid(old),
                    body: levels.flatMap { removingValid(old, from: $0, if: "1") }),
            trigger("skill_rollups_delete_invalid", on: "DELETE", when: "NOT \(isValid(old))",
                    body: levels.flatMap { removingInvalid(old, from: $0, if: "1") }),
            trigger(
                "skill_rollups_update", on: "UPDATE OF \(measuredColumns)", when: nil,
                body: levels.flatMap { level in
                    removingValid(old, from: level, if: isValid(old))
                        + removingInvalid(old, from: level, if: "NOT \(isValid(old))")
                } + levels.flatMap { level in
                    [addingValid(new, to: level, if: isValid(new)), addingInvalid(new, to: level, if: "NOT \(isValid(new))")]
                }),
        ]
    }

    static func trigger(_ name: String, on event: String, when condition: String?, body: [String]) -> String {
        """
        CREATE TRIGGER \(name) AFTER \(event) ON skill_metrics
        WHEN \(notSuspended)\(condition.map { " AND \($0)" } ?? "")
        BEGIN
        \(body.map { $0 + ";" }.joined(separator: "\n"))
        END
        """
    }

    static func keyColumns(_ level: Level) -> String {
        level.hasHour ? "skill_id, hour, version, model" : "skill_id, version, model"
    }

    static func keyValues(_ row: String, _ level: Level) -> String {
        let hour = level.hasHour ? "\(self.hour(row)), " : ""
        return "\(row)skill_id, \(hour)ifnull(\(row)version, 0), ifnull(\(row)model, 0)"
    }

    static func keyMatch(_ row: String, _ level: Level) -> String {
        let hour = level.hasHour ? "hour = \(self.hour(row)) AND " : ""
        return "skill_id = \(row)skill_id AND \(hour)version = ifnull(\(row)version, 0) AND model = ifnull(\(row)model, 0)"
    }

    /// Adds a valid row's measures to its group, when `condition` holds.
    static func addingValid(_ row: String, to level: Level, if condition: String) -> String {
        let r = row
        let keys = keyColumns(level)
        func smaller(_ column: String) -> String { "\(column) = min(ifnull(\(column), excluded.\(column)), excluded.\(column))" }
        func larger(_ column: String) -> String { "\(column) = max(ifnull(\(column), excluded.\(column)), excluded.\(column))" }
        let sums = [
            "failures", "execution_ms_sum", "execution_ms_squares", "tokens_in_sum", "tokens_out_sum",
            "cache_read_tokens_sum", "cache_creation_tokens_sum", "estimated_runs",
        ].map { "\($0) = \($0) + excluded.\($0)" }
        let updates = ["runs = runs + 1"] + sums
            + [smaller("execution_ms_min"), larger("execution_ms_max"), smaller("first_run"), larger("last_run")]
        // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
        return """
            INSERT INTO \(level.table) (\(keys), \(validMeasures))
            SELECT \(keyValues(r, level)), 1, \(r)success = 0, \(r)execution_ms,
                   CAST(\(r)execution_ms AS REAL) * \(r)execution_ms, \(r)execution_ms, \(r)execution_ms,
                   \(r)tokens_in, \(r)tokens_out, ifnull(\(r)cache_read_tokens, 0), ifnull(\(r)cache_creation_tokens, 0),
                   ifnull(\(r)tokens_estimated, 0), \(r)timestamp, \(r)timestamp
            WHERE \(condition)
            ON CONFLICT (\(keys)) DO UPDATE SET \(updates.joined(separator: ", "))
            """
    }

    /// Counts an invalid row in its group, when `condition` holds.
    static func addingInvalid(_ row: String, to level: Level, if condition: String) -> String {
        let keys = keyColumns(level)
        return """
            INSERT INTO \(level.table) (\(keys), invalid_runs) SELECT \(keyValues(row, level)), 1
            WHERE \(condition)
            ON CONFLICT (\(keys)) DO UPDATE SET invalid_runs = invalid_runs + 1
            """
    }

    /// Takes a valid row out of its group, when `condition` holds, and drops the
    /// group once empty. The smallest and largest values cannot be taken back by
    /// subtraction, so a row that held one of them marks the group stale
    /// (readers then recompute its extremes, and Skill Forge's next write repairs it).
    static func removingValid(_ row: String, from level: Level, if condition: String) -> [String] {
        let r = row
        let extremes = ["execution_ms_min", "execution_ms_max", "first_run", "last_run"]
            .map { "\($0) = CASE WHEN runs > 1 THEN \($0) END" }
        let updates = [
            "runs = runs - 1", "failures = failures - (\(r)success = 0)",
            "execution_ms_sum = execution_ms_sum - \(r)execution_ms",
            "execution_ms_squares = execution_ms_squares - CAST(\(r)execution_ms AS REAL) * \(r)execution_ms",
            "tokens_in_sum = tokens_in_sum - \(r)tokens_in", "tokens_out_sum = tokens_out_sum - \(r)tokens_out",
            "cache_read_tokens_sum = cache_read_tokens_sum - ifnull(\(r)cache_read_tokens, 0)",
            "cache_creation_tokens_sum = cache_creation_tokens_sum - ifnull(\(r)cache_creation_tokens, 0)",
            "estimated_runs = estimated_runs - ifnull(\(r)tokens_estimated, 0)",
            """
            stale = runs > 1 AND (stale OR \(r)execution_ms IN (execution_ms_min, execution_ms_max) \
            OR \(r)timestamp IN (first_run, last_run))
            """,
        ] + extremes
        return [
            "UPDATE \(level.table) SET \(updates.joined(separator: ", ")) WHERE \(keyMatch(r, level)) AND \(condition)",
            removingEmpty(r, from: level),
        ]
    }

    /// Takes an invalid row out of its group, when `condition` holds, and drops the group once empty.
    static func removingInvalid(_ row: String, from level: Level, if condition: String) -> [String] {
        [
            "UPDATE \(level.table) SET invalid_runs = invalid_runs - 1 WHERE \(keyMatch(row, level)) AND \(condition)",
            removingEmpty(row, from: level),
        ]
    }

    static func removingEmpty(_ row: String, from level: Level) -> String {
        "DELETE FROM \(level.table) WHERE \(keyMatch(row, level)) AND runs = 0 AND invalid_runs = 0"
    }
}
