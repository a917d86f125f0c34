import ArgumentParser
import SkillForge

struct SkillsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skills",
        abstract: "List the recorded skills with their number of runs.",
        discussion: """
            Examples:
              skill-forge skills
              skill-forge skills --format json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let db = try database.openExisting()
        let counts = try db.skillRunCounts()
        let printer = RecordPrinter<SkillRunCount>(format: output.format, output: .standardOutput())
        try printer.print(contentsOf: counts)
        printer.finish()
        try MissingRuns.warnAboutInvalidRows(in: db)
        if counts.isEmpty && output.format == .table {
            printWarning("no skills recorded yet in \(database.path)")
        }
    }
}
