import Foundation

/// Where runs are stored and how they are read: the one interface every
/// library type above storage uses (``Analyzer``, ``Importer``, ``Exporter``,
/// ``Profiler``, ``CommandProfiler``).
///
/// Every requirement is `async` and never blocks a Swift concurrency thread:
/// a store does its work on threads of its own (``ProfilerDB`` on GRDB's
/// connection threads), so a server can call it from its request handlers.
/// Queries are asked in backend-neutral terms (``MetricsFilter``,
/// ``RunSelection``, ``Measure``, ``TimeBucketing``); SQL lives only inside an
/// implementation.
///
/// ```swift
/// let store: any MetricsStore = try ProfilerDB(path: "skill-forge.db")   // or MemoryMetricsStore()
/// try await store.insert(SkillMetrics(skillId: "summarise", executionMs: 840,
///                                     tokensIn: 2_100, tokensOut: 410, success: true))
/// for try await run in store.metrics(matching: MetricsFilter(skillId: "summarise")) {
///     print(run.executionMs)
/// }
/// ```
///
/// Implementations: ``ProfilerDB`` (SQLite, the default) and
/// ``MemoryMetricsStore`` (in memory, for tests and previews). Every
/// implementation passes the same conformance suite
/// (`Tests/SkillForgeTests/Store/MetricsStoreConformance.swift`).
///
/// The rules every implementation keeps:
/// - Writes validate each run (``SkillMetrics/validate()``) and write all of a
///   call or nothing; a run whose `runId` is stored already is a duplicate.
///   A merge (``merge(_:)``) is one transaction too, but refuses a contribution
///   that breaks a rule on its own and merges the others.
/// - Reads skip stored rows that break the rules of the store (written by
///   other tools) and report how many they skipped where they can.
/// - Ids only grow, so `upToId:` bounds a deletion to what was counted before.
public protocol MetricsStore: Sendable {
    /// Where the runs live, for messages: a file path, `:memory:`, a server address.
    var location: String { get }

    // MARK: - Writing

    /// Stores one run and returns it with its new `id`.
    @discardableResult
    func insert(_ metric: SkillMetrics) async throws(ProfilerError) -> SkillMetrics

    /// Stores many runs in one transaction: all of them, or none when one fails.
    @discardableResult
    func insert(
        contentsOf metrics: [SkillMetrics], duplicateRuns: DuplicateRunPolicy
    ) async throws(ProfilerError) -> BatchInsertResult

    /// Stores several batches in one transaction, each counted on its own (group
    /// commit: see ``GroupCommit``): all of them, or none when one fails.
    ///
    /// A run whose `runId` an earlier batch of the same call holds is a duplicate too.
    @discardableResult
    func insert(
        batches: [[SkillMetrics]], duplicateRuns: DuplicateRunPolicy
    ) async throws(ProfilerError) -> [BatchInsertResult]

    /// Replaces every column of the stored run with `metric.id`.
    func update(_ metric: SkillMetrics) async throws(ProfilerError)

    /// Merges telemetry events' contributions into their runs, in one transaction,
    /// inserting the runs not stored yet and updating the others (see
    /// ``RunContribution`` for how a run merges them).
    ///
    /// Each contribution's event key is recorded with it; a contribution whose
    /// key is recorded already adds nothing, so a batch sent again adds nothing.
    /// A contribution that breaks a rule, or would make its run break one
    /// (30 days of execution time, say), is refused on its own and listed in the
    /// result; the others are merged.
    ///
    /// ```swift
    /// let result = try await store.merge(received.contributions)
    /// print("\(result.merged) merged, \(result.alreadyMerged) merged before")
    /// ```
    @discardableResult
    func merge(_ contributions: [RunContribution]) async throws(ProfilerError) -> MergeResult

    /// Deletes the run with this id; returns whether it existed.
    @discardableResult
    func delete(id: Int64) async throws(ProfilerError) -> Bool

    /// Deletes the runs of a skill (with at most `upToId`, when given); returns how many.
    @discardableResult
    func deleteMetrics(forSkill skillId: String, upToId: Int64?) async throws(ProfilerError) -> Int

    /// Deletes the runs that started before `date` (with at most `upToId`, when given); returns how many.
    ///
    /// It also forgets the merged telemetry events (``merge(_:)``) that started
    /// before every run it keeps, and so before the run they were merged into
    /// started: those runs are gone, and the record of their events would
    /// otherwise grow past any retention. An event forgotten and sent again
    /// makes its run again, as a JSONL row imported again after a prune does.
    /// The events of every run kept (one with a larger id than `upToId`, too)
    /// stay recorded, so none of them is ever counted twice.
    @discardableResult
    func prune(before date: Date, upToId: Int64?) async throws(ProfilerError) -> Int

    // MARK: - Reading runs

    /// The run with this id, or `nil`.
    func metric(id: Int64) async throws(ProfilerError) -> SkillMetrics?

    /// One page of the runs a filter selects, in its order, after a given run.
    ///
    /// ``metrics(matching:pageSize:)`` builds its stream on this.
    func metricsPage(_ page: MetricsPage) async throws(ProfilerError) -> [SkillMetrics]

    /// The highest id stored, or `nil` when the store is empty.
    func lastId() async throws(ProfilerError) -> Int64?

