import ArgumentParser
import SkillForge

struct VacuumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacuum",
        abstract: "Compact the database file, giving back the space that deleted runs left.",
        discussion: """
            Run it after a large prune. It needs free disk space about the size of the \
            database; other writers wait while it runs.

            Examples:
              skill-forge prune --before 365d --yes && skill-forge vacuum
            """)

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let sizes = try database.location.openFile(readOnly: false, for: "vacuum").vacuum()
        print("\(database.location.shown): \(Readable.bytes(sizes.before)) → \(Readable.bytes(sizes.after))")
    }
}
