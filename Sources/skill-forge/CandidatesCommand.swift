import ArgumentParser
import Foundation
import SkillForge

struct CandidatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candidates",
        abstract: "Rank the skills worth optimising, with the reasons in words.",
        discussion: """
            Judges the last --last period (default 7d) against the other skills and against \
            the period before it. A skill is slow when its p95 is --slow-factor times the \
            median skill's, token-hungry when its mean tokens are --token-factor times the \
            median skill's, costly when its mean cost per run is --cost-factor times the \
            median skill's (among the skills whose cost is known; a skill without a known \
            cost is never costly), failing at --failure-rate or more, and regressing when \
            p95, tokens or cost per run rose by --regression (or the failure rate by 5 \
            points) since the previous period. Each reason scores 1 at its threshold (2 at twice the threshold…); a \
            score of 2 or more recommends optimize, any reason monitor, none ok. Skills with \
            fewer than --min-runs runs are "not judged". Only skills to optimise or monitor \
            are listed unless --all. When nothing stands out, the message names the period \
            judged and counts the older runs it left out (after an import of old history, \
            widen it with --last).

            Examples:
              skill-forge candidates
              skill-forge candidates --last 30d --min-runs 50
              skill-forge candidates --slow-factor 3 --failure-rate 0.1 --all --format json
              skill-forge candidates --cost-factor 1.5 --format csv
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("The period judged, ending now.", valueName: "span"), reading: .span)
    var last: TimeSpan = .days(7)

    @Option(
        help: ArgumentHelp("Fewest runs in the period for a skill to be judged.", valueName: "count"),
        reading: .number(atLeast: 1))
    var minRuns = 20

    @Option(
        help: ArgumentHelp("p95 this many times the median skill's counts as slow.", valueName: "factor"),
        reading: .number(moreThan: 1))
    var slowFactor = 2.0

    @Option(
        help: ArgumentHelp("Mean tokens this many times the median skill's counts as token-hungry.", valueName: "factor"),
        reading: .number(moreThan: 1))
    var tokenFactor = 2.0

    @Option(
        help: ArgumentHelp("Mean cost per run this many times the median skill's counts as costly.", valueName: "factor"),
        reading: .number(moreThan: 1))
    var costFactor = CandidateThresholds().costFactor

    @Option(
        help: ArgumentHelp("A failure rate from which a skill counts as failing, from 0 to 1 (0.05 = 5%).", valueName: "rate"),
        reading: .number(moreThan: 0, atMost: 1))
    var failureRate = 0.05

    @Option(
        help: ArgumentHelp("A rise since the previous period that counts as a regression (0.25 = 25%).", valueName: "fraction"),
        reading: .number(moreThan: 0))
    var regression = 0.25

    @Flag(help: "List every skill, including those that look fine.")
    var all = false

    func run() async throws {
        let db = try await database.location.openForReading()
        let analyzer = Analyzer(store: db)
        let thresholds = CandidateThresholds(
            period: last, minimumRuns: minRuns, slowFactor: slowFactor, tokenFactor: tokenFactor,
            costFactor: costFactor, failureRate: failureRate, regression: regression)
        let now = Date()
        let start = now.addingTimeInterval(-last.seconds)
        let judged = try await analyzer.candidates(thresholds: thresholds, now: now)
        let candidates = judged.filter { all || [Recommendation.optimize, .monitor].contains($0.recommendation) }
        // The judged period and the one before it, its reference.
        try await MissingRuns.warnAboutInvalidRows(
            in: db, matching: MetricsFilter(window: TimeWindow(since: start.addingTimeInterval(-last.seconds), until: now)))
        let older = MetricsFilter(window: TimeWindow(until: start), order: .newestFirst, limit: 1)
        let report = CandidatesReport(
            candidates: candidates, period: last, start: start, judgedSkills: judged.count,
            olderRuns: try await db.countAndLastId(matching: older).count,
            latestOlderRun: try await db.metrics(matching: older).first { _ in true }?.date, now: now)
        try report.print(as: output.format)
    }
}
