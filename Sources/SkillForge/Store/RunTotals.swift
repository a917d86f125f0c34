import Foundation

// MARK: - Totals

/// Counts, sums and extremes of a set of runs: what a store keeps up to date
/// as runs are written (``ProfilerDB``'s rollups), so that the cheap questions
/// (how many runs, how slow on average, how often failing, how many tokens)
/// are answered without reading the runs.
///
/// ```swift
/// let report = try await store.skillTotals(matching: MetricsFilter(window: .last(.days(7))))
/// for skill in report.skills {
///     print(skill.skillId, skill.totals.runs, skill.totals.meanExecutionMs, skill.totals.failureRate)
/// }
/// ```
///
/// Only valid runs count; rows that break the rules of the store count in
/// ``invalidRuns`` alone. The token sums and ``estimatedRuns`` count the
/// ``tokenRuns`` alone: a run whose tokens are unknown adds nothing to them.
/// Sums saturate at `Int64.max`.
public struct RunTotals: Sendable, Hashable {
    /// Valid runs.
    public var runs = 0
    /// Runs that failed.
    public var failures = 0
    /// The sum of the execution times, in milliseconds.
    public var executionMsSum: Int64 = 0
    /// The sum of the squared execution times (a float: it outgrows 64 bits).
    public var executionMsSquares: Double = 0
    /// The fastest run, or `nil` without runs.
    public var executionMsMin: Int64?
    /// The slowest run, or `nil` without runs.
    public var executionMsMax: Int64?
    /// Valid runs whose tokens are known (``SkillMetrics/hasKnownTokens``).
    public var tokenRuns = 0
    /// The sum of the input tokens.
    public var tokensInSum: Int64 = 0
    /// The sum of the output tokens.
    public var tokensOutSum: Int64 = 0
    /// The sum of the input tokens read from the prompt cache.
    public var cacheReadTokensSum: Int64 = 0
    /// The sum of the input tokens written to the prompt cache.
    public var cacheCreationTokensSum: Int64 = 0
    /// Runs whose token counts are estimates.
    public var estimatedRuns = 0
    /// The start of the first run, Unix milliseconds, or `nil` without runs.
    public var firstRun: Int64?
    /// The start of the last run, Unix milliseconds, or `nil` without runs.
    public var lastRun: Int64?
    /// Rows that break the rules of the store.
    public var invalidRuns = 0
    /// Valid runs whose cost is known (stated or computed).
    public var costRuns = 0
    /// The sum of the known costs, in whole billionths of a dollar (exact).
    public var costNanodollars: Int64 = 0

    /// Totals of no runs.
    public init() {}

    /// Adds one valid run.
    public mutating func add(_ metric: SkillMetrics) {
        runs += 1
        if !metric.success { failures += 1 }
        executionMsSum = executionMsSum.saturatingAdd(metric.executionMs)
        executionMsSquares += Double(metric.executionMs) * Double(metric.executionMs)
        includeExtremes(
            executionMs: (metric.executionMs, metric.executionMs), timestamps: (metric.timestamp, metric.timestamp))
        if let cost = metric.costUsd.flatMap(Nanodollars.of) {
            costRuns += 1
            costNanodollars = costNanodollars.saturatingAdd(cost)
        }
        guard metric.hasKnownTokens else { return }
        tokenRuns += 1
        tokensInSum = tokensInSum.saturatingAdd(metric.tokensIn)
        tokensOutSum = tokensOutSum.saturatingAdd(metric.tokensOut)
        cacheReadTokensSum = cacheReadTokensSum.saturatingAdd(metric.cacheReadTokens ?? 0)
        cacheCreationTokensSum = cacheCreationTokensSum.saturatingAdd(metric.cacheCreationTokens ?? 0)
        if metric.tokensEstimated == true { estimatedRuns += 1 }
    }

    /// Adds the runs that `other` totals.
    public mutating func add(_ other: RunTotals) {
        runs += other.runs
        failures += other.failures
        executionMsSum = executionMsSum.saturatingAdd(other.executionMsSum)
        executionMsSquares += other.executionMsSquares
        tokensInSum = tokensInSum.saturatingAdd(other.tokensInSum)
        tokensOutSum = tokensOutSum.saturatingAdd(other.tokensOutSum)
        cacheReadTokensSum = cacheReadTokensSum.saturatingAdd(other.cacheReadTokensSum)
        cacheCreationTokensSum = cacheCreationTokensSum.saturatingAdd(other.cacheCreationTokensSum)
        estimatedRuns += other.estimatedRuns
        tokenRuns += other.tokenRuns
        invalidRuns += other.invalidRuns
        costRuns += other.costRuns
        costNanodollars = costNanodollars.saturatingAdd(other.costNanodollars)
        includeExtremes(of: other)
    }

    /// Widens the smallest and largest values to those of `other`.
    mutating func includeExtremes(of other: RunTotals) {
        if let min = other.executionMsMin, let max = other.executionMsMax {
            includeExtremes(executionMs: (min, max), timestamps: nil)
        }
        if let first = other.firstRun, let last = other.lastRun {
            includeExtremes(executionMs: nil, timestamps: (first, last))
        }
    }

    private mutating func includeExtremes(executionMs: (Int64, Int64)?, timestamps: (Int64, Int64)?) {
        if let (min, max) = executionMs {
            executionMsMin = Swift.min(executionMsMin ?? min, min)
            executionMsMax = Swift.max(executionMsMax ?? max, max)
        }
        if let (first, last) = timestamps {
            firstRun = Swift.min(firstRun ?? first, first)
            lastRun = Swift.max(lastRun ?? last, last)
        }
    }
}

