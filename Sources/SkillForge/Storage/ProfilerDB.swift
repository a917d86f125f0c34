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
    ///     Writes then fail with ``ProfilerError/readOnly(path:)``.
    ///   - busyTimeout: How long a write waits for another process's write to finish.
    ///   - logger: Receives notices such as applied migrations.
    /// - Throws: ``ProfilerError`` when the file cannot be opened, is not a Skill
    ///   Forge database, or has a schema newer than this version knows.
    public init(
        path: String = ProfilerDB.defaultPath,
        createIfNeeded: Bool = true,
        readOnly: Bool = false,
        busyTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "skill-forge.db", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(ProfilerError) {
        self.path = path
        self.logger = logger
        self.isReadOnly = readOnly
        let configuration = Self.makeConfiguration(busyTimeout: busyTimeout)
        do {
            if path == ":memory:" {
                writer = try DatabaseQueue(configuration: configuration)
                try Self.migrate(writer, path: path, logger: logger)
            } else if readOnly {
                writer = try Self.openForReading(at: path, configuration: configuration)
            } else {
                try Self.refuseFullDisk(at: path)
                if try Self.checkLocation(of: path, createIfNeeded: createIfNeeded) {
                    try Self.refuseForeignSchema(at: path, configuration: configuration)
                }
                writer = try Self.openPool(at: path, configuration: configuration, patience: busyTimeout)
                try Self.migrate(writer, path: path, logger: logger)
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

// MARK: - Opening

extension ProfilerDB {
    /// The page cache of the writing connection, in KiB.
    static let writerCacheKiB = 40 * 1024

    /// The one place where connections are configured.
    private static func makeConfiguration(busyTimeout: Duration) -> Configuration {
        var configuration = Configuration()
        // Other processes (the CLI, importers, collectors) write the same file:
        // wait for their transactions instead of failing with SQLITE_BUSY.
        configuration.busyMode = .timeout(busyTimeout / .seconds(1))
        configuration.prepareDatabase { db in
            // WAL (set by DatabasePool) + NORMAL: durable across application
            // crashes, and 20x faster per commit than FULL.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly {
                // Inserts update five indexes at scattered places; with SQLite's
                // default 2 MiB page cache a large batch rereads the same index
                // pages from the OS over and over. Readers stream, and keep the default.
                try db.execute(sql: "PRAGMA cache_size = \(-writerCacheKiB)")
            }
        }
        return configuration
    }

    /// Fails early, with a clear error, where SQLite would only say "unable to open".
    ///
    /// - Returns: Whether the file exists already.
    static func checkLocation(of path: String, createIfNeeded: Bool) throws(ProfilerError) -> Bool {
        guard !path.isEmpty else {
            throw .cannotOpen(path: path, reason: "the path is empty")
        }
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw .cannotOpen(path: path, reason: "it is a directory")
            }
            return true
        }
        if !createIfNeeded {
            throw .databaseNotFound(path: path)
        }
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw .directoryNotFound(path: path)
        }
        return false
    }

    /// The free space below which a disk counts as full: writing is not even started.
    static let minimumFreeBytes: UInt64 = 1 << 20

    /// Refuses to start writing to a full disk.
    ///
    /// Opening a database for writing creates its shared-memory (`-shm`) file
    /// when no process has it open. On a full disk SQLite gets only a few bytes
    /// of it written, reports a bare "disk I/O error", and the stub it leaves
    /// makes every later open fail, the `sqlite3` shell's included, until space
    /// is freed. Checking first leaves the files as they were.
    private static func refuseFullDisk(at path: String) throws(ProfilerError) {
        if let free = freeBytes(near: path), free < minimumFreeBytes {
            throw .diskFull(path: path)
        }
    }

    /// The bytes this process may still write on the file system that holds `path`'s directory.
    static func freeBytes(near path: String) -> UInt64? {
        var info = statvfs()
        // Pseudo file systems such as /proc have no blocks at all: nothing to say.
        guard statvfs(URL(fileURLWithPath: path).deletingLastPathComponent().path, &info) == 0, info.f_blocks > 0
        else { return nil }
        // Root may use the blocks a file system reserves; others may not.
        let blocks = geteuid() == 0 ? info.f_bfree : info.f_bavail
        return UInt64(blocks).multipliedReportingOverflow(by: UInt64(info.f_frsize)).partialValue
    }

    /// Whether the file system that holds `path`'s directory is mounted read-only.
    static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
        var info = statvfs()
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return statvfs(directory, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0
    }

    /// Refuses a file that Skill Forge cannot use before anything can touch it:
    /// one written by a newer Skill Forge, or an SQLite file that holds other tables.
    ///
    /// This reads through a plain read-only connection: opening a `DatabasePool`
    /// already writes to the file (GRDB makes sure a WAL file exists), and a file
    /// we refuse must stay byte-for-byte as it was. A file that is not a
    /// database fails here too, unmodified.
    private static func refuseForeignSchema(at path: String, configuration: Configuration) throws {
        var configuration = configuration
        configuration.readonly = true
        _ = try DatabaseQueue(path: path, configuration: configuration).read { try Schema.inspect($0, path: path) }
    }

    /// Opens an existing file for reading only, without creating any file the
    /// user could not remove, and without migrating it.
    ///
    /// A file this process can write is read through an ordinary connection
    /// that never writes (``ProfilerDB/isReadOnly``): closing it cleans up the
    /// write-ahead log as any SQLite client does, where a read-only connection
    /// would leave `-wal` and `-shm` files behind. A file this process cannot
    /// write (its mode, `chattr +i`, a read-only mount), that nobody may write
    /// (mode 444, even for root), or that sits in a directory this process
    /// cannot write, is opened as SQLite's `immutable`: no lock files, no
    /// `-shm`, nothing left behind. That is only right when no write-ahead log
    /// holds unmerged commits; with one, SQLite's ordinary read-only mode reads
    /// it. An older schema is read through ``Schema/compatibilityViewSQL(missing:)``.
    private static func openForReading(at path: String, configuration: Configuration) throws -> DatabaseQueue {
        _ = try checkLocation(of: path, createIfNeeded: false)
        let file = URL(fileURLWithPath: path)
        var configuration = configuration
        configuration.readonly = !isWritable(file)
        let location = configuration.readonly ? immutableLocation(of: file) ?? path : path
        let queue = try DatabaseQueue(path: location, configuration: configuration)
        switch try queue.read({ try Schema.inspect($0, path: path) }) {
        case .empty:
            throw ProfilerError.nothingRecorded(path: path)
        case .current:
            break
        case .older(_, let missingColumns):
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: Schema.compatibilityViewSQL(missing: missingColumns))
            }
        }
        return queue
    }

    /// Whether this process can write `file` and its directory, and anybody may write the file.
    private static func isWritable(_ file: URL) -> Bool {
        let permissions = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.posixPermissions] as? NSNumber
        return (permissions?.intValue ?? 0) & 0o222 != 0 && access(file.path, W_OK) == 0
            && access(file.deletingLastPathComponent().path, W_OK) == 0
    }

    /// An `immutable` SQLite URI for `file`, unless a write-ahead log holds commits that must be read.
    private static func immutableLocation(of file: URL) -> String? {
        let walSize = (try? FileManager.default.attributesOfItem(atPath: file.path + "-wal"))?[.size] as? NSNumber
        guard (walSize?.int64Value ?? 0) == 0,
            let encoded = file.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)
        else { return nil }
        return "file:\(encoded)?immutable=1"
    }

    /// Opens the pool, waiting out other processes that open the same new file.
    ///
    /// Opening a pool switches a new file to WAL, which needs the file to
    /// itself. When processes do it at the same instant, SQLite answers
    /// `SQLITE_BUSY` at once, to avoid a deadlock, instead of waiting out its
    /// busy timeout. So this tries again after a short pause, for as long as
    /// the busy timeout.
    private static func openPool(at path: String, configuration: Configuration, patience: Duration) throws -> DatabasePool {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && clock.now < deadline {
                pauseBriefly()
            }
        }
    }

    /// Sleeps 2 to 20 ms, a random time so that processes that collided do not collide again.
    private static func pauseBriefly() {
        usleep(UInt32.random(in: 2_000...20_000))
    }

    /// How many times a process tries to migrate a database that others are migrating too.
    private static let migrationAttempts = 10

    /// Brings the schema up to date.
    ///
    /// Several processes may open a new database at the same instant: each
    /// migration runs in its own transaction, so a process can lose the race
    /// to apply one (its statements then fail: the table exists, the
    /// migration is recorded). It waits a moment, reads again what is
    /// applied, and goes on from there. An up-to-date database is only read.
    private static func migrate(_ writer: any DatabaseWriter, path: String, logger: Logger) throws {
        let migrator = Schema.migrator
        for attempt in 1...migrationAttempts {
            let applied = try writer.read(Schema.appliedIdentifiers)
            let pending = migrator.migrations.filter { !applied.contains($0) }
            guard !pending.isEmpty else { return }
            do {
                try migrator.migrate(writer)
                logger.info("migrated database", metadata: ["path": "\(path)", "migrations": "\(pending)"])
                return
            } catch let error as DatabaseError where attempt < migrationAttempts {
                logger.debug("retrying migration", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                pauseBriefly()
            }
        }
    }

    /// Throws ``ProfilerError/readOnly(path:)`` when the database was opened read-only.
    func checkWritable() throws(ProfilerError) {
        if isReadOnly { throw .readOnly(path: path) }
    }
}

