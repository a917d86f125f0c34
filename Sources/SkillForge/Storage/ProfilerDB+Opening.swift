import Foundation
import GRDB
import Logging

// MARK: - Opening a file safely

extension ProfilerDB {
    /// The page cache of the writing connection, in MiB, unless the opener says otherwise.
    public static let defaultWriterCacheMiB = 40

    /// The one place where connections are configured.
    ///
    /// - Parameters:
    ///   - forWriting: Whether the database is opened to write. Reading
    ///     connections, a pool's readers or a read-only database's one connection,
    ///     keep SQLite's default page cache.
    ///   - writerCacheMiB: The writing connection's page cache.
    static func makeConfiguration(busyTimeout: Duration, forWriting: Bool, writerCacheMiB: Int) -> Configuration {
        var configuration = Configuration()
        // Other processes (the CLI, importers, collectors) write the same file:
        // wait for their transactions instead of failing with SQLITE_BUSY.
        configuration.busyMode = .timeout(busyTimeout / .seconds(1))
        configuration.prepareDatabase { db in
            // WAL (set by DatabasePool) + NORMAL: durable across application
            // crashes, and 20x faster per commit than FULL.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if forWriting && !db.configuration.readonly {
                // Inserts update five indexes at scattered places; with SQLite's
                // default 2 MiB page cache a large batch rereads the same index
                // pages from the OS over and over. Readers stream, and keep the default.
                try db.execute(sql: "PRAGMA cache_size = \(-max(1, min(writerCacheMiB, 1 << 20)) * 1024)")
                // Skill Forge maintains the rollups in its own transactions.
                try Rollups.setTriggers(enabled: false, on: db)
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
    static func refuseFullDisk(at path: String) throws(ProfilerError) {
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
    ///
    /// - Returns: What the file holds.
    static func refuseForeignSchema(at path: String, configuration: Configuration) throws -> SchemaState {
        var configuration = configuration
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { try Schema.inspect($0, path: path) }
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
    static func openForReading(at path: String, configuration: Configuration) throws -> DatabaseQueue {
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
        return (walSize?.int64Value ?? 0) == 0 ? immutableURI(of: file.path) : nil
    }

    /// The SQLite URI that opens `path` as `immutable`: no locks taken, no file created.
    static func immutableURI(of path: String) -> String? {
        URL(fileURLWithPath: path).path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)
            .map { "file:\($0)?immutable=1" }
    }

    /// Opens the pool, waiting out other processes that open the same new file.
    ///
    /// Opening a pool switches a new file to WAL, which needs the file to
    /// itself. When processes do it at the same instant, SQLite answers
    /// `SQLITE_BUSY` at once, to avoid a deadlock, instead of waiting out its
    /// busy timeout. So this tries again after a short pause, for as long as
    /// the busy timeout.
    static func openPool(at path: String, configuration: Configuration, patience: Duration) throws -> DatabasePool {
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
    static func migrate(_ writer: any DatabaseWriter, path: String, logger: Logger) throws {
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
}
