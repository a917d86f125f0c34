import Foundation
import GRDB

// `ProfilerDB` as a ``MetricsStore``: each requirement runs the same
// statements as the synchronous API, on GRDB's connection threads, awaited
// without blocking a Swift concurrency thread. The analysis queries live in
// ProfilerDB+Scans.swift.

extension ProfilerDB: MetricsStore {
    public var location: String { path }

    // MARK: - Writing

    @discardableResult
    public func insert(_ metric: SkillMetrics) async throws(ProfilerError) -> SkillMetrics {
        try metric.validateForStoring()
        return try await write { db in try Self.insert(metric, into: db) }
    }

    @discardableResult
    public func insert(
        contentsOf metrics: [SkillMetrics], duplicateRuns: DuplicateRunPolicy = .fail
    ) async throws(ProfilerError) -> BatchInsertResult {
        try await write { db in try Self.insert(contentsOf: metrics, into: db, duplicateRuns: duplicateRuns) }
    }

    @discardableResult
    public func insert(
        batches: [[SkillMetrics]], duplicateRuns: DuplicateRunPolicy
    ) async throws(ProfilerError) -> [BatchInsertResult] {
        try await write { db in try Self.insert(batches: batches, into: db, duplicateRuns: duplicateRuns) }
    }

    public func update(_ metric: SkillMetrics) async throws(ProfilerError) {
        let id = try Self.checkUpdatable(metric)
        if try await !write({ db in try Self.update(metric, in: db) }) { throw .metricNotFound(id: id) }
    }

    @discardableResult
    public func merge(_ contributions: [RunContribution]) async throws(ProfilerError) -> MergeResult {
        try await write { db in try Self.merge(contributions, in: db) }
    }

    @discardableResult
    public func delete(id: Int64) async throws(ProfilerError) -> Bool {
        try await write { db in try Self.delete(id: id, in: db) }
    }

    @discardableResult
    public func deleteMetrics(forSkill skillId: String, upToId: Int64? = nil) async throws(ProfilerError) -> Int {
        try await write { db in try Self.deleteMetrics(forSkill: skillId, upToId: upToId, in: db) }
    }

    @discardableResult
    public func prune(before date: Date, upToId: Int64? = nil) async throws(ProfilerError) -> Int {
        try await write { db in try Self.prune(before: date, upToId: upToId, in: db) }
    }

    // MARK: - Reading runs

    public func metric(id: Int64) async throws(ProfilerError) -> SkillMetrics? {
        try await read { db in try Self.metric(id: id, in: db) }
    }

    public func metricsPage(_ page: MetricsPage) async throws(ProfilerError) -> [SkillMetrics] {
        try await read { db in try SkillMetrics.all().page(page).validRows().fetchAll(db) }
    }

    public func lastId() async throws(ProfilerError) -> Int64? {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM skill_metrics") }
    }

    public func countAndLastId(matching filter: MetricsFilter) async throws(ProfilerError) -> (count: Int, lastId: Int64?) {
        let (count, lastId) = try await read { db in
            let counted = try Self.countAndLastId(matching: filter, in: db)
            return (counted.count, counted.lastId)
        }
        return (count, lastId)
    }

    public func invalidCount(matching filter: MetricsFilter = MetricsFilter()) async throws(ProfilerError) -> Int {
        try await read { db in try Self.invalidCount(matching: filter, in: db) }
    }

    // MARK: - Reading skills

    public func allSkills() async throws(ProfilerError) -> [String] {
        try await read { db in try Self.allSkills(in: db) }
    }

    public func skillRunCountsCountingInvalidRows() async throws(ProfilerError) -> (counts: [SkillRunCount], invalidRows: Int) {
        let (counts, invalidRows) = try await read { db in
            let counted = try Self.skillRunCountsCountingInvalidRows(in: db)
            return (counted.counts, counted.invalidRows)
        }
        return (counts, invalidRows)
    }

    public func versionRunCounts(forSkill skillId: String) async throws(ProfilerError) -> [VersionRunCount] {
        try await read { db in try Self.versionRunCounts(forSkill: skillId, in: db) }
    }

    public func averageMetrics(forSkill skillId: String) async throws(ProfilerError) -> AggregatedMetrics? {
        try await read { db in try Self.averageMetrics(forSkill: skillId, in: db) }
    }

    public func modelTotals(matching filter: MetricsFilter) async throws(ProfilerError) -> [ModelTotals] {
        try await read { db in try Rollups.modelTotals(matching: filter, in: db) }
    }
}

// MARK: - Pages

extension QueryInterfaceRequest<SkillMetrics> {
    /// The runs of one page: the filter's conditions and order, after the page's last run, up to its size.
    func page(_ page: MetricsPage) -> Self {
        var filter = page.filter
        filter.limit = page.size
        var request = matching(filter).upToId(page.upToId)
        if let after = page.after {
            switch page.filter.order {
            case .oldestFirst: request = request.filter(literal: "(timestamp, id) > (\(after.timestamp), \(after.id))")
            case .newestFirst: request = request.filter(literal: "(timestamp, id) < (\(after.timestamp), \(after.id))")
            case .insertion: request = request.filter(SkillMetrics.Columns.id > after.id)
            }
        }
        return request
    }
}
