import ArgumentParser
import Foundation
import SkillForge
import SkillForgePostgres

/// The `--db` option every command shares.
struct DatabaseOptions: ParsableArguments {
    /// The environment variable that names the database when `--db` is absent.
    static let environmentVariable = "SKILL_FORGE_DB"

    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The database: an SQLite file, or a postgres:// URL.",
            discussion: """
                Defaults to $SKILL_FORGE_DB, else ./skill-forge.db. A URL such as \
                postgres://user:password@host:5432/dbname?sslmode=require names a PostgreSQL \
                database (docs/DEPLOY.md); its password is never printed.
                """,
            valueName: "path-or-url"))
    var explicitPath: String?

    /// The database path the user asked for.
    var path: String {
        explicitPath ?? ProcessInfo.processInfo.environment[Self.environmentVariable] ?? ProfilerDB.defaultPath
    }

    /// The database the user asked for.
    var location: DatabaseLocation { DatabaseLocation(path) }
}

/// Where a database is, as the user named it, and how a command opens it: the one
/// place in the command line that knows which store backs a location. A
/// `postgres://` URL names a PostgreSQL database; anything else, an SQLite file.
struct DatabaseLocation {
    /// The location as the user typed it (a URL may hold a password: never print this).
    let path: String

    init(_ path: String) {
        self.path = path
    }

    /// Whether the location is a PostgreSQL URL rather than a file.
    var isPostgres: Bool { PostgresLocation.isURL(path) }

    /// The location as messages show it: a URL without its password.
    var shown: String {
        guard isPostgres else { return path }
        return (try? PostgresLocation(url: path).description) ?? "the PostgreSQL URL"
    }

    /// The location for a process started elsewhere (a hook runs in the session's
    /// directory): a file's path made absolute, a URL as it is.
    var absolute: String {
        isPostgres ? path : URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Opens the database for writing, creating it if needed, and runs `work` with it.
    ///
    /// When this created the file and `work` fails before anything is stored
    /// (an import that finds an invalid record, a command that cannot start),
    /// the new database is removed again: a failed first command leaves no
    /// empty database behind.
    func withDatabaseForWriting<T>(
        writerCacheMiB: Int = ProfilerDB.defaultWriterCacheMiB, _ work: (any MetricsStore) async throws -> T
    ) async throws -> T {
        if isPostgres {
            let store = try await openPostgres()
            defer { store.close() }
            return try await work(store)
        }
        let existed = FileManager.default.fileExists(atPath: path)
        do {
            return try await work(try ProfilerDB(path: path, writerCacheMiB: writerCacheMiB))
        } catch {
            if !existed { ProfilerDB.removeIfUnused(at: path) }
            throw error
        }
    }

    /// Opens an existing database for writing; a missing file is an error, not a new empty database.
    func openExisting() async throws -> any MetricsStore {
        isPostgres ? try await openPostgres() : try existingFile(readOnly: false)
    }

    /// Opens an existing database for reading only: nothing is created, migrated or written,
    /// so this works on a file the user can only read. (A PostgreSQL database is brought up
    /// to date when it is behind, as every store that opens it does.)
    func openForReading() async throws -> any MetricsStore {
        isPostgres ? try await openPostgres() : try existingFile(readOnly: true)
    }

    /// Whether `other` names the same database (the same file, through any path or link;
    /// the same URL, password aside).
    func isSame(as other: DatabaseLocation) -> Bool {
        guard !isPostgres, !other.isPostgres else { return shown == other.shown }
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path }
        return resolved(path) == resolved(other.path)
    }

    // MARK: - What only one kind of database has

    /// Opens the existing database file itself, for what only a file has (`backup`, `vacuum`,
    /// `reprice`): read-only, or for writing (a missing file is an error either way). A
    /// PostgreSQL URL is refused, naming the command and what to use instead.
    func openFile(readOnly: Bool, for command: String) throws -> ProfilerDB {
        guard !isPostgres else { throw Refusal.sqliteOnly(command: command, location: shown) }
        return try existingFile(readOnly: readOnly)
    }

    /// The existing SQLite file, read-only or for writing.
    private func existingFile(readOnly: Bool) throws -> ProfilerDB {
        readOnly ? try ProfilerDB(path: path, readOnly: true) : try ProfilerDB(path: path, createIfNeeded: false)
    }

    private func openPostgres() async throws -> PostgresMetricsStore {
        try await PostgresMetricsStore(PostgresLocation(url: path))
    }
}
