import Foundation

/// One side of a comparison: a skill version, a time window, or both.
///
/// ```swift
/// let before = ComparisonSide.version("1.4.0")
/// let lastWeek = ComparisonSide.window(TimeWindow(since: weekAgo, until: now))
/// ```
public struct ComparisonSide: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Only runs of this version; `nil` for any version.
    public var version: String?
    /// Only runs that started inside this window.
    public var window: TimeWindow

    /// Creates a side.
    public init(version: String? = nil, window: TimeWindow = .all) {
        self.version = version
        self.window = window
    }

    /// The runs the side covers, as a store selects them.
    var subset: RunSubset {
        RunSubset(version: version, window: window)
    }

    /// The runs of one version (in a window).
    public static func version(_ version: String, in window: TimeWindow = .all) -> ComparisonSide {
        ComparisonSide(version: version, window: window)
    }

    /// The runs of any version in a window.
    public static func window(_ window: TimeWindow) -> ComparisonSide {
        ComparisonSide(window: window)
    }

    /// Encodes every key, `null` for any version.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(window, forKey: .window)
    }

    public var description: String {
        var parts: [String] = []
        if let version { parts.append("version \(version)") }
        if let since = window.since { parts.append("since \(since.formatted(.iso8601))") }
        if let until = window.until { parts.append("until \(until.formatted(.iso8601))") }
        return parts.isEmpty ? "all runs" : parts.joined(separator: " ")
    }
}

/// How ``Analyzer/compare(skill:baseline:candidate:options:)`` decides.
public struct ComparisonOptions: Sendable, Hashable, Codable {
    /// The significance level: a difference counts when its p-value is below it.
    public var alpha: Double
    /// Fewer runs than this on either side gives ``Verdict/notEnoughData``.
    public var minimumRuns: Int
    /// A significant latency (p50 or p95), token or cost (mean or p95) change
    /// smaller than this fraction of the baseline is too small to matter (0.05 = 5%).
    public var minimumRelativeChange: Double
    /// A significant failure-rate change smaller than this (in absolute terms,
    /// 0.01 = one percentage point) is too small to matter.
    public var minimumFailureRateChange: Double
    /// Only runs on this model, on both sides.
    public var model: String?

    /// Encodes every key, `null` for any model.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(alpha, forKey: .alpha)
        try container.encode(minimumRuns, forKey: .minimumRuns)
        try container.encode(minimumRelativeChange, forKey: .minimumRelativeChange)
        try container.encode(minimumFailureRateChange, forKey: .minimumFailureRateChange)
        try container.encode(model, forKey: .model)
    }

    /// Creates options; the defaults suit a promotion gate.
    public init(
        alpha: Double = 0.05, minimumRuns: Int = 20, minimumRelativeChange: Double = 0.05,
        minimumFailureRateChange: Double = 0.01, model: String? = nil
    ) {
        self.alpha = alpha
        self.minimumRuns = minimumRuns
        self.minimumRelativeChange = minimumRelativeChange
        self.minimumFailureRateChange = minimumFailureRateChange
        self.model = model
    }
}

/// Whether the candidate beats the baseline.
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    /// At least one measure improved significantly and none got worse.
    case better
    /// At least one measure (latency, tokens, cost or failure rate) got significantly worse.
    case worse
    /// Enough runs, but no change that is both significant and large enough.
    case noSignificantDifference = "no significant difference"
    /// A side has fewer runs than ``ComparisonOptions/minimumRuns``.
    case notEnoughData = "not enough data"
}

/// Which way a measure moved, where lower is better for all of them.
public enum Direction: String, Sendable, Hashable, Codable {
    /// Significantly lower, by a margin that matters.
    case better
    /// Significantly higher, by a margin that matters.
    case worse
    /// Not significant, or too small to matter.
    case unchanged
}

/// A statistic on both sides.
public struct Change: Sendable, Hashable, Codable {
    /// The baseline's value.
    public var baseline: Double
    /// The candidate's value.
    public var candidate: Double
    /// `candidate - baseline`.
    public var delta: Double
    /// `candidate / baseline`; `nil` when the baseline is 0.
    public var ratio: Double?

    /// Creates a change between two values.
    public init(baseline: Double, candidate: Double) {
        self.baseline = baseline
        self.candidate = candidate
        delta = candidate - baseline
        ratio = baseline == 0 ? nil : candidate / baseline
    }

    /// Encodes every key, `null` for a missing ratio.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(candidate, forKey: .candidate)
        try container.encode(delta, forKey: .delta)
        try container.encode(ratio, forKey: .ratio)
    }

    /// `delta` relative to the baseline; infinite when only the baseline is 0.
    var relative: Double {
        if baseline == 0 { return candidate == 0 ? 0 : .infinity }
        return delta / baseline
    }
}

