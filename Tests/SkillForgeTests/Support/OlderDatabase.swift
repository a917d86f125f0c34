import GRDB

@testable import SkillForge

extension TemporaryDirectory {
    /// A database file named `name` as an older Skill Forge left it: migrated up to
    /// `migration`, then written by `write`, then closed. Returns its path.
    ///
    /// ```swift
    /// let path = try directory.olderDatabase("v3.db", upTo: "v3-skill-runs-index") { db in
    ///     try db.execute(sql: "INSERT INTO skill_metrics …")
    /// }
    /// ```
    func olderDatabase(_ name: String, upTo migration: String, _ write: (Database) throws -> Void) throws -> String {
        let path = path(name)
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: migration)
        try queue.write(write)
        try queue.close()
        return path
    }
}
