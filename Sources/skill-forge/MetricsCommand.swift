import ArgumentParser
import Foundation
import SkillForge

struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List the recorded runs of a skill.",
        discussion: """
            Rows stream in constant memory, so any history can be listed. In tables, \
            a ~ after the output tokens marks estimated counts.

            Examples:
              skill-forge metrics time-tracker --limit 20 --newest-first
              skill-forge metrics time-tracker --since 7d --format csv > week.csv
              skill-forge metrics time-tracker --since 2026-11-01 \\
                --until 2026-12-01 --format json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var range: TimeRangeOptions

    @Argument(help: "The skill.")
    var skill: String

    @Option(help: "Show at most this many runs.", reading: .number(atLeast: 1))
    var limit: Int?

    @Flag(help: "Newest runs first (default: oldest first).")
    var newestFirst = false

    func run() async throws {
        let db = try await database.location.openForReading()
        let filter = MetricsFilter(
            skillId: skill, window: range.window, order: newestFirst ? .newestFirst : .oldestFirst, limit: limit)
        if output.format == .csv {
            // The export format: every column under its SQL name.
            let writer = TextOutput.standardOutput().metricsCSVWriter()
            for try await metric in db.metrics(matching: filter) { try writer.write(metric) }
            try writer.finish()
        } else {
            let printer = RecordPrinter<SkillMetrics>(format: output.format, output: .standardOutput())
            for try await metric in db.metrics(matching: filter) { try printer.print(metric) }
            printer.finish()
            if printer.count == 0 && output.format == .table {
                printWarning(try await MissingRuns.explanation(in: db, for: filter, window: range.description))
            }
        }
        try await MissingRuns.warnAboutInvalidRows(in: db, matching: filter)
    }
}
