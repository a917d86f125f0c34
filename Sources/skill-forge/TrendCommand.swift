import ArgumentParser
import Foundation
import SkillForge

struct TrendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Show a skill over time: runs, failure rate, p50, p95, tokens and cost per hour, day or week.",
        discussion: """
            Buckets follow local wall-clock time in --tz (default UTC): days run from \
            midnight, weeks from Monday. Every bucket of the window is shown, empty ones \
            too, so a gap in the data shows as a gap. Without --since or --last, the \
            window starts at the skill's first run.

            Tokens per run, cost per run and the bucket's total cost cover the runs whose \
            tokens (cost) are known, n/a in a bucket without any (JSON null, an empty CSV \
            cell), never 0; a note on stderr says how many runs they cover.

            Examples:
              skill-forge trend summarise
              skill-forge trend summarise --bucket hour --last 48h
              skill-forge trend summarise --bucket week --tz Europe/Paris
              skill-forge trend summarise --last 30d --format json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var range: TimeRangeOptions

    @Argument(help: "The skill.")
    var skill: String

    @Option(help: "Bucket width: hour, day or week.")
    var bucket: TimeBucket = .day

    @Option(
        help: ArgumentHelp("Time zone of the buckets, such as Europe/Paris or America/New_York.", valueName: "zone"),
        transform: TimeZoneArgument.parse)
    var tz: TimeZone = .gmt

    @Option(help: "Only runs of this skill version.")
    var version: String?

    @Option(help: "Only runs on this model.")
    var model: String?

    func run() async throws {
        let db = try await database.location.openForReading()
        let analyzer = Analyzer(store: db)
        let points = try await analyzer.timeSeries(
            forSkill: skill, bucket: bucket, window: range.window, timeZone: tz, version: version, model: model)
        let filter = MetricsFilter(skillId: skill, window: range.window, version: version, model: model)
        try await MissingRuns.warnAboutInvalidRows(in: db, matching: filter)
        guard points.contains(where: { $0.runs > 0 }) || output.format != .table else {
            printWarning(try await MissingRuns.explanation(in: db, for: filter, window: range.description))
            return
        }
        let stdout = TextOutput.standardOutput()
        let printer = RecordPrinter<TimeSeriesPoint>(format: output.format, output: stdout)
        try printer.print(contentsOf: points)
        printer.finish()
        let runs = points.reduce(0) { $0 + $1.runs }
        MissingRuns.noteUnknownTokens(tokenRuns: points.reduce(0) { $0 + $1.tokenRuns }, runs: runs)
        MissingRuns.noteUnknownCosts(costRuns: points.reduce(0) { $0 + $1.costRuns }, runs: runs)
        if output.format == .table {
            stdout.line()
            stdout.line(Sparkline.line("p95 ", points.map(\.p95), format: Readable.milliseconds))
            stdout.line(Sparkline.line("fail", points.map(\.failureRate), format: Readable.percent))
            stdout.flush()
        }
    }
}

extension TimeBucket: ExpressibleByArgument {}

/// Reads a time zone name (the library's ``TimeText/timeZone(_:)``).
enum TimeZoneArgument {
    static func parse(_ text: String) throws -> TimeZone {
        do {
            return try TimeText.timeZone(text)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
