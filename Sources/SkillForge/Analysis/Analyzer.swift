/// Answers the questions skill authors ask of their runs: which skills are
/// slow, token-hungry or failing, whether a new version beats the old one, and
/// whether things are getting worse.
///
/// ```swift
/// let analyzer = Analyzer(store: try ProfilerDB())
/// for summary in try await analyzer.summaries(window: .last(.days(7)), sortedBy: .p95) {
///     print(summary.skillId, summary.executionMs.p95, summary.failureRate)
/// }
/// let verdict = try await analyzer.compare(skill: "summarise", baseline: .version("1.0"), candidate: .version("2.0")).verdict
/// ```
///
/// Every method reads one consistent snapshot per query and works in bounded
/// memory however many runs are stored: runs stream from the store, and
/// percentiles come from exact value counts (see ``ValueCounts``), or from the
/// store's ordered queries for measures too varied to count in memory.
public struct Analyzer: Sendable {
    /// The store analysed.
    public let store: any MetricsStore

    /// The distinct large values counted in memory per measure before asking the store for percentiles.
    let sparseValueLimit: Int

    /// Creates an analyzer of `store`.
    public init(store: any MetricsStore) {
        self.init(store: store, sparseValueLimit: ValueCounts.maximumSparseValues)
    }

    init(store: any MetricsStore, sparseValueLimit: Int) {
        self.store = store
        self.sparseValueLimit = sparseValueLimit
    }
}

// MARK: - Summaries

/// The orders ``Analyzer/summaries(window:version:model:sortedBy:)`` can sort by.
///
/// Skill ids sort ascending; every measure sorts descending (worst first),
/// ties by skill id.
public enum SummaryOrder: String, Sendable, Hashable, Codable, CaseIterable {
    case skill, runs, failures
    case failureRate = "failure-rate"
    case mean, p50, p90, p95, p99, max
    case tokens
    case tokensP95 = "tokens-p95"
    /// The total of the known costs: what the skill has cost in all.
    case cost
    /// The mean known cost per run.
    case costPerRun = "cost-per-run"
    case lastRun = "last-run"

    /// The compared value of a summary, larger first.
    private func key(_ summary: SkillSummary) -> Double {
        switch self {
        case .skill: 0
        case .runs: Double(summary.runs)
        case .failures: Double(summary.failures)
        case .failureRate: summary.failureRate
        case .mean: summary.executionMs.mean
        case .p50: summary.executionMs.p50
        case .p90: summary.executionMs.p90
        case .p95: summary.executionMs.p95
        case .p99: summary.executionMs.p99
        case .max: Double(summary.executionMs.max)
        case .tokens: summary.tokens?.total.mean ?? -.infinity
        case .tokensP95: summary.tokens?.total.p95 ?? -.infinity
        case .cost: summary.cost?.total ?? -.infinity
        case .costPerRun: summary.cost?.mean ?? -.infinity
        case .lastRun: Double(summary.lastRun)
        }
    }

    /// `summaries` in this order, as ``Analyzer/summaries(window:version:model:sortedBy:includingTokenPercentiles:)`` sorts them.
    ///
    /// ```swift
    /// let slowestFirst = SummaryOrder.p95.sorted(summaries)
    /// ```
    public func sorted(_ summaries: [SkillSummary]) -> [SkillSummary] {
        summaries.sorted { a, b in
            let (keyA, keyB) = (key(a), key(b))
            return keyA != keyB ? keyA > keyB : a.skillId < b.skillId
        }
    }
}

extension Analyzer {
    /// The summary of one skill's runs in a window, or `nil` when it has none there.
    ///
    /// ```swift
    /// let lastWeek = try await analyzer.summary(forSkill: "summarise", window: .last(.days(7)), version: "2.0")
    /// ```
    ///
    /// - Parameters:
    ///   - window: Only runs that started inside it.
    ///   - version: Only runs of this version.
    ///   - model: Only runs on this model.
    ///   - includingTokenPercentiles: Whether to compute the 95th percentiles of
    ///     the token counts (else `nil`), see
    ///     ``summaries(window:version:model:sortedBy:includingTokenPercentiles:)``.
    public func summary(
        forSkill skillId: String, window: TimeWindow = .all, version: String? = nil, model: String? = nil,
        includingTokenPercentiles: Bool = false
    ) async throws(ProfilerError) -> SkillSummary? {
        try await summaries(
            matching: MetricsFilter(skillId: skillId, window: window, version: version, model: model),
            includingTokenPercentiles: includingTokenPercentiles
        ).first
    }

