import SkillForge

// MARK: - Tables and triggers

extension PostgresRollups {
    static func createTable(_ level: Level) -> String {
        let keys = level.groups.map { "\($0.name) \($0.type) NOT NULL" }
        let measures = Measure.allCases.map { "\($0.column) \($0.type) NOT NULL" }
        return """
            CREATE TABLE \(level.table) (
              \((keys + ["slot SMALLINT NOT NULL"] + measures).joined(separator: ",\n  ")),
              PRIMARY KEY (\(level.keyColumns))
            )
            """
    }

    /// The trigger functions that keep `levels`, created or replaced.
    static func functions(keeping levels: [Level]) -> [String] {
        func function(_ name: String, _ body: String) -> String {
            """
            CREATE OR REPLACE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
              \(body);
              RETURN NULL;
            END $$
            """
        }
        return [
            function("skill_rollups_add", levels.map { upsert($0, groupsOf: "added_rows") }.joined(separator: ";\n  ")),
            function("skill_rollups_recount_deleted", recount(levels, keys: keys(of: "removed_rows"))),
            function(
                "skill_rollups_recount_updated",
                recount(levels, keys: keys(of: "removed_rows") + " UNION " + keys(of: "added_rows"))),
        ]
    }

    static let triggers = [
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
    ]

    // MARK: - Statements

    private static let measureColumns = Measure.allCases.map(\.column).joined(separator: ", ")

    /// The hourly groups of the rows of `rows` (a table or a transition table).
    private static func keys(of rows: String) -> String {
        "SELECT " + Level.hourly.groups.map { "\($0.ofRow) AS \($0.name)" }.joined(separator: ", ") + " FROM \(rows)"
    }

    /// Adds the groups of the rows `source` selects (a table, or a parenthesised query with an
    /// alias) to `level`'s rollups, in key order, into the writing session's slot.
    static func upsert(_ level: Level, groupsOf source: String) -> String {
        let group = level.groups.map(\.ofRow).joined(separator: ", ")
        let positions = level.groupPositions
        return """
            INSERT INTO \(level.table) (\(level.keyColumns), \(measureColumns)) \
            SELECT \(group), \(slot), \(Measure.allCases.map(\.aggregate).joined(separator: ", ")) \
            FROM \(source) GROUP BY \(positions) ORDER BY \(positions) \
            ON CONFLICT (\(level.keyColumns)) DO UPDATE SET \
            \(Measure.allCases.map { "\($0.column) = \($0.combined(in: level.table))" }.joined(separator: ", "))
            """
    }

    /// Adds up `source`'s groups that `condition` selects into `target`'s (coarser) groups, in
    /// slot 0: the rows of `target` for them must be gone.
    static func addUp(_ source: Level, into target: Level, where condition: String) -> String {
        let positions = target.groupPositions
        return """
            INSERT INTO \(target.table) (\(target.keyColumns), \(measureColumns)) \
            SELECT \(target.groupColumns.joined(separator: ", ")), 0, \(Measure.allCases.map(\.addedUp).joined(separator: ", ")) \
            FROM \(source.table) WHERE \(condition) GROUP BY \(positions) ORDER BY \(positions)
            """
    }

    /// Computes the groups of `levels` that `keys` (hourly groups) touch again: the hours' from the
    /// rows, then the all-time groups from the hours'; each removed, then added again.
    private static func recount(_ levels: [Level], keys: String) -> String {
        // The rows of the hourly groups `keys` names: the hour as a range of `timestamp` (and the
        // skill in the index's collation), so that `idx_skill_runs` finds them.
        let matching = """
            skill_metrics.skill_id COLLATE "C" = k.skill_id \
            AND skill_metrics.timestamp >= k.hour * \(hour) AND skill_metrics.timestamp < (k.hour + 1) * \(hour) \
            AND \(versionKey) = k.version_key AND \(modelKey) = k.model_key
            """
        func removal(_ level: Level) -> String {
            let same = level.groupColumns.map { "r.\($0) = k.\($0)" }.joined(separator: " AND ")
            return "DELETE FROM \(level.table) r USING (\(keys)) k WHERE \(same)"
        }
        var statements = ["LOCK TABLE \(Level.hourly.table) IN SHARE ROW EXCLUSIVE MODE"]
        for level in levels {
            statements.append(removal(level))
            switch level {
            case .hourly:
                statements.append(
                    upsert(
                        .hourly,
                        groupsOf: "(SELECT skill_metrics.* FROM skill_metrics JOIN (SELECT DISTINCT * FROM (\(keys)) AS all_keys) k ON \(matching)) AS recounted"
                    ))
            case .allTime:
                let group = Level.allTime.groupColumns.joined(separator: ", ")
                statements.append(addUp(.hourly, into: .allTime, where: "(\(group)) IN (SELECT \(group) FROM (\(keys)) AS k)"))
            }
        }
        return statements.joined(separator: ";\n  ")
    }
}
