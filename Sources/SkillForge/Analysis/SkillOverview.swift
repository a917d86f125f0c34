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
    /// Mean of `tokens_in + tokens_out`.
    public var meanTokens: Double
    /// Start of the first run, Unix milliseconds.
    public var firstRun: Int64
    /// Start of the last run, Unix milliseconds.
    public var lastRun: Int64

    /// The overview of a skill's totals.
    public init(_ skill: SkillTotals) {
        let totals = skill.totals
        (skillId, runs, failures, failureRate) = (skill.skillId, totals.runs, totals.failures, totals.failureRate)
        (meanExecutionMs, meanTokens) = (totals.meanExecutionMs, totals.meanTokens)
        (firstRun, lastRun) = (totals.firstRun ?? 0, totals.lastRun ?? 0)
    }
}
