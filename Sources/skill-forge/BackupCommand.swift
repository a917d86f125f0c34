import ArgumentParser
import Foundation
import SkillForge

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database, even while it is being written.",
        discussion: """
            The copy is compacted (SQLite's VACUUM INTO) and is a complete Skill Forge \
            database: open it with --db. It is written to a temporary file beside the \
            destination and renamed into place when complete, so the destination is \
            never a partial copy, even after a full disk or Ctrl-C. An existing file \
            is replaced only with --force. Works on a database you can only read.

            Examples:
              skill-forge backup backups/skill-forge-$(date +%F).db
              skill-forge backup --force backups/latest.db
            """)

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Replace the destination if it exists.")
    var force = false

    @Argument(help: "Where to write the copy.")
    var destination: String

    func run() async throws {
        if !force, FileManager.default.fileExists(atPath: destination) {
            throw Refusal.fileExists(path: destination)
        }
        let db = try database.location.openFile(readOnly: true, for: "backup")
        let (destination, force) = (destination, force)
        try await InterruptibleTask.run(note: "no backup was written") {
            try await db.backup(to: destination, replacingExisting: force)
        }
        print("backed up \(database.location.shown) to \(destination)")
    }
}
