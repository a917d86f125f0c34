/// A skill's totals over its whole history, as `skills --format json` and the
/// collector's `GET /v1/skills` show them: from the rollups, without reading a run.
///
/// ```swift
/// let overviews = try await store.skillTotals(matching: MetricsFilter()).skills.map(SkillOverview.init)
/// ```
public struct SkillOverview: Sendable, Hashable, Codable {
    /// The skill.
    public var skillId: String
    /// Runs stored.
    public var runs: Int
    /// Runs that failed.
    public var failures: Int
    /// `failures / runs`.
    public var failureRate: Double
    /// Mean execution time in milliseconds.
    public var meanExecutionMs: Double
    /// Runs whose tokens are known.
    public var tokenRuns: Int
    /// Mean of `tokens_in + tokens_out` over the runs whose tokens are known; `nil` (JSON `null`) without any.
    public var meanTokens: Double?
    /// Runs whose cost is known.
    public var costRuns: Int
    /// The mean of the known costs in US dollars per run; `nil` (JSON `null`) when no run's cost is known.
    public var meanCostUsd: Double?
    /// The sum of the known costs in US dollars; `nil` (JSON `null`) when no run's cost is known.
    public var totalCostUsd: Double?
    /// Start of the first run, Unix milliseconds.
    public var firstRun: Int64
    /// Start of the last run, Unix milliseconds.
    public var lastRun: Int64

    /// The overview of a skill's totals.
    public init(_ skill: SkillTotals) {
        let totals = skill.totals
        (skillId, runs, failures, failureRate) = (skill.skillId, totals.runs, totals.failures, totals.failureRate)
        (meanExecutionMs, tokenRuns, meanTokens) = (totals.meanExecutionMs, totals.tokenRuns, totals.meanTokens)
        (firstRun, lastRun) = (totals.firstRun ?? 0, totals.lastRun ?? 0)
        (costRuns, meanCostUsd, totalCostUsd) = (totals.costRuns, totals.meanCostUsd, totals.totalCostUsd)
    }

    /// Encodes every key, `null` for unknown tokens and costs, so the shape never changes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(skillId, forKey: .skillId)
        try container.encode(runs, forKey: .runs)
        try container.encode(failures, forKey: .failures)
        try container.encode(failureRate, forKey: .failureRate)
        try container.encode(meanExecutionMs, forKey: .meanExecutionMs)
        try container.encode(tokenRuns, forKey: .tokenRuns)
        try container.encode(meanTokens, forKey: .meanTokens)
        try container.encode(costRuns, forKey: .costRuns)
        try container.encode(meanCostUsd, forKey: .meanCostUsd)
        try container.encode(totalCostUsd, forKey: .totalCostUsd)
        try container.encode(firstRun, forKey: .firstRun)
        try container.encode(lastRun, forKey: .lastRun)
    }
}
