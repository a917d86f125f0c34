/// When a skill is worth optimising, relative to the other skills and to its own past.
///
/// Every threshold compares a skill with the population (the median skill) or
/// with its previous period, so the defaults fit any mix of skills.
public struct CandidateThresholds: Sendable, Hashable {
    /// The period judged, ending now; the previous period of the same length is the reference for trends.
    public var period: TimeSpan
    /// Skills with fewer runs in the period are not judged.
    public var minimumRuns: Int
    /// p95 latency this many times the median skill's p95 counts as slow.
    public var slowFactor: Double
    /// Mean tokens this many times the median skill's mean counts as token-hungry.
    public var tokenFactor: Double
    /// Mean cost per run this many times the median skill's counts as costly
    /// (the median of the skills whose cost is known for some run).
    public var costFactor: Double
    /// A failure rate at or above this (0.05 = 5%) counts as failing.
    public var failureRate: Double
    /// A rise of this fraction (0.25 = 25%) in p95 latency, mean tokens or mean cost per run over the previous
    /// period counts as a regression.
    public var regression: Double
    /// A failure-rate rise (absolute, 0.05 = 5 percentage points) over the previous period that counts as a regression.
    public var failureRateRise: Double
    /// A score at or above this recommends ``Recommendation/optimize``; any reason at all recommends ``Recommendation/monitor``.
    public var optimizeScore: Double

    /// Creates thresholds; the defaults flag skills twice as slow, hungry or costly as the median one,
    /// failing 5% of the time, or 25% worse than the previous period.
    ///
    /// ```swift
    /// let strict = CandidateThresholds(period: .days(30), costFactor: 1.5)
    /// ```
    public init(
        period: TimeSpan = .days(7), minimumRuns: Int = 20, slowFactor: Double = 2, tokenFactor: Double = 2,
        costFactor: Double = 2, failureRate: Double = 0.05, regression: Double = 0.25, failureRateRise: Double = 0.05,
        optimizeScore: Double = 2
    ) {
        self.period = period
        self.minimumRuns = minimumRuns
        self.slowFactor = slowFactor
        self.tokenFactor = tokenFactor
        self.costFactor = costFactor
        self.failureRate = failureRate
        self.regression = regression
        self.failureRateRise = failureRateRise
        self.optimizeScore = optimizeScore
    }
}

/// What to do about a skill.
public enum Recommendation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Worth optimising now.
    case optimize
    /// Something is off; keep an eye on it.
    case monitor
    /// Nothing stands out.
    case ok
    /// Too few runs in the period to judge (fewer than ``CandidateThresholds/minimumRuns``).
    case notJudged = "not judged"
}

/// A skill, how much it needs attention, and why.
public struct OptimizationCandidate: Sendable, Hashable, Codable {
    /// The skill.
    public var skillId: String
    /// How much attention it needs: 0 when nothing stands out or not judged; higher is worse.
    public var score: Double
    /// What to do.
    public var recommendation: Recommendation
    /// Why, in words: `p95 8.2 s, 3.1x the median skill`, `$0.0420 per run, 2.5x the median skill ($0.0168)`.
    public var reasons: [String]
    /// The skill in the judged period.
    public var summary: SkillSummary
    /// The skill in the previous period, if it ran then (JSON `null` otherwise).
    public var previous: SkillSummary?

    /// Encodes every key, `null` for a skill without a previous period.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(skillId, forKey: .skillId)
        try container.encode(score, forKey: .score)
        try container.encode(recommendation, forKey: .recommendation)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(summary, forKey: .summary)
        try container.encode(previous, forKey: .previous)
    }
}
