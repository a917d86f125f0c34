import SkillForge

/// The models table of a skill's page: each model's runs, mean time, tokens,
/// failure rate and cost (per run and in all) in the page's window, from the
/// store's totals ("(none)" for the runs recorded without a model).
struct SkillModels {
    /// One model's figures.
    struct Row {
        var name: String
        var runs: String
        var mean: String
        var tokens: String
        var failureRate: String
        var failureClass: String
        var costPerRun: String
        var cost: String

        init(_ model: ModelTotals) {
            let totals = model.totals
            name = model.model ?? "(none)"
            runs = Readable.count(totals.runs)
            mean = Readable.milliseconds(totals.meanExecutionMs)
            tokens = Readable.tokens(totals.meanTokens)
            failureRate = Readable.percent(totals.failureRate)
            failureClass = DashboardFormat.failureClass(totals.failureRate)
            costPerRun = Readable.dollars(totals.meanCostUsd)
            cost = Readable.dollars(totals.totalCostUsd)
        }
    }

    var rows: [Row] = []

    /// The skill's models with runs in `window` (of `version`), most runs first;
    /// none when no run names a model.
    static func load(
        skillId: String, window: TimeWindow, version: String?, store: any MetricsStore
    ) async throws(ProfilerError) -> SkillModels {
        let models = try await store.modelTotals(matching: MetricsFilter(skillId: skillId, window: window, version: version))
        guard models.contains(where: { $0.model != nil }) else { return SkillModels() }
        // Most runs first; the store's order (by model) breaks ties.
        let ranked = models.enumerated().sorted { a, b in
            a.element.totals.runs != b.element.totals.runs ? a.element.totals.runs > b.element.totals.runs : a.offset < b.offset
        }
        return SkillModels(rows: ranked.map { Row($0.element) })
    }
}
