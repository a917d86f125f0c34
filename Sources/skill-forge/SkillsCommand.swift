import ArgumentParser
import SkillForge

struct SkillsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skills",
        abstract: "List the recorded skills with their number of runs, or the versions of one skill.",
        discussion: """
            With a skill, lists its versions (runs without a version as "(none)"), oldest \
            first, with their number of runs and their first and last run: the names that \
            compare --baseline and --candidate take.

            Examples:
              skill-forge skills
              skill-forge skills --format json
              skill-forge skills summarise
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "A skill whose versions to list.")
    var skill: String?

    func run() throws {
        let db = try database.openForReading()
        if let skill {
            let versions = try db.versionRunCounts(forSkill: skill)
            let printer = RecordPrinter<VersionRunCount>(format: output.format, output: .standardOutput())
            try printer.print(contentsOf: versions)
            printer.finish()
            try MissingRuns.warnAboutInvalidRows(in: db, matching: MetricsFilter(skillId: skill))
            if versions.isEmpty && output.format == .table {
                printWarning("no runs of \(skill.debugDescription) at all")
            }
            return
        }
        let (counts, invalidRows) = try db.skillRunCountsCountingInvalidRows()
        let printer = RecordPrinter<SkillRunCount>(format: output.format, output: .standardOutput())
        try printer.print(contentsOf: counts)
        printer.finish()
        MissingRuns.warnAboutInvalidRows(count: invalidRows)
        if counts.isEmpty && output.format == .table {
            printWarning("no skills recorded yet in \(database.path)")
        }
    }
}
