/// Everything about one skill's runs in a window: volume, failures, latency
/// percentiles and tokens.
///
/// Percentiles are exact, by linear interpolation between closest ranks
/// (numpy's default `percentile`, see ``Percentile``), so they can be checked
/// with `numpy.percentile` or pandas' `quantile`.
///
/// ```swift
/// let analyzer = Analyzer(store: db)
/// if let summary = try await analyzer.summary(forSkill: "summarise", window: .last(.days(7))) {
///     print(summary.executionMs.p95, summary.failureRate)
/// }
/// ```
///
/// Counts, sums, means, extremes and the standard deviation come from the
/// store's totals (``MetricsStore/skillTotals(matching:)``) where it keeps
/// them, and from the runs otherwise; the two agree to the last run.
///
/// Token figures cover only the ``tokenRuns``, the runs whose tokens are known
/// (``SkillMetrics/hasKnownTokens``): a run whose tokens nobody measured is not
/// a run of 0 tokens. Without any, ``tokens`` is `nil` (JSON `null`, "n/a" in
/// the CLI's text).
///
/// Cost figures cover only the ``costRuns``, the runs whose cost is known
/// (stated by their source, or computed from a price list); without any,
/// ``cost`` is `nil`, never $0.
///
/// In JSON, latency lives under `executionMs` (milliseconds), tokens under
/// `tokens.in`, `tokens.out` and `tokens.total`, and US dollars under `cost`; percentiles are the keys
/// `p50`, `p90`, `p95` and `p99`; timestamps are Unix milliseconds.
public struct SkillSummary: Codable, Sendable, Hashable {
    /// The skill.
    public var skillId: String
    /// Runs in the window; always at least 1.
    public var runs: Int
    /// Runs that succeeded.
    public var successes: Int
    /// Runs that failed.
    public var failures: Int
    /// `failures / runs`, from 0 to 1.
    public var failureRate: Double
    /// Execution time, in milliseconds.
    public var executionMs: LatencyStatistics
    /// Runs whose tokens are known, from 0 to ``runs``: the runs every token figure covers.
    public var tokenRuns: Int
    /// Tokens per run whose tokens are known; `nil` (JSON `null`) when no run's are.
    public var tokens: TokenStatistics?
    /// Input tokens read from the prompt cache, summed over the runs that report them.
    public var cacheReadTokens: Int64
    /// Input tokens written to the prompt cache, summed.
    public var cacheCreationTokens: Int64
    /// The share of the ``tokenRuns`` whose token counts are estimates, from 0 to 1 (0 without any).
    public var estimatedTokensShare: Double
    /// Start of the first run in the window, Unix milliseconds.
    public var firstRun: Int64
    /// Start of the last run in the window, Unix milliseconds.
    public var lastRun: Int64
    /// Runs whose cost is known, from 0 to ``runs``: the runs ``cost`` covers.
    public var costRuns: Int
    /// Cost per run whose cost is known, and their total; `nil` (JSON `null`) when no run's is.
    public var cost: CostStatistics?

    /// Encodes every key, `null` for unknown tokens, so the shape never changes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(skillId, forKey: .skillId)
        try container.encode(runs, forKey: .runs)
        try container.encode(successes, forKey: .successes)
        try container.encode(failures, forKey: .failures)
        try container.encode(failureRate, forKey: .failureRate)
        try container.encode(executionMs, forKey: .executionMs)
        try container.encode(tokenRuns, forKey: .tokenRuns)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(cacheReadTokens, forKey: .cacheReadTokens)
        try container.encode(cacheCreationTokens, forKey: .cacheCreationTokens)
        try container.encode(estimatedTokensShare, forKey: .estimatedTokensShare)
        try container.encode(firstRun, forKey: .firstRun)
        try container.encode(lastRun, forKey: .lastRun)
        try container.encode(costRuns, forKey: .costRuns)
        try container.encode(cost, forKey: .cost)
    }
}

/// What the runs whose cost is known cost, in US dollars.
public struct CostStatistics: Codable, Sendable, Hashable {
    /// Mean per run.
    public var mean: Double
    /// The median per run; `nil` (JSON `null`) unless the summary was asked for
    /// percentiles beyond latency's, like ``TokenCounts/p95``.
    public var p50: Double?
    /// The 95th percentile per run; `nil` (JSON `null`) when not asked for.
    public var p95: Double?
    /// The sum over the runs (added in whole nanodollars, exactly).
    public var total: Double

    /// The figures of `runs` runs costing `nanodollars` in all, without percentiles; `nil` without runs.
    init?(runs: Int, nanodollars: Int64) {
        guard runs > 0 else { return nil }
        total = Nanodollars.dollars(nanodollars)
        mean = total / Double(runs)
    }

    /// Encodes every key, `null` for percentiles not asked for.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(p50, forKey: .p50)
        try container.encode(p95, forKey: .p95)
        try container.encode(total, forKey: .total)
    }
}

/// Distribution of execution times, in milliseconds.
public struct LatencyStatistics: Codable, Sendable, Hashable {
    /// The fastest run.
    public var min: Int64
    /// The mean.
    public var mean: Double
    /// The median.
    public var p50: Double
    /// The 90th percentile.
    public var p90: Double
    /// The 95th percentile.
    public var p95: Double
    /// The 99th percentile.
    public var p99: Double
    /// The slowest run.
    public var max: Int64
    /// The sample standard deviation (n − 1 in the denominator, like
    /// `numpy.std(x, ddof=1)`); `nil` (JSON `null`) for a single run.
    public var standardDeviation: Double?

    /// Encodes every key, `null` for a missing standard deviation.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(min, forKey: .min)
        try container.encode(mean, forKey: .mean)
        try container.encode(p50, forKey: .p50)
        try container.encode(p90, forKey: .p90)
        try container.encode(p95, forKey: .p95)
        try container.encode(p99, forKey: .p99)
        try container.encode(max, forKey: .max)
        try container.encode(standardDeviation, forKey: .standardDeviation)
    }
}

/// Token use per run whose tokens are known: input, output and their total.
public struct TokenStatistics: Codable, Sendable, Hashable {
    /// Input tokens.
    public var `in`: TokenCounts
    /// Output tokens.
    public var out: TokenCounts
    /// Input plus output tokens.
    public var total: TokenCounts
}

/// Mean, 95th percentile and sum of a token count.
public struct TokenCounts: Codable, Sendable, Hashable {
    /// Mean per run.
    public var mean: Double
    /// 95th percentile per run; `nil` (JSON `null`) unless the summary was asked
    /// for token percentiles, which cost a pass over the runs (see
    /// ``Analyzer/summaries(window:version:model:sortedBy:includingTokenPercentiles:)``).
    public var p95: Double?
    /// Sum over the runs (saturating at `Int64.max`).
    public var sum: Int64

    /// Encodes every key, `null` for a 95th percentile not asked for.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(p95, forKey: .p95)
        try container.encode(sum, forKey: .sum)
    }
}
