// The backend-neutral terms the analysis asks a store in: which runs
// (a selection), which quantity (a measure), and what comes back (samples,
// ordered values, bucket totals). No SQL here: each store turns them into its
// own queries.

// MARK: - Selections

/// A subset of a skill's runs that one side of a comparison covers: a window, and optionally a version.
public struct RunSubset: Sendable, Hashable {
    /// Only runs of this version; `nil` for any version.
    public var version: String?
    /// Only runs that started inside this window.
    public var window: TimeWindow

    /// Creates a subset.
    public init(version: String? = nil, window: TimeWindow = .all) {
        self.version = version
        self.window = window
    }

    /// Whether a run belongs to the subset.
    func contains(_ metric: SkillMetrics) -> Bool {
        window.contains(metric.timestamp) && (version == nil || metric.version == version)
    }
}

/// Which runs a query reads: a filter, and optionally two subsets (the sides of a comparison).
///
/// With sides, only runs in one of them are read, each tagged with the first
/// side it belongs to (0 or 1): a run in both counts for side 0.
public struct RunSelection: Sendable, Hashable {
    /// The runs considered (its order and limit are ignored).
    public var filter: MetricsFilter
    /// When set, only runs in one of the two subsets, tagged 0 or 1.
    public var sides: [RunSubset]?

    /// Selects the runs of `filter`, or those of it in one of `sides` (exactly two).
    public init(_ filter: MetricsFilter, sides: (RunSubset, RunSubset)? = nil) {
        self.filter = filter
        self.sides = sides.map { [$0.0, $0.1] }
    }

    /// The side a run belongs to: 0 outside comparisons, `nil` when it is in neither side.
    package func side(of metric: SkillMetrics) -> Int? {
        guard filter.matches(metric) else { return nil }
        guard let sides else { return 0 }
        return sides.firstIndex { $0.contains(metric) }
    }
}

// MARK: - Measures and samples

/// A measured quantity of a run.
public enum Measure: CaseIterable, Sendable, Hashable {
    case executionMs, tokensIn, tokensOut, tokensTotal
    /// The run's cost in whole nanodollars (10⁻⁹ USD), for the runs whose cost is known.
    case costNanodollars

    /// Whether a run has the measure: token measures need known tokens, cost a known cost.
    package func isMeasured(in sample: RunSample) -> Bool {
        switch self {
        case .executionMs: true
        case .tokensIn, .tokensOut, .tokensTotal: sample.tokensKnown
        case .costNanodollars: sample.costNanodollars != nil
        }
    }

    /// The measure's value for a run.
    package func value(of sample: RunSample) -> Int64 {
        switch self {
        case .executionMs: sample.executionMs
        case .tokensIn: sample.tokensIn
        case .tokensOut: sample.tokensOut
        case .tokensTotal: sample.tokensIn + sample.tokensOut
        case .costNanodollars: sample.costNanodollars ?? 0
        }
    }
}

/// The numeric columns of one run, as the analysis reads them.
public struct RunSample: Sendable, Hashable {
    public var executionMs: Int64
    public var tokensIn: Int64
    public var tokensOut: Int64
    public var success: Bool
    public var timestamp: Int64
    public var tokensEstimated: Bool
    public var cacheReadTokens: Int64
    public var cacheCreationTokens: Int64
    /// Whether the run's tokens are known; the token measures leave out the runs whose are not.
    public var tokensKnown: Bool
    /// The run's cost in whole nanodollars, or `nil` when unknown (``Nanodollars/of(_:)``).
    public var costNanodollars: Int64?
    /// Which comparison side the run belongs to (0 or 1); 0 outside comparisons.
    public var side: Int

    /// The sample of a stored run, on a side.
    package init(_ metric: SkillMetrics, side: Int) {
        executionMs = metric.executionMs
        tokensIn = metric.tokensIn
        tokensOut = metric.tokensOut
        success = metric.success
        timestamp = metric.timestamp
        tokensEstimated = metric.tokensEstimated ?? false
        cacheReadTokens = metric.cacheReadTokens ?? 0
        cacheCreationTokens = metric.cacheCreationTokens ?? 0
        tokensKnown = metric.hasKnownTokens
        costNanodollars = metric.costUsd.flatMap(Nanodollars.of)
        self.side = side
    }

    /// Creates a sample from raw column values.
    package init(
        executionMs: Int64, tokensIn: Int64, tokensOut: Int64, success: Bool, timestamp: Int64,
        tokensEstimated: Bool, cacheReadTokens: Int64, cacheCreationTokens: Int64, tokensKnown: Bool = true,
        costNanodollars: Int64? = nil, side: Int
    ) {
        self.executionMs = executionMs
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.success = success
        self.timestamp = timestamp
        self.tokensEstimated = tokensEstimated
        self.cacheReadTokens = cacheReadTokens
        self.cacheCreationTokens = cacheCreationTokens
        self.tokensKnown = tokensKnown
        self.costNanodollars = costNanodollars
        self.side = side
    }
}

// MARK: - Visitors

/// Receives the runs of a scan, grouped by skill in skill order.
///
/// A visitor is a value: the store takes it, feeds it on the thread that
/// reads, and hands it back when the scan ends.
public protocol RunSampleVisitor: Sendable {
    /// The runs that follow belong to `skillId` (called once per skill, in skill order).
    mutating func beginSkill(_ skillId: String)
    /// One run of the current skill.
    mutating func visit(_ run: RunSample)
}

/// Receives a measure's values in ascending order, each with its side.
public protocol OrderedValueVisitor: Sendable {
    mutating func visit(_ value: Int64, side: Int)
}

/// Receives execution times ordered by bucket, then by time.
public protocol BucketedValueVisitor: Sendable {
    mutating func visit(_ executionMs: Int64, inBucket key: Int64)
}

/// What a scan hands back: the visitor, and the stored rows it skipped because they break the rules of the store.
public struct ScanResult<Visitor: Sendable>: Sendable {
    public var visitor: Visitor
    public var skippedRows: Int

    package init(visitor: Visitor, skippedRows: Int) {
        self.visitor = visitor
        self.skippedRows = skippedRows
    }
}

/// Runs, failures, tokens and costs of one time bucket, as
/// ``MetricsStore/bucketTotals(_:by:)`` answers them.
///
/// ```swift
/// let totals = try await store.bucketTotals(selection, by: bucketing)
/// let knownCosts = totals.values.reduce(0) { $0 + $1.costRuns }
/// ```
public struct BucketTotals: Sendable, Hashable {
    public var runs = 0
    public var failures = 0
    /// Runs whose tokens are known: the only ones ``tokens`` adds up.
    public var tokenRuns = 0
    /// The sum of `tokens_in + tokens_out` over the runs whose tokens are known, as a float (cannot overflow).
    public var tokens = 0.0
    /// Runs whose cost is known: the only ones ``costNanodollars`` adds up.
    public var costRuns = 0
    /// The sum of the known costs in whole nanodollars (saturating at `Int64.max`).
    public var costNanodollars: Int64 = 0

    /// The totals of no runs.
    public init() {}

    /// Adds the runs that `other` totals.
    mutating func add(_ other: BucketTotals) {
        runs += other.runs
        failures += other.failures
        tokenRuns += other.tokenRuns
        tokens += other.tokens
        costRuns += other.costRuns
        costNanodollars = costNanodollars.saturatingAdd(other.costNanodollars)
    }
}
