import Foundation
import GRDB

// MARK: - Keeping years of history

extension ProfilerDB {
    /// Rebuilds the database file to give back the space that deleted rows left
    /// (after `prune`, say), and empties the write-ahead log.
    ///
    /// ```swift
    /// let sizes = try db.vacuum()
    /// print("\(sizes.before) → \(sizes.after) bytes")
    /// ```
    ///
    /// It needs free disk space about the size of the database, and other
    /// writers wait (up to the busy timeout) while it runs.
    ///
    /// - Returns: The size of the database and its log before and after, in bytes.
    @discardableResult
    public func vacuum() throws(ProfilerError) -> (before: Int64, after: Int64) {
        let before = fileSize
        do {
            try writer.vacuum()
            try writer.writeWithoutTransaction { db in
                if path != ":memory:" {
                    try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
            }
        } catch {
            throw ProfilerError(error, path: path)
        }
        return (before, fileSize)
    }

    /// Writes a consistent, compacted copy of the live database to `destination`
    /// (SQLite's `VACUUM INTO`), while other processes go on writing.
    ///
    /// ```swift
    /// try db.backup(to: "backups/skill-forge-2026-11-26.db")
    /// ```
    ///
    /// - Throws: ``ProfilerError/cannotOpen(path:reason:)`` when `destination`
    ///   exists (it is never overwritten), ``ProfilerError/directoryNotFound(path:)``
    ///   when its directory does not.
    public func backup(to destination: String) throws(ProfilerError) {
        if try Self.checkLocation(of: destination, createIfNeeded: true) {
            throw .cannotOpen(path: destination, reason: "it already exists; a backup never overwrites a file")
        }
        do {
            try writer.vacuum(into: destination)
        } catch {
            throw ProfilerError(error, path: destination)
        }
    }

    /// The size of the database file and its write-ahead log, in bytes (0 in memory).
    var fileSize: Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            total + (((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }
}
