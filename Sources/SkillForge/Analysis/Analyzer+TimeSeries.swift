import Foundation

// MARK: - Time series

extension Analyzer {
    /// A skill's runs per hour, day or week: runs, failure rate, p50 and p95
    /// latency, mean tokens, and the mean and total cost in each bucket.
    ///
    /// ```swift
    /// let daily = try await analyzer.timeSeries(forSkill: "summarise", bucket: .day, window: .last(.days(30)),
    ///                                     timeZone: TimeZone(identifier: "Europe/Paris")!)
    /// ```
    ///
    /// Buckets follow local wall-clock time in `timeZone`, daylight-saving
    /// changes included: a day is midnight to midnight, a week starts on Monday.
    /// Every bucket between the window's ends is present, empty ones with
    /// `runs == 0`, except a local hour that a change skips (it never happens).
    /// Without a start, the window starts at the skill's first run; without an
    /// end, it ends now (or at its last run, if later). Tokens and costs cover the
    /// bucket's runs whose tokens (cost) are known, `nil` without any.
    ///
    /// - Throws: ``ProfilerError/tooManyBuckets(count:bucket:)`` past ``TimeBucket/maximumCount`` buckets.
    public func timeSeries(
        forSkill skillId: String, bucket: TimeBucket, window: TimeWindow = .all, timeZone: TimeZone = .gmt,
        version: String? = nil, model: String? = nil, now: Date = Date()
    ) async throws(ProfilerError) -> [TimeSeriesPoint] {
        var filter = MetricsFilter(skillId: skillId, window: window, version: version, model: model)
        let since: Int64
        let until: Int64
        if let start = window.sinceMilliseconds, let end = window.untilMilliseconds {
            (since, until) = (start, end)
        } else {
            guard let range = try await store.timeRange(RunSelection(filter)) else {
                return []
            }
            since = window.sinceMilliseconds ?? range.lowerBound
            until = window.untilMilliseconds ?? max(now.unixMilliseconds, range.upperBound + 1)
        }
        guard since < until else { return [] }
        filter.window = TimeWindow(since: Date(unixMilliseconds: since), until: Date(unixMilliseconds: until))

        let bucketing = TimeBucketing(bucket: bucket, timeZone: timeZone, from: since, to: until)
        let firstKey = bucketing.key(of: since)
        let lastKey = bucketing.key(of: until - 1)
        let count = Int(lastKey - firstKey + 1)
        guard count <= TimeBucket.maximumCount else { throw .tooManyBuckets(count: count, bucket: bucket) }

        let selection = RunSelection(filter)
        let totals = try await store.bucketTotals(selection, by: bucketing)
        let picker = try await store.visitExecutionTimes(
            selection, by: bucketing, with: BucketPercentiles(counts: totals.mapValues(\.runs), percentiles: [50, 95]))

        return (firstKey...lastKey).compactMap { key in
            guard let start = bucketing.start(ofKey: key, in: timeZone) else { return nil }
            let local = bucketing.localTime(ofKey: key)
            let bucketTotals = totals[key] ?? BucketTotals()
            let (runs, tokenRuns, costRuns) = (bucketTotals.runs, bucketTotals.tokenRuns, bucketTotals.costRuns)
            let totalCost = costRuns > 0 ? Nanodollars.dollars(bucketTotals.costNanodollars) : nil
            let percentiles = picker.percentiles(of: key)
            return TimeSeriesPoint(
                start: start,
                label: Self.label(localTime: local, bucket: bucket),
                runs: runs,
                failures: bucketTotals.failures,
                failureRate: runs > 0 ? Double(bucketTotals.failures) / Double(runs) : nil,
                p50: percentiles?[0],
                p95: percentiles?[1],
                tokenRuns: tokenRuns,
                meanTokens: tokenRuns > 0 ? bucketTotals.tokens / Double(tokenRuns) : nil,
                costRuns: costRuns,
                meanCostUsd: totalCost.map { $0 / Double(costRuns) },
                totalCostUsd: totalCost)
        }
    }

    /// Local wall-clock time (as milliseconds read in UTC) as `2026-11-20` or `2026-11-20 14:00`.
    private static func label(localTime: Int64, bucket: TimeBucket) -> String {
        let text = Readable.timestamp(localTime, in: .gmt)
        return bucket == .hour ? String(text.prefix(16)) : String(text.prefix(10))
    }
}

/// Picks exact percentiles per bucket from values streamed in (bucket, value) order.
struct BucketPercentiles: BucketedValueVisitor {
    private let counts: [Int64: Int]
    private let percentiles: [Double]
    private var bucket: Int64?
    private var index = 0
    /// The ranks the current bucket needs.
    private var needed: Set<Int> = []
    /// The values at the ranks each bucket needs.
    private var picked: [Int64: [Int: Int64]] = [:]

    init(counts: [Int64: Int], percentiles: [Double]) {
        self.counts = counts
        self.percentiles = percentiles
    }

    private func ranks(count: Int) -> [(lower: Int, upper: Int, fraction: Double)] {
        guard count > 0 else { return [] }
        return percentiles.map { p in
            let (lower, fraction) = Percentile.position(of: p, count: count)
            return (lower, min(lower + 1, count - 1), fraction)
        }
    }

    mutating func visit(_ value: Int64, inBucket key: Int64) {
        if key != bucket {
            bucket = key
            index = 0
            needed = Set(ranks(count: counts[key] ?? 0).flatMap { [$0.lower, $0.upper] })
        }
        if needed.contains(index) {
            picked[key, default: [:]][index] = value
        }
        index += 1
    }

    /// The percentiles of a bucket, or `nil` when it has no values.
    func percentiles(of key: Int64) -> [Double]? {
        guard let count = counts[key], count > 0, let values = picked[key] else { return nil }
        return ranks(count: count).map { rank in
            Percentile.interpolate(
                lower: Double(values[rank.lower] ?? 0), upper: Double(values[rank.upper] ?? 0), fraction: rank.fraction)
        }
    }
}
