import PostgresNIO
import SkillForge

/// The rollups of a PostgreSQL store, kept by triggers in the transaction that writes
/// the runs, so that they never disagree with `skill_metrics`, whoever writes (many
/// collectors at once, `psql`, a `COPY`):
///
/// - `skill_rollups`: the totals of the runs of each skill, hour, version and model,
///   which answer windows (the rows answer for the parts of hours at a window's ends);
/// - `skill_rollups_all_time`: the same per skill, version and model, which answer
///   every question without a window in a few thousand rows, however long the history.
///
/// How the triggers keep them (``Level``, ``Measure``):
///
/// - An `INSERT` adds its rows' totals to their groups at each level: one upsert per
///   level and statement, from the statement's transition table, in key order (so that
///   concurrent writers lock the groups they share in the same order).
/// - A `DELETE` or an `UPDATE` computes its groups again (the smallest and largest values
///   cannot be subtracted): the hours' from the rows, then the all-time groups from the
///   hours'. It first locks `skill_rollups` against other writers of rollups (`SHARE ROW
///   EXCLUSIVE`), so that a writer's runs are counted either by the writer, after the
///   recount commits, or by the recount, once the writer has committed; never by both,
///   never by neither. Inserts meanwhile wait: deletes and updates are maintenance.
///
/// The functions keep the search path they were created with (the store's schema), so a
/// writer with another (`INSERT INTO team_a.skill_metrics` from `psql`) updates the same
/// schema's rollups.
///
/// A group has a row per ``slots``: concurrent writers add to different rows, and reads
/// add them up. `version` and `model` are keyed as `''` for none and `'v'` or `'m'` before
/// the value otherwise, so that a primary key tells NULL and `''` apart.
enum PostgresRollups {
    /// The width of an hourly group, in milliseconds.
    static let hour: Int64 = 3_600_000

    // MARK: - Migrations

    /// `skill_rollups`, its triggers, filled from the rows.
    static var migration: PostgresSchema.Migration {
        var sql: [String] = [createTable(.hourly)]
        sql += functions(keeping: [.hourly])
        sql += triggers
        sql.append(upsert(.hourly, groupsOf: "skill_metrics"))
        return PostgresSchema.Migration(name: "v2-rollups", sql: sql)
    }

    /// `skill_rollups_all_time`, filled from `skill_rollups`, and the functions that keep both.
    /// Writers wait for it (the lock on `skill_metrics`): each runs the old functions or the new.
    static var allTimeMigration: PostgresSchema.Migration {
        var sql: [String] = ["LOCK TABLE skill_metrics IN SHARE ROW EXCLUSIVE MODE", createTable(.allTime)]
        sql += functions(keeping: Level.allCases)
        sql.append(addUp(.hourly, into: .allTime, where: "TRUE"))
        return PostgresSchema.Migration(name: "v3-rollups-all-time", sql: sql)
    }

    // MARK: - Levels

    /// A table of rollups and the groups it keeps.
    enum Level: CaseIterable {
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

        /// A column that names a group: its type, and its value for a row of `skill_metrics`.
        struct GroupColumn {
            var name: String
            var type: String
            var ofRow: String
        }

        /// The columns that name a group (the slot aside), in key order.
        var groups: [GroupColumn] {
            let skill = GroupColumn(name: "skill_id", type: "TEXT", ofRow: "skill_id")
            let version = GroupColumn(name: "version_key", type: "TEXT", ofRow: versionKey)
            let model = GroupColumn(name: "model_key", type: "TEXT", ofRow: modelKey)
            switch self {
            case .hourly: return [skill, GroupColumn(name: "hour", type: "BIGINT", ofRow: "timestamp / \(hour)"), version, model]
            case .allTime: return [skill, version, model]
            }
        }

        var groupColumns: [String] { groups.map(\.name) }

        /// `1, 2, …`: the group's positions in a `SELECT` that begins with it, for `GROUP BY` and `ORDER BY`.
        var groupPositions: String { groups.indices.map { "\($0 + 1)" }.joined(separator: ", ") }

        var keyColumns: String { (groupColumns + ["slot"]).joined(separator: ", ") }
    }

    // MARK: - Keys

    /// How many rows a group may take, one per slot: a writing session adds to its own slot
    /// (its backend's process id modulo this), so concurrent writers seldom wait for each
    /// other's locks on the groups of the current hour. Reads add the slots up.
    static let slots = 8
    static let slot = "pg_backend_pid() % \(slots)"

    static let versionKey = "CASE WHEN version IS NULL THEN '' ELSE 'v' || version END"
    static let modelKey = "CASE WHEN model IS NULL THEN '' ELSE 'm' || model END"

    /// The version a `version_key` (or the model a `model_key`) stands for.
    static func value(ofKey key: String) -> String? {
        key.isEmpty ? nil : String(key.dropFirst())
    }
}
