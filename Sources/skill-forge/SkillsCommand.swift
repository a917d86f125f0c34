import ArgumentParser
import SkillForge

struct SkillsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skills",
        abstract: "List the recorded skills with their runs, failure rate, mean time, tokens and cost, or the versions of one skill.",
        discussion: """
            Every figure covers a skill's whole history and comes from totals the database \
            keeps as runs are written: milliseconds however many runs there are. For \
            percentiles or a time window, see stats. The cost is the total in US dollars \
            over the runs whose cost is known (n/a without any, never $0; see README.md, "Cost").

            With a skill, lists its versions (runs without a version as "(none)"), oldest \
            first, with their number of runs and their first and last run: the names that \
            compare --baseline and --candidate take.

            With --by-model, one row per skill and model (runs without a model as \
            "(none)"), with the same figures and the cost per run: what each model \
            costs a skill. With a skill, only that skill's models.

            Examples:
              skill-forge skills
              skill-forge skills --format json
              skill-forge skills summarise
              skill-forge skills --by-model
              skill-forge skills summarise --by-model --format csv
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "A skill whose versions (or models, with --by-model) to list.")
    var skill: String?

    @Flag(name: .customLong("by-model"), help: "One row per skill and model, with the cost per run and in total.")
    var byModel = false

    func run() async throws {
        let db = try await database.location.openForReading()
        if byModel {
            try await listModels(in: db)
            return
        }
        if let skill {
            let versions = try await db.versionRunCounts(forSkill: skill)
            let printer = RecordPrinter<VersionRunCount>(format: output.format, output: .standardOutput())
            try printer.print(contentsOf: versions)
            printer.finish()
            try await MissingRuns.warnAboutInvalidRows(in: db, matching: MetricsFilter(skillId: skill))
            if versions.isEmpty && output.format == .table {
                printWarning("no runs of \(skill.debugDescription) at all")
            }
            return
        }
        let report = try await db.skillTotals(matching: MetricsFilter())
        let printer = RecordPrinter<SkillOverview>(format: output.format, output: .standardOutput())
        try printer.print(contentsOf: report.skills.map(SkillOverview.init))
        printer.finish()
        MissingRuns.warnAboutInvalidRows(count: report.invalidRows)
        let runs = report.skills.reduce(0) { $0 + $1.totals.runs }
        MissingRuns.noteUnknownTokens(tokenRuns: report.skills.reduce(0) { $0 + $1.totals.tokenRuns }, runs: runs)
        MissingRuns.noteUnknownCosts(costRuns: report.skills.reduce(0) { $0 + $1.totals.costRuns }, runs: runs)
        if report.skills.isEmpty && output.format == .table {
            printWarning("no skills recorded yet in \(database.location.shown)")
        }
    }

    /// Every skill's models, or `skill`'s, with their totals.
    private func listModels(in db: any MetricsStore) async throws {
        let filter = MetricsFilter(skillId: skill)
        let models = try await db.modelTotals(matching: filter)
        let printer = RecordPrinter<ModelOverview>(format: output.format, output: .standardOutput())
        try printer.print(contentsOf: models.map(ModelOverview.init))
        printer.finish()
        try await MissingRuns.warnAboutInvalidRows(in: db, matching: filter)
        let runs = models.reduce(0) { $0 + $1.totals.runs }
        MissingRuns.noteUnknownTokens(tokenRuns: models.reduce(0) { $0 + $1.totals.tokenRuns }, runs: runs)
        MissingRuns.noteUnknownCosts(costRuns: models.reduce(0) { $0 + $1.totals.costRuns }, runs: runs)
        if models.isEmpty && output.format == .table {
            printWarning(skill.map { "no runs of \($0.debugDescription) at all" } ?? "no skills recorded yet in \(database.location.shown)")
        }
    }
}
