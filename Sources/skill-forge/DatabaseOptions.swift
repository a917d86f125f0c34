import ArgumentParser
import Foundation
import SkillForge

/// The `--db` option every command shares.
struct DatabaseOptions: ParsableArguments {
    /// The environment variable that names the database when `--db` is absent.
    static let environmentVariable = "SKILL_FORGE_DB"

    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The database file.",
            discussion: "Defaults to $SKILL_FORGE_DB, else ./skill-forge.db.",
            valueName: "path"))
    var explicitPath: String?

    /// The database path the user asked for.
    var path: String {
        explicitPath ?? ProcessInfo.processInfo.environment[Self.environmentVariable] ?? ProfilerDB.defaultPath
    }

    /// The database the user asked for.
    var location: DatabaseLocation { DatabaseLocation(path) }
}

/// Where a database is, as the user named it, and how a command opens it: the one
/// place in the command line that knows which store backs a location.
struct DatabaseLocation {
    /// The path of the database file.
    let path: String

    init(_ path: String) {
        self.path = path
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
        let existed = FileManager.default.fileExists(atPath: path)
        do {
            return try await work(try ProfilerDB(path: path, writerCacheMiB: writerCacheMiB))
        } catch {
            if !existed { ProfilerDB.removeIfUnused(at: path) }
            throw error
        }
    }

    /// Opens an existing database for writing; a missing file is an error, not a new empty database.
    func openExisting() throws -> any MetricsStore {
        try openFile(readOnly: false)
    }

    /// Opens an existing database for reading only: nothing is created, migrated or written,
    /// so this works on a file the user can only read.
    func openForReading() throws -> any MetricsStore {
        try openFile(readOnly: true)
    }

    /// Whether `other` names the same database (the same file, through any path or link).
    func isSame(as other: DatabaseLocation) -> Bool {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path }
        return resolved(path) == resolved(other.path)
    }

    // MARK: - What only an SQLite file has

    /// Opens the existing database file itself, for what only a file has (`backup`, `vacuum`):
    /// read-only, or for writing (a missing file is an error either way).
    func openFile(readOnly: Bool) throws -> ProfilerDB {
        readOnly ? try ProfilerDB(path: path, readOnly: true) : try ProfilerDB(path: path, createIfNeeded: false)
    }
}
