import ArgumentParser
import SkillForge

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database, even while it is being written.",
        discussion: """
            The copy is compacted (SQLite's VACUUM INTO) and is a complete Skill Forge \
            database: open it with --db. An existing file is never overwritten.

            Examples:
              skill-forge backup backups/skill-forge-$(date +%F).db
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Where to write the copy.")
    var destination: String

    func run() throws {
        try database.openExisting().backup(to: destination)
        print("backed up \(database.path) to \(destination)")
    }
}