    /// The summaries of every skill with runs in the window.
    ///
    /// ```swift
    /// let slowestFirst = try await analyzer.summaries(window: .last(.days(7)), sortedBy: .p95)
    /// ```
    ///
    /// Without a window (for every version and model, or one of them) the
    /// store's totals and its counts of execution times answer, without
    /// reading a run; with one, one pass over the selected runs does. Either way every figure
    /// is exact. The percentiles of the token counts always cost a pass over
    /// the runs, so they are computed only when asked for (or sorted by).
    ///
    /// - Parameter includingTokenPercentiles: Whether to compute each token
    ///   count's 95th percentile (``TokenCounts/p95``, else `nil`).
    public func summaries(
        window: TimeWindow = .all, version: String? = nil, model: String? = nil, sortedBy order: SummaryOrder = .skill,
        includingTokenPercentiles: Bool = false
    ) async throws(ProfilerError) -> [SkillSummary] {
        try await summariesCountingInvalidRows(
            matching: MetricsFilter(window: window, version: version, model: model), sortedBy: order,
            includingTokenPercentiles: includingTokenPercentiles
        ).summaries
    }

    /// The summaries of the runs `filter` selects (its order and limit are
    /// ignored), and how many stored rows it skipped because they break the
    /// rules of the store.
    ///
    /// ```swift
    /// let (summaries, invalidRows) = try await analyzer.summariesCountingInvalidRows(
    ///     matching: MetricsFilter(window: .last(.days(7))), sortedBy: .p95)
    /// ```
    public func summariesCountingInvalidRows(
        matching filter: MetricsFilter, sortedBy order: SummaryOrder = .skill, includingTokenPercentiles: Bool = false
    ) async throws(ProfilerError) -> (summaries: [SkillSummary], invalidRows: Int) {
        let (summaries, invalidRows) = try await summariesAndSkippedRows(
            matching: filter, includingTokenPercentiles: includingTokenPercentiles || order == .tokensP95)
        return (order.sorted(summaries), invalidRows)
    }

    /// Summaries of the runs `filter` selects, by skill, in skill order.
    func summaries(
        matching filter: MetricsFilter, includingTokenPercentiles: Bool = false
    ) async throws(ProfilerError) -> [SkillSummary] {
        try await summariesAndSkippedRows(matching: filter, includingTokenPercentiles: includingTokenPercentiles).summaries
    }

    private func summariesAndSkippedRows(
        matching filter: MetricsFilter, includingTokenPercentiles: Bool
    ) async throws(ProfilerError) -> (summaries: [SkillSummary], skipped: Int) {
        if !includingTokenPercentiles && filter.window == .all {
            return try await summariesFromTotals(matching: filter)
        }
        let accumulator = SummaryAccumulator(sparseValueLimit: sparseValueLimit, countsTokens: includingTokenPercentiles)
        let scan = try await store.scanRuns(RunSelection(filter), into: SummaryCollector(accumulator: accumulator))
        var collector = scan.visitor
        collector.finishSkill()
        var summaries = collector.summaries
        for pending in collector.inexact {
            var skillFilter = filter
            skillFilter.skillId = pending.skillId
            for (measure, runs) in pending.measures {
                let values = try await store.percentiles(
                    measure.reportedPercentiles, of: measure, in: RunSelection(skillFilter), side: nil, count: runs)
                summaries[pending.index].setPercentiles(values, of: measure)
            }
        }
        return (summaries, scan.skippedRows)
    }

    /// Summaries from the store's per-skill totals and the percentiles of each
    /// skill's execution times, which a store answers from counts it keeps.
    private func summariesFromTotals(
        matching filter: MetricsFilter
    ) async throws(ProfilerError) -> (summaries: [SkillSummary], skipped: Int) {
        let report = try await store.skillTotals(matching: filter)
        var summaries: [SkillSummary] = []
        summaries.reserveCapacity(report.skills.count)
        for skill in report.skills {
            var skillFilter = filter
            skillFilter.skillId = skill.skillId
            let percentiles = try await store.percentiles(
                SummaryAccumulator.latencyPercentiles, of: .executionMs, in: RunSelection(skillFilter), side: nil,
                count: skill.totals.runs)
            summaries.append(SkillSummary(skill, executionMsPercentiles: percentiles))
        }
        return (summaries, report.invalidRows)
    }
}