/// A significance test and what it concluded.
public struct SignificanceTest: Sendable, Hashable, Codable {
    /// The test: `mann-whitney-u`, `fisher-exact` or `two-proportion-z`.
    public var method: String
    /// Its statistic: z for Mann-Whitney U (normal approximation, tie and
    /// continuity corrected) and for the z-test; `nil` for Fisher's exact test.
    public var statistic: Double?
    /// The two-sided p-value.
    public var pValue: Double
    /// Whether the p-value is below alpha.
    public var significant: Bool
    /// The conclusion for this measure.
    public var direction: Direction

    /// Encodes every key, `null` for a missing statistic.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        try container.encode(statistic, forKey: .statistic)
        try container.encode(pValue, forKey: .pValue)
        try container.encode(significant, forKey: .significant)
        try container.encode(direction, forKey: .direction)
    }
}

/// Latency on both sides, tested with Mann-Whitney U.
public struct LatencyComparison: Sendable, Hashable, Codable {
    /// Median execution time, ms.
    public var p50: Change
    /// 95th percentile of the execution time, ms.
    public var p95: Change
    /// Mann-Whitney U on every run's execution time.
    public var test: SignificanceTest
}

/// Tokens (input + output) on both sides, tested with Mann-Whitney U.
public struct TokenComparison: Sendable, Hashable, Codable {
    /// Mean tokens per run.
    public var mean: Change
    /// 95th percentile of tokens per run.
    public var p95: Change
    /// Mann-Whitney U on every run's total tokens.
    public var test: SignificanceTest
}

/// Cost per run (US dollars) on both sides, over the runs whose cost is
/// known, tested with Mann-Whitney U.
///
/// ```swift
/// if let cost = comparison.cost, cost.test.direction == .worse {
///     print("cost per run \(Readable.dollars(cost.mean.baseline)) → \(Readable.dollars(cost.mean.candidate))")
/// }
/// ```
public struct CostComparison: Sendable, Hashable, Codable {
    /// Mean cost per run, USD.
    public var mean: Change
    /// 95th percentile of the cost per run, USD.
    public var p95: Change
    /// Mann-Whitney U on the cost of every run whose cost is known.
    public var test: SignificanceTest
}

/// Failure rates on both sides, tested with Fisher's exact test for small
/// counts and the two-proportion z-test otherwise (see ``FailureRateTest``).
public struct FailureRateComparison: Sendable, Hashable, Codable {
    /// The failure rates, from 0 to 1.
    public var rate: Change
    /// The test.
    public var test: SignificanceTest
}

/// One side as measured.
public struct ComparedSide: Sendable, Hashable, Codable {
    /// What the side selects.
    public var side: ComparisonSide
    /// A readable description, such as `version 1.4.0`.
    public var label: String
    /// Its runs.
    public var runs: Int
    /// Its summary; `nil` (JSON `null`) without runs.
    public var summary: SkillSummary?

    /// Encodes every key, `null` for a side without runs.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(side, forKey: .side)
        try container.encode(label, forKey: .label)
        try container.encode(runs, forKey: .runs)
        try container.encode(summary, forKey: .summary)
    }
}

/// The outcome of ``Analyzer/compare(skill:baseline:candidate:options:)``.
///
/// In JSON, `verdict` is one of `better`, `worse`, `no significant difference`
/// and `not enough data`; the four measures carry their values, their change
/// and their test. Without runs on a side, the measures are `null`; tokens and
/// cost are also `null` when a side has no run whose tokens (cost) are known.
public struct Comparison: Sendable, Hashable, Codable {
    /// The skill.
    public var skillId: String
    /// The baseline side.
    public var baseline: ComparedSide
    /// The candidate side.
    public var candidate: ComparedSide
    /// The decision rules that were applied.
    public var options: ComparisonOptions
    /// Latency, when both sides have runs.
    public var latency: LatencyComparison?
    /// Tokens, when both sides have runs whose tokens are known.
    public var tokens: TokenComparison?
    /// Cost per run, when both sides have runs whose cost is known.
    public var cost: CostComparison?
    /// Failure rate, when both sides have runs.
    public var failureRate: FailureRateComparison?
    /// The verdict.
    public var verdict: Verdict
    /// The verdict's reasons, in words.
    public var reasons: [String]

    /// Encodes every key, `null` for measures that could not be compared.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(skillId, forKey: .skillId)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(candidate, forKey: .candidate)
        try container.encode(options, forKey: .options)
        try container.encode(latency, forKey: .latency)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(cost, forKey: .cost)
        try container.encode(failureRate, forKey: .failureRate)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(reasons, forKey: .reasons)
    }
}
