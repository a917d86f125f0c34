import GRDB

/// The database schema, as an ordered list of migrations.
///
/// Migrations are append-only: a released migration is never edited, and
/// each schema change is a new named migration. They use SQL only, never
/// app types, so that they keep meaning the same thing forever.
enum Schema {
    /// The table every Skill Forge version reads and writes.
    static let tableName = "skill_metrics"

    /// The migrator that brings any Skill Forge database, including one
    /// created by the original seed's DDL, to the current schema.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        // The seed's DDL, verbatim. `IF NOT EXISTS` adopts a database that the
        // seed (or `sqlite3` with the seed's SQL) created, instead of failing.
        migrator.registerMigration("v1-seed-schema") { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS skill_metrics (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      skill_id TEXT NOT NULL,
                      execution_ms INTEGER NOT NULL,
                      tokens_in INTEGER NOT NULL,
                      tokens_out INTEGER NOT NULL,
                      success BOOLEAN NOT NULL,
                      timestamp INTEGER NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS idx_skill_id ON skill_metrics(skill_id);
                    CREATE INDEX IF NOT EXISTS idx_timestamp ON skill_metrics(timestamp);
                    """)
        }

        // Details real users need. Every column is nullable, so readers that
        // only know the seed's columns keep working.
        migrator.registerMigration("v2-execution-details") { db in
            try db.execute(
                sql: """
                    ALTER TABLE skill_metrics ADD COLUMN version TEXT;
                    ALTER TABLE skill_metrics ADD COLUMN model TEXT;
                    ALTER TABLE skill_metrics ADD COLUMN error TEXT;
                    ALTER TABLE skill_metrics ADD COLUMN tokens_estimated BOOLEAN;
                    ALTER TABLE skill_metrics ADD COLUMN cache_read_tokens INTEGER;
                    ALTER TABLE skill_metrics ADD COLUMN cache_creation_tokens INTEGER;
                    ALTER TABLE skill_metrics ADD COLUMN session_id TEXT;
                    ALTER TABLE skill_metrics ADD COLUMN run_id TEXT;
                    ALTER TABLE skill_metrics ADD COLUMN source TEXT;
                    ALTER TABLE skill_metrics ADD COLUMN metadata TEXT;
                    CREATE UNIQUE INDEX idx_run_id ON skill_metrics(run_id) WHERE run_id IS NOT NULL;
                    """)
        }

        // The analysis reads a skill's runs from this covering index alone, in
        // execution-time order: summaries, percentiles and comparisons never
        // touch the table (see docs/ANALYSIS.md for the measured cost).
        migrator.registerMigration("v3-skill-runs-index") { db in
            try db.execute(
                sql: """
                    CREATE INDEX idx_skill_runs ON skill_metrics(
                      skill_id, execution_ms, tokens_in, tokens_out, success, timestamp,
                      tokens_estimated, cache_read_tokens, cache_creation_tokens, version, model)
                    """)
        }

        // Totals per skill, version, model and hour, and over all time, kept in
        // step with the rows (docs/SCHEMA.md, "Rollups"), filled from the rows
        // already stored. The SQL is in Schema+RollupsMigration.swift.
        migrator.registerMigration("v4-rollups") { db in
            try db.execute(sql: Schema.rollupsMigrationSQL)
        }

        // The duplicate check looks a run up by an 8-byte key of its run id in a
        // small index, instead of by the run id itself in a unique one (three
        // times the bytes per row, see docs/SCHEMA.md). Two run ids may share a
        // key: the check compares run ids, so both are stored. Rows another tool
        // writes without a key are found through `idx_run_id_unkeyed`, which
        // holds only those (empty in normal use); a run id another tool changes
        // loses its stale key through the trigger, and is found the same way.
        //
        // The stored rows' keys come from `skill_forge_run_key`, registered for
        // this migration only: its definition (`RunKey`) is frozen, since every
        // stored key depends on it, so this migration keeps its meaning.
        migrator.registerMigration("v5-run-keys") { db in
            db.add(function: RunKey.sqlFunction)
            defer { db.remove(function: RunKey.sqlFunction) }
            try db.execute(
                sql: """
                    ALTER TABLE skill_metrics ADD COLUMN run_key INTEGER;
                    UPDATE skill_metrics SET run_key = skill_forge_run_key(run_id) WHERE run_id IS NOT NULL;
                    DROP INDEX IF EXISTS idx_run_id;
                    CREATE INDEX idx_run_key ON skill_metrics(run_key) WHERE run_key IS NOT NULL;
                    CREATE INDEX idx_run_id_unkeyed ON skill_metrics(run_id) WHERE run_key IS NULL AND run_id IS NOT NULL;
                    CREATE TRIGGER run_id_changed AFTER UPDATE OF run_id ON skill_metrics
                      WHEN NEW.run_key IS OLD.run_key AND NEW.run_id IS NOT OLD.run_id
                    BEGIN
                      UPDATE skill_metrics SET run_key = NULL WHERE id = NEW.id;
                    END;
                    """)
        }

        // Per skill, the valid runs per execution time: exact percentiles of a
        // skill's whole history without reading its runs, kept in step like the
        // rollups. The SQL is in Schema+ExecutionTimesMigration.swift.
        migrator.registerMigration("v6-execution-time-counts") { db in
            try db.execute(sql: Schema.executionTimeCountsMigrationSQL)
        }

        // What an execution cost in US dollars, as the agent reports it (Claude
        // Code's telemetry does). NULL is unknown, never 0. Not in the rollups
        // (yet): a later migration may add its sums.
        migrator.registerMigration("v7-cost") { db in
            try db.execute(sql: "ALTER TABLE skill_metrics ADD COLUMN cost_usd REAL")
        }

        // The keys of the telemetry events merged into runs (a 64-bit hash of
        // each log record's identity): an event whose key is here was merged
        // already, so a batch sent again adds nothing. The key is the rowid:
        // about 15 bytes an event (docs/SCHEMA.md).
        migrator.registerMigration("v8-merged-events") { db in
            try db.execute(sql: "CREATE TABLE merged_events (key INTEGER PRIMARY KEY)")
        }

        // Whether a run's tokens are known: `tokens_known = 0` marks a run whose
        // tokens nobody measured (its `tokens_in`/`tokens_out` hold 0), which the
        // token statistics and the rollups' token sums leave out; NULL (older
        // rows, other tools' rows) is known. The SQL is in Schema+TokensKnownMigration.swift.
        migrator.registerMigration("v9-tokens-known") { db in
            try db.execute(sql: Schema.tokensKnownMigrationSQL)
        }

        // Whether a run's cost was computed from a price list: `cost_estimated = 1`
        // marks a `cost_usd` that Skill Forge computed from the model and the
        // tokens (which `skill-forge reprice` may compute again); NULL is a cost
        // the source stated, or no cost. A stated cost is never replaced.
        migrator.registerMigration("v10-cost-estimated") { db in
            try db.execute(sql: "ALTER TABLE skill_metrics ADD COLUMN cost_estimated INTEGER")
        }

        // Costs in the rollups: per group, the valid runs whose cost is known and
        // the sum of their costs in whole nanodollars, filled from the rows; the
        // covering index gains `cost_usd`. The SQL is in Schema+RollupCostsMigration.swift.
        migrator.registerMigration("v11-rollup-costs") { db in
            try db.execute(sql: Schema.rollupCostsMigrationSQL)
        }

        // When each merged event started (Unix ms): `prune` forgets the keys of
        // events older than every run it keeps, so the table does not outgrow
        // the retention. Keys recorded before have NULL and are kept.
        migrator.registerMigration("v12-merged-event-times") { db in
            try db.execute(sql: "ALTER TABLE merged_events ADD COLUMN started INTEGER")
        }

        return migrator
    }()

    /// The identifiers of the migrations applied to `db` (known or not), from one snapshot.
    ///
    /// GRDB's `DatabaseMigrator.appliedIdentifiers` reads `grdb_migrations`
    /// and, when that fails, checks whether the table exists. Outside a
    /// snapshot, another process creating the same new database can create
    /// the table between the two, and the read fails with "no such table".
    /// Here the existence check comes first and starts the read transaction,
    /// so both statements see the same snapshot. Call it inside a read.
    static func appliedIdentifiers(_ db: Database) throws -> Set<String> {
        let hasMigrationsTable = try Bool.fetchOne(
            db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'") ?? false
        guard hasMigrationsTable else { return [] }
        return try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
    }
}
