import GRDB

// MARK: - What a file holds

/// What an existing SQLite file holds, as far as Skill Forge is concerned.
///
/// Opening a database inspects it first, through a read-only connection, so
/// that a file Skill Forge cannot use is refused before anything writes to it.
enum SchemaState: Equatable {
    /// No tables at all: a zero-byte file, or an SQLite file nobody has used yet.
    case empty
    /// A Skill Forge table whose migrations are all applied.
    case current
    /// A Skill Forge table from the seed or an older Skill Forge: `migrations`
    /// are still to be applied, and the table lacks `missingColumns` (in table order).
    case older(migrations: [String], missingColumns: [Schema.Column])
}

extension Schema {
    /// A column of `skill_metrics`, as SQLite declares it.
    struct Column: Equatable {
        var name: String
        var type: String
    }

    /// The columns of `skill_metrics` once every migration has run, in table order.
    ///
    /// Derived from the migrations themselves, run once on an in-memory
    /// database, so that the list never drifts from what the migrations create.
    static let currentColumns: [Column] = columns(upTo: nil)

    /// The names of the columns of `skill_metrics` once every migration has run:
    /// the record's fields and the store's own `run_key`, in the record's order.
    ///
    /// Opening an up-to-date file checks these, without running the migrations
    /// that ``currentColumns`` runs (tens of milliseconds, most of the time a hook
    /// takes to store one run); a test keeps the two lists equal.
    static let currentColumnNames: [String] =
        SkillMetrics.CodingKeys.allCases.map(\.columnName) + [SkillMetrics.Columns.runKey.name]

    /// The columns of the seed's own table, which every Skill Forge file has.
    static let seedColumns: [Column] = columns(upTo: "v1-seed-schema")

    /// The columns that exist once migrations up to `migration` (all, if nil) have run.
    private static func columns(upTo migration: String?) -> [Column] {
        do {
            let queue = try DatabaseQueue()
            if let migration {
                try migrator.migrate(queue, upTo: migration)
            } else {
                try migrator.migrate(queue)
            }
            return try queue.read(tableColumns)
        } catch {
            // An in-memory database with our own fixed SQL cannot fail to migrate;
            // the tests open databases and would fail at once if it did.
            return []
        }
    }

    /// The columns `skill_metrics` has in `db`, in table order.
    private static func tableColumns(_ db: Database) throws -> [Column] {
        try db.columns(in: tableName).map { Column(name: $0.name, type: $0.type) }
    }

    /// Says what `db` holds, or throws when it is not a Skill Forge database.
    ///
    /// - Throws: ``ProfilerError/schemaTooNew(path:unknownMigrations:)`` for a
    ///   file written by a newer Skill Forge, ``ProfilerError/notSkillForge(path:reason:)``
    ///   for an SQLite file that holds something else.
    static func inspect(_ db: Database, path: String) throws -> SchemaState {
        let applied = try appliedIdentifiers(db)
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty {
            throw ProfilerError.schemaTooNew(path: path, unknownMigrations: unknown.sorted())
        }
        guard try db.tableExists(tableName) else {
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master
                    WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                    ORDER BY name
                    """)
            if tables.isEmpty && applied.isEmpty { return .empty }
            throw ProfilerError.notSkillForge(
                path: path,
                reason: tables.isEmpty
                    ? "it records Skill Forge migrations but has no \(tableName) table"
                    : "it has no \(tableName) table, only \(tables.joined(separator: ", "))")
        }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        let foundNames = Set(try tableColumns(db).map(\.name))
        // A seed-made file has no record of migrations: it is at the seed's level.
        let expected: [String] =
            applied.isEmpty
            ? seedColumns.map(\.name) : pending.isEmpty ? currentColumnNames : try columnsAfter(applied: applied).map(\.name)
        let absent = expected.filter { !foundNames.contains($0) }
        if !absent.isEmpty {
            throw ProfilerError.notSkillForge(
                path: path,
                reason: "its \(tableName) table lacks the column\(absent.count == 1 ? "" : "s") "
                    + absent.joined(separator: ", "))
        }
        guard !pending.isEmpty else { return .current }
        let expectedNames = Set(expected)
        let toAdd = currentColumns.filter { !expectedNames.contains($0.name) }
        let clashing = toAdd.map(\.name).filter { foundNames.contains($0) }
        if !clashing.isEmpty {
            throw ProfilerError.notSkillForge(
                path: path,
                reason: "its \(tableName) table already has the column\(clashing.count == 1 ? "" : "s") "
                    + clashing.joined(separator: ", ") + " that Skill Forge would add")
        }
        return .older(migrations: pending, missingColumns: toAdd)
    }

    /// The columns the table has once the applied migrations (a prefix of the migrator's) have run.
    private static func columnsAfter(applied: Set<String>) throws -> [Column] {
        guard let last = migrator.migrations.last(where: applied.contains) else { return seedColumns }
        return last == migrator.migrations.last ? currentColumns : columns(upTo: last)
    }
}

// MARK: - Reading an older file without changing it

extension Schema {
    /// SQL that lets a read-only connection query an older table as if it were current.
    ///
    /// A temporary view named `skill_metrics` shadows the file's table (SQLite
    /// looks in `temp` first): it lists every current column in table order,
    /// `NULL` for the ones the file lacks. The file itself is never written.
    static func compatibilityViewSQL(missing: [Column]) -> String {
        let missingNames = Set(missing.map(\.name))
        let selections = currentColumns.map { column in
            missingNames.contains(column.name) ? "NULL AS \(column.name)" : column.name
        }
        return "CREATE TEMP VIEW \(tableName) AS SELECT \(selections.joined(separator: ", ")) FROM main.\(tableName)"
    }
}