// MARK: - Derived figures

extension RunTotals {
    /// The mean execution time, or 0 without runs.
    public var meanExecutionMs: Double { runs > 0 ? Double(executionMsSum) / Double(runs) : 0 }

    /// The sample standard deviation of the execution times (n − 1 in the
    /// denominator, like `numpy.std(x, ddof=1)`), or `nil` below two runs.
    ///
    /// It comes from the sums, so it can lose precision when the deviations are
    /// tiny next to the times themselves (a millisecond around an hour).
    public var executionMsStandardDeviation: Double? {
        guard runs > 1 else { return nil }
        let n = Double(runs)
        let sum = Double(executionMsSum)
        let squaredDeviations = Swift.max(0, executionMsSquares - sum * sum / n)
        return (squaredDeviations / (n - 1)).squareRoot()
    }

    /// The mean of `tokens_in + tokens_out` per run whose tokens are known, or
    /// `nil` when no run's are (unknown, not 0).
    public var meanTokens: Double? {
        tokenRuns > 0 ? (Double(tokensInSum) + Double(tokensOutSum)) / Double(tokenRuns) : nil
    }

    /// The sum of the known costs in US dollars, or `nil` when no run's cost is known (unknown, not 0).
    public var totalCostUsd: Double? { costRuns > 0 ? Nanodollars.dollars(costNanodollars) : nil }

    /// The mean cost of the runs whose cost is known, in US dollars, or `nil` when none is.
    public var meanCostUsd: Double? { costRuns > 0 ? Nanodollars.dollars(costNanodollars) / Double(costRuns) : nil }

    /// `failures / runs`, or 0 without runs.
    public var failureRate: Double { runs > 0 ? Double(failures) / Double(runs) : 0 }
}

/// The totals of one skill's runs.
public struct SkillTotals: Sendable, Hashable {
    /// The skill.
    public var skillId: String
    /// Its runs' totals.
    public var totals: RunTotals

    /// Creates the totals of a skill.
    public init(skillId: String, totals: RunTotals) {
        self.skillId = skillId
        self.totals = totals
    }
}

/// The totals of one skill's runs on one model: a row of the per-model breakdown.
///
/// ```swift
/// for group in try await store.modelTotals(matching: MetricsFilter(skillId: "summarise")) {
///     print(group.model ?? "(none)", group.totals.runs, group.totals.meanCostUsd ?? .nan)
/// }
/// ```
public struct ModelTotals: Sendable, Hashable {
    /// The skill.
    public var skillId: String
    /// The model; `nil` for the runs recorded without one.
    public var model: String?
    /// Its runs' totals.
    public var totals: RunTotals

    /// Creates the totals of a skill's runs on a model.
    public init(skillId: String, model: String?, totals: RunTotals) {
        self.skillId = skillId
        self.model = model
        self.totals = totals
    }

    /// Whether `a` comes before `b`: by skill, then model (runs without one
    /// first), texts by their bytes as SQLite orders them.
    package static func precedes(_ a: ModelTotals, _ b: ModelTotals) -> Bool {
        if !a.skillId.utf8.elementsEqual(b.skillId.utf8) { return a.skillId.utf8.lexicographicallyPrecedes(b.skillId.utf8) }
        guard let modelB = b.model else { return false }
        guard let modelA = a.model else { return true }
        return modelA.utf8.lexicographicallyPrecedes(modelB.utf8)
    }
}

// MARK: - Reports

/// The totals of each skill's runs that a filter selects, and how many stored
/// rows it left out because they break the rules of the store: what
/// ``MetricsStore/skillTotals(matching:)`` answers.
public struct SkillTotalsReport: Sendable, Hashable {
    /// Skills with valid runs, in byte order of their ids.
    public var skills: [SkillTotals] = []
    /// Rows that match the filter but break the rules of the store (also of skills without valid runs).
    public var invalidRows = 0

    /// A report of no runs.
    public init() {}

    /// The report of `skills` (in any order) and `invalidRows`.
    public init(skills: [SkillTotals], invalidRows: Int) {
        self.skills = skills.sorted { $0.skillId.utf8.lexicographicallyPrecedes($1.skillId.utf8) }
        self.invalidRows = invalidRows
    }

    /// Adds the runs of `other`, which covers other runs (another part of a window).
    mutating func add(_ other: SkillTotalsReport) {
        var index = Dictionary(skills.enumerated().map { (Array($1.skillId.utf8), $0) }, uniquingKeysWith: { a, _ in a })
        for skill in other.skills {
            if let position = index[Array(skill.skillId.utf8)] {
                skills[position].totals.add(skill.totals)
            } else {
                index[Array(skill.skillId.utf8)] = skills.count
                skills.append(skill)
            }
        }
        skills.sort { $0.skillId.utf8.lexicographicallyPrecedes($1.skillId.utf8) }
        invalidRows += other.invalidRows
    }

    /// The first and last run of every skill, or `nil` without runs.
    var timeRange: (first: Int64, last: Int64)? {
        let firsts = skills.compactMap(\.totals.firstRun)
        let lasts = skills.compactMap(\.totals.lastRun)
        guard let first = firsts.min(), let last = lasts.max() else { return nil }
        return (first, last)
    }
}
