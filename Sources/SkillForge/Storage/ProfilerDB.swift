import Foundation
import GRDB
import Logging

/// The profiler database: stores one row per skill execution in SQLite.
///
/// A file database is opened in WAL mode through a GRDB `DatabasePool`, so any
/// number of threads and processes can write to it at once while readers keep
/// reading. `ProfilerDB` is a `Sendable` value: share one instance freely.
///
/// ```swift
/// let db = try ProfilerDB(path: "skill-forge.db")
/// try db.insert(SkillMetrics(skillId: "time-tracker", executionMs: 412,
///                            tokensIn: 1_200, tokensOut: 350, success: true))
/// let skills = try db.allSkills()                       // ["time-tracker"]
/// let averages = try db.averageMetrics(forSkill: "time-tracker")
/// ```
///
/// Opening a database creates it if needed and migrates older schemas in
/// place, including a file created by the seed's own `CREATE TABLE`. A database
/// written by a newer Skill Forge is refused with
/// ``ProfilerError/schemaTooNew(path:unknownMigrations:)``, and an SQLite file
/// that holds something else with ``ProfilerError/notSkillForge(path:reason:)``;
/// both are left untouched. Opened with `readOnly: true`, a database is never
/// written, created or migrated: an older schema is read as it is.
public struct ProfilerDB: Sendable {
    /// The path used when none is given: `skill-forge.db` in the current directory.
    public static let defaultPath = "skill-forge.db"

    /// The path the database was opened at, or `:memory:`.
    public let path: String

    /// The connection (pool) every access goes through.
    let writer: any DatabaseWriter

    /// Whether the database was opened with `readOnly: true`: every write then throws.
    let isReadOnly: Bool

    let logger: Logger

    /// Opens (creating and migrating if needed) the database file at `path`.
    ///
    /// ```swift
    /// let db = try ProfilerDB(path: "skill-forge.db")                 // read and write
    /// let reader = try ProfilerDB(path: "shared.db", readOnly: true)  // never writes to the file
    /// ```
    ///
    /// - Parameters:
    ///   - path: A file path, or `:memory:` for a private in-memory database.
    ///   - createIfNeeded: Whether a missing file is created; when `false`, a missing
    ///     file throws ``ProfilerError/databaseNotFound(path:)``.
    ///   - readOnly: Whether to open the existing file for reading only. Nothing is
    ///     created, migrated or written, even on a file the user could write; a file
    ///     the user cannot write (or on a read-only file system) can be read.
    ///     Writes then fail with ``ProfilerError/readOnly(path:cause:)``.
    ///   - busyTimeout: How long a write waits for another process's write to finish.
    ///   - writerCacheMiB: The page cache of the connection that writes. Large
    ///     imports gain from the default's 40 MiB (their inserts change index pages
    ///     all over the file); a long-running collector writing small batches can
    ///     keep less memory resident at little cost.
    ///   - logger: Receives notices such as applied migrations.
    /// - Throws: ``ProfilerError`` when the file cannot be opened, is not a Skill
    ///   Forge database, or has a schema newer than this version knows.
    public init(
        path: String = ProfilerDB.defaultPath,
        createIfNeeded: Bool = true,
        readOnly: Bool = false,
        busyTimeout: Duration = .seconds(30),
        writerCacheMiB: Int = ProfilerDB.defaultWriterCacheMiB,
        logger: Logger = Logger(label: "skill-forge.db", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(ProfilerError) {
        self.path = path
        self.logger = logger
        self.isReadOnly = readOnly
        let configuration = Self.makeConfiguration(busyTimeout: busyTimeout, forWriting: !readOnly, writerCacheMiB: writerCacheMiB)
        do {
            if path == ":memory:" {
                writer = try DatabaseQueue(configuration: configuration)
                try Self.migrate(writer, path: path, logger: logger)
            } else if readOnly {
                writer = try Self.openForReading(at: path, configuration: configuration)
            } else {
                try Self.refuseFullDisk(at: path)
                let isCurrent = try Self.checkLocation(of: path, createIfNeeded: createIfNeeded)
                    && Self.refuseForeignSchema(at: path, configuration: configuration) == .current
                writer = try Self.openPool(at: path, configuration: configuration, patience: busyTimeout)
                // An up-to-date file (no migration can be undone) needs no second look.
                if !isCurrent {
                    try Self.migrate(writer, path: path, logger: logger)
                }
            }
        } catch {
            throw ProfilerError(error, path: path)
        }
    }

    /// Opens a new, empty, private in-memory database (for tests and previews).
    public static func inMemory() throws(ProfilerError) -> ProfilerDB {
        try ProfilerDB(path: ":memory:")
    }
}

// MARK: - Access

extension ProfilerDB {
    /// Throws ``ProfilerError/readOnly(path:cause:)`` when the database was opened read-only.
    func checkWritable() throws(ProfilerError) {
        if isReadOnly { throw .readOnly(path: path) }
    }

    /// Runs `updates` in one write transaction, mapping failures to ``ProfilerError``.
    func write<T>(_ updates: (Database) throws -> T) throws(ProfilerError) -> T {
        try checkWritable()
        do {
            return try writer.write(updates)
        } catch {
            throw ProfilerError(error, path: path)
        }
    }

    /// Runs `updates` in one write transaction without blocking a Swift concurrency thread.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws(ProfilerError) -> T {
        try checkWritable()
        do {
            return try await writer.write(updates)
        } catch {
            throw ProfilerError(error, path: path)
        }
    }

    /// Runs `value` in one read transaction (a consistent snapshot), mapping failures to ``ProfilerError``.
    func read<T>(_ value: (Database) throws -> T) throws(ProfilerError) -> T {
        do {
            return try writer.read(value)
        } catch {
            throw ProfilerError(error, path: path)
        }
    }

    /// Runs `value` in one read transaction on a connection thread, without blocking a Swift concurrency thread.
    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws(ProfilerError) -> T {
        do {
            return try await writer.read(value)
        } catch {
            throw ProfilerError(error, path: path)
        }
    }
}

// MARK: - Errors

extension ProfilerError {
    /// Translates a GRDB or SQLite error into words a user understands, keeping it as the cause.
    init(_ error: any Error, path: String) {
        switch error {
        case let error as ProfilerError:
            self = error
        case let field as InvalidField:
            self = .invalidMetric(field)
        case let error as DatabaseError:
            switch error.resultCode {
            case .SQLITE_NOTADB: self = .notADatabase(path: path, cause: error)
            case .SQLITE_READONLY: self = .readOnly(path: path, cause: error)
            case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path, cause: error)
            case .SQLITE_CORRUPT: self = .corrupt(path: path, cause: error)
            case .SQLITE_FULL: self = .diskFull(path: path, cause: error)
            case .SQLITE_IOERR where (ProfilerDB.freeBytes(near: path) ?? .max) < ProfilerDB.minimumFreeBytes:
                // SQLite reports a failed write to a full disk as an I/O error when
                // the write extends a file it maps (the shared-memory index).
                self = .diskFull(path: path, cause: error)
            case .SQLITE_CANTOPEN where ProfilerDB.isOnReadOnlyFileSystem(path):
                self = .readOnly(path: path, cause: error)
            case .SQLITE_CANTOPEN:
                self = .cannotOpen(
                    path: path, reason: "permission denied, or the location cannot hold files", cause: error)
            default: self = .database(path: path, message: error.message ?? error.description, cause: error)
            }
        default:
            self = .database(path: path, message: String(describing: error), cause: error)
        }
    }
}
