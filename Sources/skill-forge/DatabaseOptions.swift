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

    /// Opens the database for writing, creating it if needed.
    func openForWriting() throws -> ProfilerDB {
        try ProfilerDB(path: path)
    }

    /// Opens an existing database; a missing file is an error, not a new empty database.
    func openExisting() throws -> ProfilerDB {
        try ProfilerDB(path: path, createIfNeeded: false)
    }
}
