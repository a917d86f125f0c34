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
        try checkWritable()
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
    /// try await db.backup(to: "backups/skill-forge-2026-11-26.db")
    /// ```
    ///
    /// The copy is written to a temporary file next to `destination` and renamed
    /// into place once complete, so `destination` is either absent or a whole
    /// backup: a failure (a full disk, say) removes what was written, and so
    /// does cancelling the task, which interrupts SQLite. Only a process killed
    /// outright can leave the temporary `.<name>.partial-…` file behind.
    ///
    /// - Parameters:
    ///   - destination: Where to write the copy.
    ///   - replacingExisting: Whether an existing file at `destination` is replaced
    ///     (atomically, once the copy is complete) instead of refused.
    /// - Throws: ``ProfilerError/cannotOpen(path:reason:cause:)`` when `destination`
    ///   exists and `replacingExisting` is false, ``ProfilerError/directoryNotFound(path:)``
    ///   when its directory does not, `CancellationError` when cancelled.
    public func backup(to destination: String, replacingExisting: Bool = false) async throws {
        if try Self.checkLocation(of: destination, createIfNeeded: true), !replacingExisting {
            throw ProfilerError.cannotOpen(
                path: destination, reason: "it already exists, and a backup replaces a file only when told to")
        }
        let target = URL(fileURLWithPath: destination)
        let partial = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString)").path
        do {
            try await writer.vacuum(into: partial)
            try Task.checkCancellation()
            try Self.move(partial, to: target.path, replacingExisting: replacingExisting)
        } catch {
            Self.removeFiles(of: partial)
            if error is CancellationError { throw error }
            throw ProfilerError(error, path: destination)
        }
    }

    /// Removes the database at `path` if it holds no runs and no connection has
    /// it open: this undoes the creation of a database by a first command that
    /// then failed. Call it once this process has closed the database.
    ///
    /// ```swift
    /// ProfilerDB.removeIfUnused(at: "skill-forge.db")
    /// ```
    ///
    /// A WAL database that any connection has open has its `-shm` and `-wal`
    /// files (the last connection to close removes them), so a database with
    /// either is left alone, and so is one with runs or one that cannot be read.
    /// The check reads through an `immutable` connection, which creates no file
    /// and takes no lock. Only a process that opens the same new path in the
    /// instant between the check and the removal could lose what it writes.
    ///
    /// - Returns: Whether the database was removed.
    @discardableResult
    public static func removeIfUnused(at path: String) -> Bool {
        func isOpenSomewhere() -> Bool {
            ["-wal", "-shm"].contains { FileManager.default.fileExists(atPath: path + $0) }
        }
        guard !isOpenSomewhere(), let location = immutableURI(of: path) else { return false }
        var configuration = Configuration()
        configuration.readonly = true
        let isEmpty = try? DatabaseQueue(path: location, configuration: configuration).read { db in
            try !db.tableExists(Schema.tableName)
                || Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(Schema.tableName)") == 0
        }
        guard isEmpty == true, !isOpenSomewhere() else { return false }
        removeFiles(of: path)
        return true
    }

    /// Removes a database file and the side files SQLite may have made for it.
    private static func removeFiles(of path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// Moves a complete file into place atomically: `rename` replaces an existing
    /// file; `link` then `unlink` never does, even when one appeared meanwhile.
    private static func move(_ source: String, to destination: String, replacingExisting: Bool) throws(ProfilerError) {
        let moved = replacingExisting ? rename(source, destination) == 0 : link(source, destination) == 0
        guard moved else {
            let reason = errno == EEXIST ? "it already exists" : String(cString: strerror(errno))
            throw .cannotOpen(path: destination, reason: reason)
        }
        if !replacingExisting { unlink(source) }
    }

    /// The size of the database file and its write-ahead log, in bytes (0 in memory).
    var fileSize: Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            total + (((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }
}