// MARK: - Access

extension ProfilerDB {
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
}

// MARK: - Errors

extension ProfilerError {
    /// Translates a GRDB or SQLite error into words a user understands.
    init(_ error: any Error, path: String) {
        switch error {
        case let error as ProfilerError:
            self = error
        case let field as InvalidField:
            self = .invalidMetric(field)
        case let error as DatabaseError:
            switch error.resultCode {
            case .SQLITE_NOTADB: self = .notADatabase(path: path)
            case .SQLITE_READONLY: self = .readOnly(path: path)
            case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path)
            case .SQLITE_CORRUPT: self = .corrupt(path: path)
            case .SQLITE_FULL: self = .diskFull(path: path)
            case .SQLITE_IOERR where (ProfilerDB.freeBytes(near: path) ?? .max) < ProfilerDB.minimumFreeBytes:
                // SQLite reports a failed write to a full disk as an I/O error when
                // the write extends a file it maps (the shared-memory index).
                self = .diskFull(path: path)
            case .SQLITE_CANTOPEN where ProfilerDB.isOnReadOnlyFileSystem(path):
                self = .readOnly(path: path)
            case .SQLITE_CANTOPEN:
                self = .cannotOpen(path: path, reason: "permission denied, or the location cannot hold files")
            default: self = .database(path: path, message: error.message ?? error.description)
            }
        default:
            self = .database(path: path, message: String(describing: error))
        }
    }
}
