import ArgumentParser
import SkillForge

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show average time, tokens and failure rate of one skill or of every skill.",
        discussion: """
            Examples:
              skill-forge stats
              skill-forge stats time-tracker
              skill-forge stats --format csv > stats.csv
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The skill; every skill when omitted.")
    var skill: String?

    func run() throws {
        let db = try database.openExisting()
        let averages: [AggregatedMetrics]
        if let skill {
            guard let one = try db.averageMetrics(forSkill: skill) else {
                throw ValidationError("No runs of \(skill.debugDescription) in \(database.path).")
            }
            averages = [one]
        } else {
            averages = try db.averageMetrics()
        }
        let printer = RecordPrinter<AggregatedMetrics>(format: output.format, output: .standardOutput())
        try printer.print(contentsOf: averages)
        printer.finish()
    }
}
