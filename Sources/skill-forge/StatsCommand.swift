import ArgumentParser
import SkillForge

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise skills: runs, failure rate, latency percentiles and tokens.",
        discussion: """
            Percentiles are exact, by linear interpolation between closest ranks (numpy's \
            default), so numpy.percentile on the same runs gives the same numbers. Tables \
            show the main figures; --format json or csv carries every field (min, mean, \
            p50, p90, p95, p99, max and standard deviation of the time; mean and sum of \
            input, output and total tokens, and their p95 with --tokens-p95; cache tokens; \
            the share of estimated tokens; first and last run). Token figures cover the \
            runs whose tokens are known: n/a for a skill without any, and a note on \
            stderr says how many runs' tokens are known when some are not. Cost figures \
            (US dollars: cost per run and total, their p50 and p95 with --tokens-p95) cover \
            the runs whose cost is known, stated by the source or computed from the price \
            list when the run was written: n/a for none, never $0.

            Without a time window, the figures come from totals the database \
            keeps as runs are written, and take milliseconds however many runs there are; \
            --tokens-p95 (or --sort tokens-p95) reads every run once more.

            Sort fields: skill, runs, failures, failure-rate, mean, p50, p90, p95, p99, \
            max, tokens, tokens-p95, cost (the total), cost-per-run, last-run (numbers \
            sort largest first; a skill without known tokens or cost last).

            Examples:
              skill-forge stats
              skill-forge stats --last 7d --sort p95
              skill-forge stats summarise --version 2.0 --format json
              skill-forge stats --tokens-p95 --sort tokens-p95
              skill-forge stats --last 30d --sort cost
              skill-forge stats --since 2026-11-01 --until 2026-12-01 --format csv
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var range: TimeRangeOptions

    @Argument(help: "The skill; every skill when omitted.")
    var skill: String?

    @Option(help: "Only runs of this skill version.")
    var version: String?

    @Option(help: "Only runs on this model.")
    var model: String?

    @Option(help: ArgumentHelp("Sort by this field (see above).", valueName: "field"))
    var sort: SummaryOrder = .skill

    @Flag(
        name: .customLong("tokens-p95"),
        help: "Also compute the 95th percentile of input, output and total tokens, and the p50 and p95 of cost per run.")
    var tokenPercentiles = false

    func run() async throws {
        let db = try await database.location.openForReading()
        let analyzer = Analyzer(store: db)
        let filter = MetricsFilter(skillId: skill, window: range.window, version: version, model: model)
        let (summaries, invalidRows) = try await analyzer.summariesCountingInvalidRows(
            matching: filter, sortedBy: sort, includingTokenPercentiles: tokenPercentiles)
        let printer = RecordPrinter<SkillSummary>(format: output.format, output: .standardOutput())
        try printer.print(contentsOf: summaries)
        printer.finish()
        MissingRuns.warnAboutInvalidRows(count: invalidRows)
        let runs = summaries.reduce(0) { $0 + $1.runs }
        MissingRuns.noteUnknownTokens(tokenRuns: summaries.reduce(0) { $0 + $1.tokenRuns }, runs: runs)
        MissingRuns.noteUnknownCosts(costRuns: summaries.reduce(0) { $0 + $1.costRuns }, runs: runs)
        if summaries.isEmpty {
            printWarning(try await MissingRuns.explanation(in: db, for: filter, window: range.description))
        }
    }
}

extension SummaryOrder: ExpressibleByArgument {}
