/// Averages over every run of one skill: the seed's `getAverageMetrics` result.
///
/// ```swift
/// if let summary = try db.averageMetrics(forSkill: "time-tracker") {
///     print(summary.avgExecutionMs, summary.failureRate)
/// }
/// ```
public struct AggregatedMetrics: Codable, Sendable, Hashable {
    /// The skill.
    public var skillId: String
    /// Mean execution time in milliseconds.
    public var avgExecutionMs: Double
    /// Mean of `tokensIn + tokensOut` per run whose tokens are known; `nil` (JSON `null`) when none are.
    public var avgTokens: Double?
    /// Number of runs; always at least 1.
    public var totalRuns: Int
    /// Failed runs divided by `totalRuns`, from 0 to 1.
    public var failureRate: Double

    /// Creates a summary.
    public init(skillId: String, avgExecutionMs: Double, avgTokens: Double?, totalRuns: Int, failureRate: Double) {
        self.skillId = skillId
        self.avgExecutionMs = avgExecutionMs
        self.avgTokens = avgTokens
        self.totalRuns = totalRuns
        self.failureRate = failureRate
    }

    /// Encodes every key, `null` for unknown mean tokens, as the seed's shape has them all.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(skillId, forKey: .skillId)
        try container.encode(avgExecutionMs, forKey: .avgExecutionMs)
        try container.encode(avgTokens, forKey: .avgTokens)
        try container.encode(totalRuns, forKey: .totalRuns)
        try container.encode(failureRate, forKey: .failureRate)
    }
}

/// A skill and how many runs of it are stored.
public struct SkillRunCount: Codable, Sendable, Hashable {
    /// The skill.
    public var skillId: String
    /// Stored runs of the skill.
    public var runs: Int
    /// Start of the most recent run, Unix epoch milliseconds.
    public var lastRun: Int64

    /// Creates a count.
    public init(skillId: String, runs: Int, lastRun: Int64) {
        self.skillId = skillId
        self.runs = runs
        self.lastRun = lastRun
    }
}

/// A version of a skill, how many runs of it are stored, and when it ran.
public struct VersionRunCount: Codable, Sendable, Hashable {
    /// The version; `nil` for the runs recorded without one.
    public var version: String?
    /// Stored runs of the version.
    public var runs: Int
    /// Start of its first run, Unix epoch milliseconds.
    public var firstRun: Int64
    /// Start of its most recent run, Unix epoch milliseconds.
    public var lastRun: Int64

    /// Creates a count.
    public init(version: String?, runs: Int, firstRun: Int64, lastRun: Int64) {
        self.version = version
        self.runs = runs
        self.firstRun = firstRun
        self.lastRun = lastRun
    }

    /// Encodes every key, `null` for runs without a version.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(runs, forKey: .runs)
        try container.encode(firstRun, forKey: .firstRun)
        try container.encode(lastRun, forKey: .lastRun)
    }
}
