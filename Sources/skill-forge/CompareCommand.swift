import ArgumentParser
import Foundation
import SkillForge

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two versions (or two periods) of a skill, with significance tests and a verdict.",
        discussion: """
            Latency, tokens and cost per run are compared with the Mann-Whitney U test, the \
            failure rate with Fisher's exact test (small counts) or the two-proportion \
            z-test. Tokens and cost are tested on the runs whose tokens (cost) are known, and \
            not compared (n/a, JSON null) when a side has none. A measure counts as changed \
            when its p-value is below --alpha and the change is at least --min-change \
            (latency p50 or p95, tokens or cost mean or p95) or one percentage point \
            (failure rate). The verdict is worse if any measure got worse, better if any \
            improved, else no significant difference; not enough data when a side has fewer \
            than --min-runs runs.

            With --exit-code, the exit status is 0 for better, 1 for worse and 2 for no \
            significant difference or not enough data, so a CI pipeline can gate a release \
            on it. A side that matches no run at all (a mistyped version, an empty window) \
            is an error that lists the skill's versions, with exit status 3, with or without \
            --exit-code. (Other errors exit with 1, or 64 for a malformed command line.) \
            skill-forge skills SKILL lists the versions.

            A window is START..END, each end a time (2026-11-20, 2026-11-20T10:00:00Z, Unix \
            ms) or a span ago (7d); an end may be left open: 7d.. is "the last 7 days".

            Examples:
              skill-forge compare summarise --baseline 1.0 --candidate 2.0
              skill-forge compare summarise --baseline 1.0 --candidate 2.0 --exit-code
              skill-forge compare summarise --baseline-window 14d..7d \\
                --candidate-window 7d..
              skill-forge compare summarise --baseline 1.0 --candidate 2.0 --format json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The skill.")
    var skill: String

    @Option(help: ArgumentHelp("The baseline version.", valueName: "version"))
    var baseline: String?

    @Option(help: ArgumentHelp("The candidate version.", valueName: "version"))
    var candidate: String?

    @Option(help: ArgumentHelp("The baseline's time window, START..END.", valueName: "window"), reading: .window)
    var baselineWindow: TimeWindow?

    @Option(help: ArgumentHelp("The candidate's time window, START..END.", valueName: "window"), reading: .window)
    var candidateWindow: TimeWindow?

    @Option(help: "Only runs on this model, on both sides.")
    var model: String?

    @Option(help: "Significance level.", reading: .number(moreThan: 0, lessThan: 1))
    var alpha = 0.05

    @Option(help: ArgumentHelp("Fewest runs per side for a verdict.", valueName: "count"), reading: .number(atLeast: 1))
    var minRuns = 20

    @Option(
        help: ArgumentHelp("Smallest relative change that matters (0.05 = 5%).", valueName: "fraction"),
        reading: .number(atLeast: 0))
    var minChange = 0.05

    @Flag(help: "Exit with 0 (better), 1 (worse) or 2 (inconclusive); a side without runs exits with 3 anyway.")
    var exitCode = false

    func validate() throws {
        guard baseline != nil || baselineWindow != nil else {
            throw ValidationError("Give the baseline: --baseline VERSION and/or --baseline-window START..END.")
        }
        guard candidate != nil || candidateWindow != nil else {
            throw ValidationError("Give the candidate: --candidate VERSION and/or --candidate-window START..END.")
        }
    }

    /// The exit status when a side matches no run.
    static let emptySideStatus: Int32 = 3

    func run() async throws {
        let db = try await database.location.openForReading()
        let analyzer = Analyzer(store: db)
        let comparison = try await analyzer.compare(
            skill: skill,
            baseline: ComparisonSide(version: baseline, window: baselineWindow ?? .all),
            candidate: ComparisonSide(version: candidate, window: candidateWindow ?? .all),
            options: ComparisonOptions(alpha: alpha, minimumRuns: minRuns, minimumRelativeChange: minChange, model: model))
        try await MissingRuns.warnAboutInvalidRows(in: db, matching: MetricsFilter(skillId: skill, model: model))
        // A side that matches nothing at all; not one whose runs all count for the baseline.
        var emptySides: [(String, ComparedSide)] = []
        for (name, side) in [("baseline", comparison.baseline), ("candidate", comparison.candidate)] where side.runs == 0 {
            let alone = MetricsFilter(skillId: skill, window: side.side.window, version: side.side.version, model: model)
            if try await !MissingRuns.hasValidRuns(in: db, matching: alone) { emptySides.append((name, side)) }
        }
        guard emptySides.isEmpty else {
            let sides = emptySides.map { name, side in "the \(name) (\(side.label))" }.joined(separator: " or ")
            let onModel = model.map { " on model \($0.debugDescription)" } ?? ""
            let versions = try await MissingRuns.versions(in: db, of: skill)
            printNote(
                "Error: no runs of \(skill.debugDescription)\(onModel) match \(sides)"
                    + (versions.isEmpty ? "; the skill has no runs at all" : versions))
            throw ExitCode(Self.emptySideStatus)
        }
        try ComparisonReport(comparison: comparison).print(as: output.format)
        if exitCode {
            switch comparison.verdict {
            case .better: break
            case .worse: throw ExitCode(1)
            case .noSignificantDifference, .notEnoughData: throw ExitCode(2)
            }
        }
    }
}

extension ValueReader where Value == TimeWindow {
    static var window: ValueReader { ValueReader(TimeArgument.window) }
}
