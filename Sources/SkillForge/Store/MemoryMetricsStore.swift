import Foundation

/// A ``MetricsStore`` that keeps runs in memory: for tests, previews and
/// short-lived tools. It keeps every rule of the protocol (validation, unique
/// run ids, growing ids) and answers every query by scanning its rows.
///
/// ```swift
/// let store = MemoryMetricsStore()
/// try await store.insert(SkillMetrics(skillId: "summarise", executionMs: 840,
///                                     tokensIn: 2_100, tokensOut: 410, success: true))
/// let summary = try await Analyzer(store: store).summary(forSkill: "summarise")
/// ```
///
/// Every run it holds was validated on the way in, so no read ever skips a row.
public actor MemoryMetricsStore: MetricsStore {
    public nonisolated let location = ":memory:"

    /// The runs, in id order.
    private var rows: [SkillMetrics] = []
    private var runIds: Set<String> = []
    /// When each event merged started, by its key.
    private var mergedEvents: [Int64: Int64] = [:]
    private var lastAssignedId: Int64 = 0

    /// Creates an empty store.
    public init() {}

    // MARK: - Writing

    @discardableResult
    public func insert(_ metric: SkillMetrics) throws(ProfilerError) -> SkillMetrics {
        try metric.validateForStoring()
        if let runId = metric.runId, runIds.contains(runId) { throw .duplicateRunId(runId) }
        return append(metric)
    }

    @discardableResult
    public func insert(
        contentsOf metrics: [SkillMetrics], duplicateRuns: DuplicateRunPolicy = .fail
    ) throws(ProfilerError) -> BatchInsertResult {
        // Everything is checked before anything is stored: all or nothing.
        var seen = runIds
        var accepted: [SkillMetrics] = []
        var result = BatchInsertResult()
        for metric in metrics {
            try metric.validateForStoring()
            if let runId = metric.runId, !seen.insert(runId).inserted {
                if duplicateRuns == .fail { throw .duplicateRunId(runId) }
                result.skipped += 1
                continue
            }
            accepted.append(metric)
        }
        for metric in accepted { append(metric) }
        result.inserted = accepted.count
        return result
    }

    @discardableResult
    public func insert(
        batches: [[SkillMetrics]], duplicateRuns: DuplicateRunPolicy
    ) throws(ProfilerError) -> [BatchInsertResult] {
        let saved = (rows, runIds, lastAssignedId)
        do {
            return try batches.map { batch throws(ProfilerError) in try insert(contentsOf: batch, duplicateRuns: duplicateRuns) }
        } catch {
            (rows, runIds, lastAssignedId) = saved
            throw error
        }
    }

    public func update(_ metric: SkillMetrics) throws(ProfilerError) {
        guard let id = metric.id else {
            throw .invalidMetric(InvalidField(field: "id", value: "nil", problem: "a stored run needs its id to be updated"))
        }
        try metric.validateForStoring()
        guard let index = rows.firstIndex(where: { $0.id == id }) else { throw .metricNotFound(id: id) }
        if let runId = metric.runId, runId != rows[index].runId, runIds.contains(runId) {
            throw .duplicateRunId(runId)
        }
        if let old = rows[index].runId { runIds.remove(old) }
        if let new = metric.runId { runIds.insert(new) }
        rows[index] = metric
    }

    @discardableResult
    public func merge(_ contributions: [RunContribution]) -> MergeResult {
        let plan = MergePlan(
            contributions, isMerged: { mergedEvents[$0] != nil },
            storedRun: { runId in rows.first { $0.runId == runId } })
        for metric in plan.updates {
            if let index = rows.firstIndex(where: { $0.id == metric.id }) { rows[index] = metric }
        }
        for metric in plan.inserts { append(metric) }
        for event in plan.mergedEvents { mergedEvents[event.key] = event.started }
        return plan.result
    }

    @discardableResult
    public func delete(id: Int64) -> Bool {
        removeRows { $0.id == id } == 1
    }

    @discardableResult
    public func deleteMetrics(forSkill skillId: String, upToId: Int64? = nil) -> Int {
        removeRows { $0.skillId == skillId && Self.isAtMost($0, upToId) }
    }

    @discardableResult
    public func prune(before date: Date, upToId: Int64? = nil) -> Int {
        let cutoff = date.unixMilliseconds
        let pruned = removeRows { $0.timestamp < cutoff && Self.isAtMost($0, upToId) }
        let earliestKept = rows.lazy.map(\.timestamp).filter { $0 < cutoff }.min() ?? cutoff
        mergedEvents = mergedEvents.filter { $0.value >= earliestKept }
        return pruned
    }

    // MARK: - Reading runs

    public func metric(id: Int64) -> SkillMetrics? {
        rows.first { $0.id == id }
    }

    public func metricsPage(_ page: MetricsPage) -> [SkillMetrics] {
        let selected = rows.filter { page.filter.matches($0) && page.follows($0) }
            .sorted { page.filter.orders($0, before: $1) }
        return Array(selected.prefix(Swift.max(0, page.size)))
    }

    public func lastId() -> Int64? {
        rows.last?.id
    }

    public func countAndLastId(matching filter: MetricsFilter) -> (count: Int, lastId: Int64?) {
        let matching = rows.filter(filter.matches)
        return (matching.count, matching.last?.id)
    }

    public func invalidCount(matching filter: MetricsFilter) -> Int {
        0
    }

    // MARK: - Reading skills

    public func allSkills() -> [String] {
        Set(rows.map(\.skillId)).sorted(by: Self.inByteOrder)
    }

    public func skillRunCountsCountingInvalidRows() -> (counts: [SkillRunCount], invalidRows: Int) {
        let counts = Dictionary(grouping: rows, by: \.skillId).map { skill, runs in
            SkillRunCount(skillId: skill, runs: runs.count, lastRun: runs.map(\.timestamp).max() ?? 0)
        }
        return (counts.sorted { Self.inByteOrder($0.skillId, $1.skillId) }, 0)
    }

    public func versionRunCounts(forSkill skillId: String) -> [VersionRunCount] {
        Dictionary(grouping: rows.filter { $0.skillId == skillId }, by: \.version).map { version, runs in
            VersionRunCount(
                version: version, runs: runs.count, firstRun: runs.map(\.timestamp).min() ?? 0,
                lastRun: runs.map(\.timestamp).max() ?? 0)
        }.sorted { ($0.firstRun, $0.version ?? "") < ($1.firstRun, $1.version ?? "") }
    }

    public func averageMetrics(forSkill skillId: String) -> AggregatedMetrics? {
        let runs = rows.filter { $0.skillId == skillId }
        guard !runs.isEmpty else { return nil }
        let count = Double(runs.count)
        let known = runs.filter(\.hasKnownTokens)
        return AggregatedMetrics(
            skillId: skillId,
            avgExecutionMs: runs.reduce(0) { $0 + Double($1.executionMs) } / count,
            avgTokens: known.isEmpty ? nil : known.reduce(0) { $0 + Double($1.tokensIn) + Double($1.tokensOut) } / Double(known.count),
            totalRuns: runs.count,
            failureRate: Double(runs.filter { !$0.success }.count) / count)
    }

    public func skillTotals(matching filter: MetricsFilter) -> SkillTotalsReport {
        let skills = Dictionary(grouping: rows.filter(filter.matches), by: \.skillId).map { skillId, runs in
            SkillTotals(skillId: skillId, totals: runs.reduce(into: RunTotals()) { $0.add($1) })
        }
        return SkillTotalsReport(skills: skills, invalidRows: 0)
    }

    public func modelTotals(matching filter: MetricsFilter) -> [ModelTotals] {
        Dictionary(grouping: rows.filter(filter.matches), by: { [$0.skillId, $0.model] }).map { key, runs in
            ModelTotals(skillId: runs[0].skillId, model: key[1], totals: runs.reduce(into: RunTotals()) { $0.add($1) })
        }.sorted(by: ModelTotals.precedes)
    }

    // MARK: - Analysis

    public func scanRuns<Visitor: RunSampleVisitor>(
        _ selection: RunSelection, into visitor: Visitor
    ) -> ScanResult<Visitor> {
        var visitor = visitor
        var skill: String?
        for sample in samples(of: selection).sorted(by: { Self.inByteOrder($0.metric.skillId, $1.metric.skillId) }) {
            if sample.metric.skillId != skill {
                skill = sample.metric.skillId
                visitor.beginSkill(sample.metric.skillId)
            }
            visitor.visit(sample.run)
        }
        return ScanResult(visitor: visitor, skippedRows: 0)
    }

    public func percentiles(
        _ ps: [Double], of measure: Measure, in selection: RunSelection, side: Int?, count: Int
    ) -> [Double] {
        let values = samples(of: selection).filter { (side == nil || $0.run.side == side) && measure.isMeasured(in: $0.run) }
            .map { measure.value(of: $0.run) }.sorted()
        guard !values.isEmpty else { return [] }
        return ps.map { Percentile.linear($0, ofSorted: values) ?? 0 }
    }

    public func visitOrderedValues<Visitor: OrderedValueVisitor>(
        of measure: Measure, in selection: RunSelection, with visitor: Visitor
    ) -> Visitor {
        var visitor = visitor
        let measured = samples(of: selection).filter { measure.isMeasured(in: $0.run) }
        for (value, side) in measured.map({ (measure.value(of: $0.run), $0.run.side) }).sorted(by: { $0.0 < $1.0 }) {
            visitor.visit(value, side: side)
        }
        return visitor
    }

    public func bucketTotals(_ selection: RunSelection, by bucketing: TimeBucketing) -> [Int64: BucketTotals] {
        var totals: [Int64: BucketTotals] = [:]
        for sample in samples(of: selection) {
            let key = bucketing.key(of: sample.run.timestamp)
            var bucket = totals[key] ?? BucketTotals()
            bucket.runs += 1
            bucket.failures += sample.run.success ? 0 : 1
            if sample.run.tokensKnown {
                bucket.tokenRuns += 1
                bucket.tokens += Double(sample.run.tokensIn) + Double(sample.run.tokensOut)
            }
            if let cost = sample.run.costNanodollars {
                bucket.costRuns += 1
                bucket.costNanodollars = bucket.costNanodollars.saturatingAdd(cost)
            }
            totals[key] = bucket
        }
        return totals
    }

    public func visitExecutionTimes<Visitor: BucketedValueVisitor>(
        _ selection: RunSelection, by bucketing: TimeBucketing, with visitor: Visitor
    ) -> Visitor {
        var visitor = visitor
        let keyed = samples(of: selection).map { (bucketing.key(of: $0.run.timestamp), $0.run.executionMs) }
        for (key, executionMs) in keyed.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            visitor.visit(executionMs, inBucket: key)
        }
        return visitor
    }

    public func timeRange(_ selection: RunSelection) -> ClosedRange<Int64>? {
        let timestamps = samples(of: selection).map(\.run.timestamp)
        guard let first = timestamps.min(), let last = timestamps.max() else { return nil }
        return first...last
    }

    // MARK: - Rows

    @discardableResult
    private func append(_ metric: SkillMetrics) -> SkillMetrics {
        lastAssignedId += 1
        var stored = metric
        stored.id = lastAssignedId
        rows.append(stored)
        if let runId = metric.runId { runIds.insert(runId) }
        return stored
    }

    /// Removes the rows `shouldRemove` picks (and their run ids); returns how many.
    private func removeRows(where shouldRemove: (SkillMetrics) -> Bool) -> Int {
        let before = rows.count
        for row in rows where shouldRemove(row) {
            if let runId = row.runId { runIds.remove(runId) }
        }
        rows.removeAll(where: shouldRemove)
        return before - rows.count
    }

    /// The selected runs with their samples (side included).
    private func samples(of selection: RunSelection) -> [(metric: SkillMetrics, run: RunSample)] {
        rows.compactMap { metric in selection.side(of: metric).map { (metric, RunSample(metric, side: $0)) } }
    }

    private static func isAtMost(_ metric: SkillMetrics, _ upToId: Int64?) -> Bool {
        upToId.map { (metric.id ?? 0) <= $0 } ?? true
    }

    /// SQLite's `BINARY` collation: UTF-8 bytes, compared one by one.
    private static func inByteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
