// MARK: - Migration v6-execution-time-counts

// The SQL of the released migration `v6-execution-time-counts`: per skill,
// execution time, version and model, how many valid runs took that time, so
// that the exact percentiles of a skill's whole history (or of one version or
// model of it) are read without reading its runs (docs/SCHEMA.md, "Rollups").
// As in the rollups, a run without a version or model counts under the
// integer 0, which no text value equals. Like every released migration it never changes;
// it reuses the frozen rules of the store and trigger guard of `v4-rollups`.
//
// Counts add and subtract exactly, so the triggers that keep them in step with
// other tools' writes need no stale marks. Skill Forge's writing connection has
// triggers off and keeps the counts itself (Rollups+ExecutionTimes.swift).

extension Schema {
    /// The SQL of migration `v6-execution-time-counts`.
    static let executionTimeCountsMigrationSQL: String = V6ExecutionTimes.sql
}

private enum V6ExecutionTimes {
    static var sql: String {
        ([table, fill] + triggers).joined(separator: ";\n") + ";"
    }

    static let table = """
        CREATE TABLE skill_execution_time_counts (
          skill_id TEXT NOT NULL,
          execution_ms INTEGER NOT NULL,
          version NOT NULL,
          model NOT NULL,
          runs INTEGER NOT NULL,
          PRIMARY KEY (skill_id, execution_ms, version, model)
        ) WITHOUT ROWID;
        CREATE INDEX skill_execution_time_counts_spent ON skill_execution_time_counts(skill_id) WHERE runs <= 0
        """

    /// Reads idx_skill_runs in its own order (skill, then time): no sort.
    static let fill = """
        INSERT INTO skill_execution_time_counts (skill_id, execution_ms, version, model, runs)
        SELECT skill_id, execution_ms, ifnull(version, 0), ifnull(model, 0), COUNT(*)
        FROM skill_metrics WHERE \(V4Rollups.isValid(""))
        GROUP BY skill_id, execution_ms, version, model
        """

    static var triggers: [String] {
        let (new, old) = ("NEW.", "OLD.")
        return [
            trigger("skill_execution_times_insert", on: "INSERT", when: V4Rollups.isValid(new), body: [counting(new, if: "1")]),
            trigger("skill_execution_times_delete", on: "DELETE", when: V4Rollups.isValid(old), body: uncounting(old, if: "1")),
            trigger(
                "skill_execution_times_update", on: "UPDATE OF \(V4Rollups.measuredColumns)", when: nil,
                body: uncounting(old, if: V4Rollups.isValid(old)) + [counting(new, if: V4Rollups.isValid(new))]),
        ]
    }

    static func trigger(_ name: String, on event: String, when condition: String?, body: [String]) -> String {
        """
        CREATE TRIGGER \(name) AFTER \(event) ON skill_metrics
        WHEN \(V4Rollups.notSuspended)\(condition.map { " AND \($0)" } ?? "")
        BEGIN
        \(body.map { $0 + ";" }.joined(separator: "\n"))
        END
        """
    }

    /// Counts a valid row's execution time, when `condition` holds (the WHERE
    /// clause also keeps SQLite from reading ON CONFLICT as a join constraint).
    static func counting(_ row: String, if condition: String) -> String {
        """
        INSERT INTO skill_execution_time_counts (skill_id, execution_ms, version, model, runs)
        SELECT \(row)skill_id, \(row)execution_ms, ifnull(\(row)version, 0), ifnull(\(row)model, 0), 1 WHERE \(condition)
        ON CONFLICT (skill_id, execution_ms, version, model) DO UPDATE SET runs = runs + 1
        """
    }

    /// Takes a valid row's execution time out of the counts, when `condition` holds.
    static func uncounting(_ row: String, if condition: String) -> [String] {
        let match = """
            skill_id = \(row)skill_id AND execution_ms = \(row)execution_ms \
            AND version = ifnull(\(row)version, 0) AND model = ifnull(\(row)model, 0)
            """
        return [
            "UPDATE skill_execution_time_counts SET runs = runs - 1 WHERE \(match) AND \(condition)",
            "DELETE FROM skill_execution_time_counts WHERE \(match) AND runs = 0",
        ]
    }
}
