import Foundation

/// The width of the buckets of a time series.
public enum TimeBucket: String, Sendable, Hashable, Codable, CaseIterable {
    /// Local clock hours.
    case hour
    /// Local calendar days, from midnight.
    case day
    /// ISO weeks, from Monday midnight.
    case week

    /// The most buckets one time series may have.
    public static let maximumCount = 10_000

    /// The bucket's length in milliseconds of local time.
    var milliseconds: Int64 {
        switch self {
        case .hour: 3_600_000
        case .day: 86_400_000
        case .week: 604_800_000
        }
    }

    /// Added to local time before dividing, so weeks start on Monday
    /// (1970-01-01 was a Thursday: 3 days before the first Sunday/Monday boundary).
    var shift: Int64 { self == .week ? 3 * 86_400_000 : 0 }
}

/// One bucket of a time series.
///
/// A bucket without runs is present, with `runs == 0` and `nil` rates and
/// percentiles, so charts show the gap instead of hiding it.
public struct TimeSeriesPoint: Sendable, Hashable, Codable {
    /// The bucket's start, Unix milliseconds.
    public var start: Int64
    /// The bucket's start as local wall-clock time: `2026-11-20` or `2026-11-20 14:00`.
    public var label: String
    /// Runs that started in the bucket.
    public var runs: Int
    /// Runs that failed.
    public var failures: Int
    /// `failures / runs`; `nil` without runs.
    public var failureRate: Double?
    /// Median execution time, ms; `nil` without runs.
    public var p50: Double?
    /// 95th percentile of the execution time, ms; `nil` without runs.
    public var p95: Double?
    /// Runs whose tokens are known: the runs ``meanTokens`` is the mean of.
    public var tokenRuns: Int
    /// Mean of `tokens_in + tokens_out` per run whose tokens are known; `nil` without such runs.
    public var meanTokens: Double?
    /// Runs whose cost is known: the runs ``meanCostUsd`` and ``totalCostUsd`` cover.
    public var costRuns: Int
    /// Mean cost per run whose cost is known, in US dollars; `nil` without such runs (unknown, not $0).
    public var meanCostUsd: Double?
    /// The sum of the known costs, in US dollars (added in whole nanodollars); `nil` without such runs.
    public var totalCostUsd: Double?

    /// Encodes every key, `null` where there is no value, so the shape never changes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(label, forKey: .label)
        try container.encode(runs, forKey: .runs)
        try container.encode(failures, forKey: .failures)
        try container.encode(failureRate, forKey: .failureRate)
        try container.encode(p50, forKey: .p50)
        try container.encode(p95, forKey: .p95)
        try container.encode(tokenRuns, forKey: .tokenRuns)
        try container.encode(meanTokens, forKey: .meanTokens)
        try container.encode(costRuns, forKey: .costRuns)
        try container.encode(meanCostUsd, forKey: .meanCostUsd)
        try container.encode(totalCostUsd, forKey: .totalCostUsd)
    }
}
