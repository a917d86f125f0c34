/// The hyperfine-style summary of one `profile` session: the runs it just recorded.
///
/// ```swift
/// let runs = try await CommandProfiler(store: db).profile(skill: "time-tracker", command: command, iterations: 5)
/// if let summary = ProfileSummary(runs.map(\.metric)) {
///     print(summary.meanMs, summary.p95Ms)
/// }
/// ```
///
/// It summarises the few runs held in memory; summaries of stored history
/// come from the database (see ``ProfilerDB/averageMetrics(forSkill:)``).
public struct ProfileSummary: Sendable, Hashable, Codable {
    /// The skill.
    public var skillId: String
    /// Measured runs.
    public var runs: Int
    /// Runs that failed.
    public var failures: Int
    /// Mean execution time, ms.
    public var meanMs: Double
    /// Sample standard deviation of the execution time (n − 1 denominator), ms; `nil` for one run.
    public var standardDeviationMs: Double?
    /// Fastest run, ms.
    public var minMs: Int64
    /// Slowest run, ms.
    public var maxMs: Int64
    /// Median execution time (linear interpolation, see ``Percentile``), ms.
    public var p50Ms: Double
    /// 95th percentile of the execution time, ms.
    public var p95Ms: Double
    /// Mean input tokens per run.
    public var meanTokensIn: Double
    /// Mean output tokens per run.
    public var meanTokensOut: Double
    /// Whether any run's tokens are estimates rather than reported usage.
    public var tokensEstimated: Bool
    /// The error of the last failed run.
    public var lastError: String?

    /// Summarises `runs` of one skill, or returns `nil` when there are none.
    public init?(_ runs: [SkillMetrics]) {
        guard !runs.isEmpty else { return nil }
        let count = Double(runs.count)
        let times = runs.map(\.executionMs).sorted()
        let mean = Double(times.reduce(0, +)) / count
        skillId = runs[0].skillId
        self.runs = runs.count
        failures = runs.count { !$0.success }
        meanMs = mean
        standardDeviationMs = runs.count < 2 ? nil
            : (times.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / (count - 1)).squareRoot()
        minMs = times[0]
        maxMs = times[times.count - 1]
        p50Ms = Percentile.linear(50, ofSorted: times) ?? mean
        p95Ms = Percentile.linear(95, ofSorted: times) ?? mean
        meanTokensIn = Double(runs.map(\.tokensIn).reduce(0, +)) / count
        meanTokensOut = Double(runs.map(\.tokensOut).reduce(0, +)) / count
        tokensEstimated = runs.contains { $0.tokensEstimated == true }
        lastError = runs.last { !$0.success }?.error
    }
}