    /// How many rows match `filter` (its order and limit are ignored), also
    /// rows that break the rules of the store, and the highest id among them.
    func countAndLastId(matching filter: MetricsFilter) async throws(ProfilerError) -> (count: Int, lastId: Int64?)

    /// How many rows match `filter` but break the rules of the store.
    func invalidCount(matching filter: MetricsFilter) async throws(ProfilerError) -> Int

    // MARK: - Reading skills

    /// The ids of every skill with at least one row, sorted: the seed's `getAllSkills`.
    func allSkills() async throws(ProfilerError) -> [String]

    /// Every skill with its runs and latest run, sorted by id, and the rows skipped as invalid.
    func skillRunCountsCountingInvalidRows() async throws(ProfilerError) -> (counts: [SkillRunCount], invalidRows: Int)

    /// A skill's versions with their runs and first and last run, oldest first.
    func versionRunCounts(forSkill skillId: String) async throws(ProfilerError) -> [VersionRunCount]

    /// The seed's `getAverageMetrics`: averages over a skill's runs, or `nil` without runs.
    func averageMetrics(forSkill skillId: String) async throws(ProfilerError) -> AggregatedMetrics?

    /// Per-skill totals of the runs `filter` selects (its order and limit are
    /// ignored), and the rows it skipped as invalid: runs, failures, sums and
    /// extremes, without reading the runs where the store keeps them up to date.
    ///
    /// ```swift
    /// let lastWeek = try await store.skillTotals(matching: MetricsFilter(window: .last(.days(7))))
    /// ```
    func skillTotals(matching filter: MetricsFilter) async throws(ProfilerError) -> SkillTotalsReport

    /// Totals per skill and model of the valid runs `filter` selects (its order
    /// and limit are ignored), by skill and then model, runs without a model first.
    ///
    /// ```swift
    /// let byModel = try await store.modelTotals(matching: MetricsFilter(skillId: "summarise", window: .last(.days(30))))
    /// ```
    func modelTotals(matching filter: MetricsFilter) async throws(ProfilerError) -> [ModelTotals]

    // MARK: - Analysis

    /// Streams the selected runs to `visitor`, grouped by skill in skill order,
    /// skipping (and counting) rows that break the rules of the store.
    func scanRuns<Visitor: RunSampleVisitor>(
        _ selection: RunSelection, into visitor: Visitor
    ) async throws(ProfilerError) -> ScanResult<Visitor>

    /// Exact percentiles (numpy's linear method) of a measure over the selection, or one side of it.
    ///
    /// - Parameter count: How many runs the selection (or side) holds, as a scan counted them.
    func percentiles(
        _ ps: [Double], of measure: Measure, in selection: RunSelection, side: Int?, count: Int
    ) async throws(ProfilerError) -> [Double]

    /// Streams a measure's values over the selection in ascending order, each with its side.
    func visitOrderedValues<Visitor: OrderedValueVisitor>(
        of measure: Measure, in selection: RunSelection, with visitor: Visitor
    ) async throws(ProfilerError) -> Visitor

    /// Runs, failures, token and cost sums per bucket (buckets without runs are absent).
    func bucketTotals(
        _ selection: RunSelection, by bucketing: TimeBucketing
    ) async throws(ProfilerError) -> [Int64: BucketTotals]

    /// Streams execution times ordered by bucket, then by time.
    func visitExecutionTimes<Visitor: BucketedValueVisitor>(
        _ selection: RunSelection, by bucketing: TimeBucketing, with visitor: Visitor
    ) async throws(ProfilerError) -> Visitor

    /// The first and last start times of the selection, or `nil` without runs.
    func timeRange(_ selection: RunSelection) async throws(ProfilerError) -> ClosedRange<Int64>?
}

// MARK: - Pages

/// One page of a filter's runs: those after a given run, in the filter's order.
public struct MetricsPage: Sendable, Hashable {
    /// The runs and their order (its limit is ignored: see `size`).
    public var filter: MetricsFilter
    /// The last run of the previous page (its timestamp and id), or `nil` for the first page.
    public var after: (timestamp: Int64, id: Int64)?
    /// Only runs with at most this id: those stored when the first page was read.
    public var upToId: Int64?
    /// At most this many runs.
    public var size: Int

    /// Creates a page request.
    public init(filter: MetricsFilter, after: (timestamp: Int64, id: Int64)? = nil, upToId: Int64? = nil, size: Int) {
        self.filter = filter
        self.after = after
        self.upToId = upToId
        self.size = size
    }

    public static func == (a: MetricsPage, b: MetricsPage) -> Bool {
        a.filter == b.filter && a.after?.timestamp == b.after?.timestamp && a.after?.id == b.after?.id
            && a.upToId == b.upToId && a.size == b.size
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(filter)
        hasher.combine(after?.timestamp)
        hasher.combine(after?.id)
        hasher.combine(upToId)
        hasher.combine(size)
    }

    /// Whether a run comes after ``after`` in the filter's order (and within ``upToId``).
    func follows(_ metric: SkillMetrics) -> Bool {
        let id = metric.id ?? 0
        if let upToId, id > upToId { return false }
        guard let after else { return true }
        switch filter.order {
        case .oldestFirst: return (metric.timestamp, id) > (after.timestamp, after.id)
        case .newestFirst: return (metric.timestamp, id) < (after.timestamp, after.id)
        case .insertion: return id > after.id
        }
    }
}