/// Turns a scan grouped by skill into summaries, one skill at a time.
private struct SummaryCollector: RunSampleVisitor {
    var accumulator: SummaryAccumulator
    var skillId: String?
    var summaries: [SkillSummary] = []
    /// Skills with measures to complete with SQL: their position, id, and measures with the runs that have each.
    var inexact: [(index: Int, skillId: String, measures: [(measure: Measure, runs: Int)])] = []

    mutating func beginSkill(_ skillId: String) {
        finishSkill()
        self.skillId = skillId
    }

    mutating func visit(_ run: RunSample) {
        accumulator.add(run)
    }

    mutating func finishSkill() {
        defer { accumulator.removeAll() }
        guard let skillId, let summary = accumulator.summary(skillId: skillId) else { return }
        let measures = accumulator.inexactMeasures
        if !measures.isEmpty {
            inexact.append((summaries.count, skillId, measures.map { ($0, accumulator.runs(measuring: $0)) }))
        }
        summaries.append(summary)
        self.skillId = nil
    }
}

extension Measure {
    /// The percentiles a summary reports for this measure.
    var reportedPercentiles: [Double] {
        switch self {
        case .executionMs: SummaryAccumulator.latencyPercentiles
        case .tokensIn, .tokensOut, .tokensTotal: SummaryAccumulator.tokenPercentiles
        case .costNanodollars: SummaryAccumulator.costPercentiles
        }
    }
}

extension SkillSummary {
    /// Replaces the percentiles of `measure` with `values` (in ``Measure/reportedPercentiles`` order).
    mutating func setPercentiles(_ values: [Double], of measure: Measure) {
        switch measure {
        case .executionMs where values.count == 4:
            (executionMs.p50, executionMs.p90, executionMs.p95, executionMs.p99) = (values[0], values[1], values[2], values[3])
        case .tokensIn: tokens?.in.p95 = values.first
        case .tokensOut: tokens?.out.p95 = values.first
        case .tokensTotal: tokens?.total.p95 = values.first
        case .costNanodollars where values.count == 2:
            cost?.p50 = values[0] / Nanodollars.perDollar
            cost?.p95 = values[1] / Nanodollars.perDollar
        default: break
        }
    }
}

extension SkillSummary {
    /// The summary of a skill's totals, with the percentiles of its execution
    /// times (in ``SummaryAccumulator/latencyPercentiles`` order) and no token
    /// percentiles.
    init(_ skill: SkillTotals, executionMsPercentiles ms: [Double]) {
        let totals = skill.totals
        let tokenRuns = Double(totals.tokenRuns)
        func tokens(sum: Int64) -> TokenCounts { TokenCounts(mean: Double(sum) / tokenRuns, p95: nil, sum: sum) }
        func percentile(_ index: Int) -> Double { index < ms.count ? ms[index] : 0 }
        self.init(
            skillId: skill.skillId,
            runs: totals.runs,
            successes: totals.runs - totals.failures,
            failures: totals.failures,
            failureRate: totals.failureRate,
            executionMs: LatencyStatistics(
                min: totals.executionMsMin ?? 0, mean: totals.meanExecutionMs,
                p50: percentile(0), p90: percentile(1), p95: percentile(2), p99: percentile(3),
                max: totals.executionMsMax ?? 0, standardDeviation: totals.executionMsStandardDeviation),
            tokenRuns: totals.tokenRuns,
            tokens: totals.tokenRuns == 0
                ? nil
                : TokenStatistics(
                    in: tokens(sum: totals.tokensInSum), out: tokens(sum: totals.tokensOutSum),
                    total: tokens(sum: totals.tokensInSum.saturatingAdd(totals.tokensOutSum))),
            cacheReadTokens: totals.cacheReadTokensSum,
            cacheCreationTokens: totals.cacheCreationTokensSum,
            estimatedTokensShare: totals.tokenRuns == 0 ? 0 : Double(totals.estimatedRuns) / tokenRuns,
            firstRun: totals.firstRun ?? 0,
            lastRun: totals.lastRun ?? 0,
            costRuns: totals.costRuns,
            cost: CostStatistics(runs: totals.costRuns, nanodollars: totals.costNanodollars))
    }
}
