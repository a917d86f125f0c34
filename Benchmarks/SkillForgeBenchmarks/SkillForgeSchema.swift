import GRDB
import SkillForge

/// Skill Forge's current schema as SQL, for baselines that write with the raw C API.
///
/// It is read, not written down: ``statements()`` lets `ProfilerDB` create and
/// migrate a new file, then copies every table, index, view and trigger from its
/// `sqlite_master`. A baseline built on it keeps matching Skill Forge's schema
/// (its rollup tables and triggers, its run key column) however the
/// migrations change.
enum SkillForgeSchema {
    /// The `CREATE` statements of Skill Forge's schema: tables first, then indexes, views and triggers.
    static func statements() throws -> [String] {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let path = directory.path("schema.db")
        _ = try ProfilerDB(path: path)  // created, migrated and closed
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            // SQLite's own objects (sqlite_sequence, automatic indexes) come with the tables that need them.
            try String.fetchAll(
                db,
                sql: """
                    SELECT sql FROM sqlite_master
                    WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite^_%' ESCAPE '^'
                    ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid
                    """)
        }
    }
}
