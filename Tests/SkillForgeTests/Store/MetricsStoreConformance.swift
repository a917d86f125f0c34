import Foundation
import Logging
import SkillForgeTestSupport
import Testing

@testable import SkillForge

/// The stores every conformance test runs on. A new backend adds a case here
/// and passes the same suite.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteFile = "ProfilerDB (file)"
    case sqliteMemory = "ProfilerDB (:memory:)"
    case memory = "MemoryMetricsStore"
    case postgres = "PostgresMetricsStore"

    var testDescription: String { rawValue }

    /// The stores this run tests: PostgreSQL only with a server (``TestPostgres``).
    static let available = allCases.filter { $0 != .postgres || TestPostgres.isEnabled }

    /// A new, empty store, and the directory it lives in (kept alive by the caller).
    func makeStore() async throws -> (store: any MetricsStore, directory: TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        switch self {
        case .sqliteFile: return (try ProfilerDB(path: directory.path("conformance.db")), directory)
        case .sqliteMemory: return (try ProfilerDB.inMemory(), directory)
        case .memory: return (MemoryMetricsStore(), directory)
        case .postgres: return (try await TestPostgres.makeStore(), directory)
        }
    }
}

/// 2026-11-20T00:00:00Z in Unix milliseconds, and an conformanceHour.
private let conformanceDay: Int64 = 1_795_132_800_000
private let conformanceHour: Int64 = 3_600_000

private func storedRun(
    _ skill: String, ms: Int64, at offset: Int64 = 0, tokens: (Int64, Int64) = (10, 5), success: Bool = true,
    version: String? = nil, model: String? = nil, runId: String? = nil
) -> SkillMetrics {
    SkillMetrics(
        skillId: skill, executionMs: ms, tokensIn: tokens.0, tokensOut: tokens.1, success: success,
        timestamp: conformanceDay + offset, version: version, model: model, runId: runId)
}

/// A failed run with a value in every field (`id` aside).
private func runWithEveryField(_ skill: String, runId: String) -> SkillMetrics {
    var run = storedRun(skill, ms: 12, at: 5, tokens: (100, 7), success: false, version: "1.0", model: "m", runId: runId)
    run.error = "boom"
    run.cacheReadTokens = 3
    run.cacheCreationTokens = 4
    run.tokensEstimated = true
    run.sessionId = "s"
    run.source = "test"
    run.metadata = #"{"k":1}"#
    run.costUsd = 0.25
    run.tokensKnown = true
    run.costEstimated = false
    return run
}

private func collect(_ sequence: MetricsSequence) async throws -> [SkillMetrics] {
    var runs: [SkillMetrics] = []
    for try await run in sequence { runs.append(run) }
    return runs
}

@Suite("MetricsStore conformance: every store keeps the same contract")
struct MetricsStoreConformanceTests {
    // MARK: - Writing

    @Test("ids grow from 1; a stored run reads back with every field", arguments: StoreKind.available)
    func insertAndRead(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        #expect(try await store.lastId() == nil)
        let full = runWithEveryField("a", runId: "r-1")
        let first = try await store.insert(full)
        let second = try await store.insert(storedRun("b", ms: 1))
        #expect(first.id == 1 && second.id == 2)
        #expect(try await store.lastId() == 2)
        var expected = full
        expected.id = 1
        #expect(try await store.metric(id: 1) == expected)
        #expect(try await store.metric(id: 3) == nil)
    }

    @Test("a batch stores every field of each run in its order, and NULL where a run leaves a field out", arguments: StoreKind.available)
    func batchReadsBack(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let full = runWithEveryField("b", runId: "r-full")
        var unknownTokens = storedRun("a", ms: 3, at: 9, tokens: (0, 0))
        unknownTokens.tokensKnown = false
        unknownTokens.costUsd = 1.5
        let batch = [storedRun("c", ms: 1, at: 7), full, unknownTokens, storedRun("a", ms: 2, at: 1, version: "é", model: "o'brien")]
        #expect(try await store.insert(contentsOf: batch, duplicateRuns: .fail) == BatchInsertResult(inserted: 4, skipped: 0))
        for (index, run) in batch.enumerated() {
            var expected = run
            expected.id = Int64(index + 1)
            #expect(try await store.metric(id: Int64(index + 1)) == expected)
        }
    }

    @Test("a batch is all or nothing: a duplicate run id (with .fail) or an invalid run writes nothing", arguments: StoreKind.available)
    func batchAllOrNothing(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        try await store.insert(storedRun("a", ms: 1, runId: "x"))
        await #expect(throws: ProfilerError.duplicateRunId("x")) {
            try await store.insert(contentsOf: [storedRun("a", ms: 2, runId: "y"), storedRun("a", ms: 3, runId: "x")], duplicateRuns: .fail)
        }
        await #expect(throws: ProfilerError.duplicateRunId("z")) {
            try await store.insert(contentsOf: [storedRun("a", ms: 2, runId: "z"), storedRun("a", ms: 3, runId: "z")], duplicateRuns: .fail)
        }
        let error = await #expect(throws: ProfilerError.self) {
            try await store.insert(contentsOf: [storedRun("a", ms: 2), storedRun("a", ms: -1)], duplicateRuns: .skip)
        }
        #expect(error?.description == "invalid execution_ms -1: must be zero or more")
        // Checked in order: a stored run id before an invalid run is the batch's error.
        await #expect(throws: ProfilerError.duplicateRunId("x")) {
            try await store.insert(contentsOf: [storedRun("a", ms: 2, runId: "v"), storedRun("a", ms: 3, runId: "x"), storedRun("a", ms: -1)], duplicateRuns: .fail)
        }
        await #expect(throws: ProfilerError.duplicateRunId("x")) {
            try await store.insert(contentsOf: [storedRun("a", ms: 3, runId: "x"), storedRun("a", ms: 2, runId: "v"), storedRun("a", ms: 2, runId: "v")], duplicateRuns: .fail)
        }
        #expect(try await store.countAndLastId(matching: MetricsFilter()).count == 1)

        let result = try await store.insert(
            contentsOf: [storedRun("a", ms: 4, runId: "x"), storedRun("a", ms: 5, runId: "w"), storedRun("a", ms: 6, runId: "w"), storedRun("a", ms: 7)],
            duplicateRuns: .skip)
        #expect(result == BatchInsertResult(inserted: 2, skipped: 2))
        await #expect(throws: ProfilerError.duplicateRunId("w")) { try await store.insert(storedRun("a", ms: 8, runId: "w")) }
    }

    @Test("update replaces a run; delete, deleteMetrics and prune remove only what they select, up to an id", arguments: StoreKind.available)
    func updateAndDelete(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        _ = try await store.insert(
            contentsOf: [
                storedRun("a", ms: 1, at: 0), storedRun("a", ms: 2, at: conformanceHour), storedRun("b", ms: 3, at: 0), storedRun("b", ms: 4, at: 2 * conformanceHour),
                storedRun("a", ms: 5, at: 3 * conformanceHour),
            ], duplicateRuns: .fail)
        var changed = try #require(try await store.metric(id: 2))
        changed.version = "2.0"
        try await store.update(changed)
        #expect(try await store.metric(id: 2)?.version == "2.0")
        changed.id = 99
        await #expect(throws: ProfilerError.metricNotFound(id: 99)) { try await store.update(changed) }

        #expect(try await store.delete(id: 1))
        #expect(try await !store.delete(id: 1))
        // Runs of "a" up to id 2: only id 2 is left of those (id 5 was stored after the count).
        #expect(try await store.deleteMetrics(forSkill: "a", upToId: 2) == 1)
        // Before conformanceDay + 2 h: id 3 only (id 4 is at 2 h exactly, id 5 later).
        #expect(try await store.prune(before: Date(unixMilliseconds: conformanceDay + 2 * conformanceHour), upToId: nil) == 1)
        #expect(try await collect(store.metrics(matching: MetricsFilter(order: .insertion))).compactMap(\.id) == [4, 5])
    }

    // MARK: - Reading

    @Test("runs stream page by page in every order, up to the limit, with the filter's conditions", arguments: StoreKind.available)
    func pagedReads(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        // Ids 1…6; timestamps (in hours) 3, 1, 1, 2, 0, 5; "b" is id 3.
        _ = try await store.insert(
            contentsOf: [
                storedRun("a", ms: 1, at: 3 * conformanceHour, version: "1"), storedRun("a", ms: 2, at: conformanceHour), storedRun("b", ms: 3, at: conformanceHour),
                storedRun("a", ms: 4, at: 2 * conformanceHour, version: "1"), storedRun("a", ms: 5, at: 0, model: "m"), storedRun("a", ms: 6, at: 5 * conformanceHour),
            ], duplicateRuns: .fail)
        func ids(_ filter: MetricsFilter) async throws -> [Int64] {
            try await collect(store.metrics(matching: filter, pageSize: 2)).compactMap(\.id)
        }
        #expect(try await ids(MetricsFilter(skillId: "a")) == [5, 2, 4, 1, 6])
        #expect(try await ids(MetricsFilter(order: .newestFirst)) == [6, 1, 4, 3, 2, 5])
        #expect(try await ids(MetricsFilter(order: .insertion, limit: 3)) == [1, 2, 3])
        #expect(try await ids(MetricsFilter(version: "1")) == [4, 1])
        #expect(try await ids(MetricsFilter(model: "m")) == [5])
        let window = TimeWindow(since: Date(unixMilliseconds: conformanceDay + conformanceHour), until: Date(unixMilliseconds: conformanceDay + 3 * conformanceHour))
        #expect(try await ids(MetricsFilter(window: window, order: .newestFirst)) == [4, 3, 2])
        #expect(try await ids(MetricsFilter(skillId: "none")) == [])
        #expect(try await store.countAndLastId(matching: MetricsFilter(skillId: "a")) == (5, 6))
    }

    @Test("skills, their run counts, versions and the seed's averages", arguments: StoreKind.available)
    func skillReads(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        _ = try await store.insert(
            contentsOf: [
                storedRun("b", ms: 10, at: 0, tokens: (10, 0), version: "2"), storedRun("b", ms: 30, at: conformanceHour, tokens: (20, 10), success: false),
                storedRun("a", ms: 5, at: 2 * conformanceHour, version: "1"), storedRun("b", ms: 20, at: 3 * conformanceHour, tokens: (0, 0), version: "1"),
            ], duplicateRuns: .fail)
        #expect(try await store.allSkills() == ["a", "b"])
        let counts = try await store.skillRunCountsCountingInvalidRows()
        #expect(counts.counts == [SkillRunCount(skillId: "a", runs: 1, lastRun: conformanceDay + 2 * conformanceHour), SkillRunCount(skillId: "b", runs: 3, lastRun: conformanceDay + 3 * conformanceHour)])
        #expect(counts.invalidRows == 0)
        // b's versions by first run: "2" at 0 h, none at 1 h, "1" at 3 h.
        #expect(try await store.versionRunCounts(forSkill: "b").map(\.version) == ["2", nil, "1"])
        // b: mean time (10 + 30 + 20) / 3 = 20, mean tokens (10 + 30 + 0) / 3, 1 failure in 3.
        let averages = try #require(try await store.averageMetrics(forSkill: "b"))
        #expect(averages.avgExecutionMs == 20 && averages.totalRuns == 3)
        #expect(abs(try #require(averages.avgTokens) - 40.0 / 3) < 1e-9 && abs(averages.failureRate - 1.0 / 3) < 1e-9)
        #expect(try await store.averageMetrics(forSkill: "none") == nil)

        // Totals by hand. b: times 10, 30, 20 (sum 60, squares 100 + 900 + 400 = 1,400), tokens in
        // 10 + 20 + 0, out 0 + 10 + 0, 1 failure; σ = √((1,400 − 60² / 3) / 2) = 10.
        let all = try await store.skillTotals(matching: MetricsFilter())
        #expect(all.skills.map(\.skillId) == ["a", "b"] && all.invalidRows == 0)
        let b = try #require(all.skills.last?.totals)
        #expect(b.runs == 3 && b.failures == 1)
        #expect([b.executionMsSum, b.executionMsMin, b.executionMsMax] == [Int64(60), 10, 30])
        #expect(b.executionMsSquares == 1_400 && b.executionMsStandardDeviation == 10)
        #expect([b.tokensInSum, b.tokensOutSum] == [30, 10])
        #expect([b.firstRun, b.lastRun] == [Optional(conformanceDay), conformanceDay + 3 * conformanceHour])
        // From 1 h on, version "1" only: b's run at 3 h.
        let windowed = try await store.skillTotals(
            matching: MetricsFilter(window: TimeWindow(since: Date(unixMilliseconds: conformanceDay + conformanceHour)), version: "1"))
        #expect(windowed.skills.map(\.skillId) == ["a", "b"])
        #expect(windowed.skills.map(\.totals.runs) == [1, 1] && windowed.skills.last?.totals.executionMsSum == 20)
    }

    /// Runs of "s" by hand: model "m" at 0 h (10 ms, $0.25) and 1 h 30 min (30 ms, failed, cost unknown),
    /// "n" at 1 h (20 ms, $0.50), none at 2 h (40 ms, $1); "t" on "m" at 0 h (5 ms).
    @Test("totals per skill and model, over all time and in a window with parts of hours", arguments: StoreKind.available)
    func modelTotals(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        func run(_ skill: String, ms: Int64, at offset: Int64, model: String?, cost: Double?, success: Bool = true) -> SkillMetrics {
            var run = storedRun(skill, ms: ms, at: offset, success: success, model: model)
            run.costUsd = cost
            return run
        }
        _ = try await store.insert(
            contentsOf: [
                run("s", ms: 10, at: 0, model: "m", cost: 0.25), run("s", ms: 30, at: 3 * conformanceHour / 2, model: "m", cost: nil, success: false),
                run("s", ms: 20, at: conformanceHour, model: "n", cost: 0.5), run("s", ms: 40, at: 2 * conformanceHour, model: nil, cost: 1),
                run("t", ms: 5, at: 0, model: "m", cost: nil),
            ], duplicateRuns: .fail)

        let all = try await store.modelTotals(matching: MetricsFilter())
        #expect(all.map(\.skillId) == ["s", "s", "s", "t"])
        #expect(all.map(\.model) == [nil, "m", "n", "m"])
        #expect(all.map(\.totals.runs) == [1, 2, 1, 1])
        let m = all[1].totals
        // "m": 2 runs, 1 failure, 10 + 30 ms, one known cost of $0.25.
        #expect(m.failures == 1 && m.executionMsSum == 40 && m.costRuns == 1 && m.meanCostUsd == 0.25)
        #expect(all[3].totals.costRuns == 0 && all[3].totals.meanCostUsd == nil)

        // From 0 h 30 min to 2 h 30 min: "m" keeps its run at 1 h 30, "n" and the run without a model stay.
        let window = TimeWindow(
            since: Date(unixMilliseconds: conformanceDay + conformanceHour / 2),
            until: Date(unixMilliseconds: conformanceDay + 5 * conformanceHour / 2))
        let windowed = try await store.modelTotals(matching: MetricsFilter(skillId: "s", window: window))
        #expect(windowed.map(\.model) == [nil, "m", "n"])
        #expect(windowed.map(\.totals.executionMsSum) == [40, 30, 20])
        #expect(windowed.map(\.totals.costRuns) == [1, 0, 1])
        #expect(try await store.modelTotals(matching: MetricsFilter(skillId: "none")).isEmpty)
    }

    // MARK: - Analysis through the protocol

    /// Times of "s": 10, 20, 30, 40 (version 1, conformanceHour 0) and 100, 200 (version 2, conformanceHour 1, one failure).
    /// numpy: `np.percentile([10, 20, 30, 40, 100, 200], [50, 95])` → [35.0, 175.0];
    /// `np.percentile([10, 20, 30, 40], 50)` → 25.0.
    @Test("summaries, comparisons and time series read the same from every store", arguments: StoreKind.available)
    func analysis(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        _ = try await store.insert(
            contentsOf: [
                storedRun("s", ms: 10, at: 0, version: "1"), storedRun("s", ms: 20, at: 1, version: "1"),
                storedRun("s", ms: 30, at: 2, version: "1"), storedRun("s", ms: 40, at: 3, version: "1"),
                storedRun("s", ms: 100, at: conformanceHour, version: "2"), storedRun("s", ms: 200, at: conformanceHour + 1, success: false, version: "2"),
                storedRun("t", ms: 7),
            ], duplicateRuns: .fail)
        let analyzer = Analyzer(store: store)
        let summary = try #require(try await analyzer.summary(forSkill: "s"))
        #expect(summary.runs == 6 && summary.failures == 1)
        #expect(summary.executionMs.p50 == 35 && summary.executionMs.p95 == 175)
        #expect(try await analyzer.summary(forSkill: "s", version: "1")?.executionMs.p50 == 25)
        #expect(try await analyzer.summaries().map(\.skillId) == ["s", "t"])

        let comparison = try await analyzer.compare(skill: "s", baseline: .version("1"), candidate: .version("2"))
        #expect(comparison.baseline.runs == 4 && comparison.candidate.runs == 2)

        let series = try await analyzer.timeSeries(
            forSkill: "s", bucket: .hour,
            window: TimeWindow(since: Date(unixMilliseconds: conformanceDay), until: Date(unixMilliseconds: conformanceDay + 2 * conformanceHour)))
        #expect(series.map(\.runs) == [4, 2])
        #expect(series.map(\.p50) == [25, 150])
        #expect(series.map(\.failures) == [0, 1])
    }

    // MARK: - Concurrency

    @Test("8 tasks inserting at once store every run exactly once", arguments: StoreKind.available)
    func concurrentInserts(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<50 {
                        try await store.insert(storedRun("s\(task)", ms: Int64(index), runId: "\(task)-\(index)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let runs = try await collect(store.metrics(matching: MetricsFilter()))
        #expect(runs.count == 400)
        #expect(Set(runs.compactMap(\.runId)).count == 400 && Set(runs.compactMap(\.id)).count == 400)
    }

    @Test("a BatchWriter fed by 8 tasks through a small queue stores every run exactly once", arguments: StoreKind.available)
    func batchWriter(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let writer = BatchWriter(
            store: store, configuration: .init(capacity: 16, maximumBatch: 8, flushInterval: .milliseconds(5)),
            logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<100 {
                        try await writer.record(storedRun("s", ms: Int64(index), runId: "\(task)-\(index)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        try await writer.flush()
        #expect(await writer.pendingCount == 0)
        let runs = try await collect(store.metrics(matching: MetricsFilter()))
        #expect(runs.count == 800 && Set(runs.compactMap(\.runId)).count == 800)
        await #expect(throws: ProfilerError.self) { try await writer.record(storedRun("", ms: 1)) }
    }

    @Test("batches in one call are counted each on its own, and are all or nothing together", arguments: StoreKind.available)
    func insertBatches(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        try await store.insert(storedRun("a", ms: 1, runId: "stored"))
        let results = try await store.insert(
            batches: [
                [storedRun("a", ms: 2, runId: "p"), storedRun("a", ms: 3, runId: "stored")],
                [],
                [storedRun("a", ms: 4, runId: "p"), storedRun("a", ms: 5, runId: "q"), storedRun("b", ms: 6)],
            ],
            duplicateRuns: .skip)
        #expect(results == [
            BatchInsertResult(inserted: 1, skipped: 1), BatchInsertResult(), BatchInsertResult(inserted: 2, skipped: 1),
        ])
        #expect(try await store.countAndLastId(matching: MetricsFilter()).count == 4)
        #expect(try await store.lastId() == 4)    // a skipped run draws no id
        await #expect(throws: ProfilerError.duplicateRunId("z")) {
            try await store.insert(batches: [[storedRun("c", ms: 7, runId: "z")], [storedRun("c", ms: 8, runId: "z")]], duplicateRuns: .fail)
        }
        await #expect(throws: ProfilerError.self) {
            try await store.insert(batches: [[storedRun("c", ms: 7, runId: "r")], [storedRun("c", ms: -1)]], duplicateRuns: .skip)
        }
        #expect(try await store.countAndLastId(matching: MetricsFilter()).count == 4)
        #expect(try await store.allSkills() == ["a", "b"])
    }

    @Test("a GroupCommit fed by 8 tasks at once stores every run exactly once, in fewer transactions than calls", arguments: StoreKind.available)
    func groupCommit(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let commits = GroupCommit(store: store, configuration: .init(maximumRunsPerTransaction: 64))
        let results = try await withThrowingTaskGroup(of: BatchInsertResult.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var total = BatchInsertResult()
                    for index in 0..<40 {
                        // Every call sends two new runs and one that task 0 may have sent already.
                        let batch = [
                            storedRun("s\(task)", ms: Int64(index), runId: "\(task)-\(index)-a"),
                            storedRun("s\(task)", ms: Int64(index), runId: "\(task)-\(index)-b"),
                            storedRun("shared", ms: Int64(index), runId: "shared-\(index)"),
                        ]
                        let result = try await commits.store(batch)
                        total.inserted += result.inserted
                        total.skipped += result.skipped
                    }
                    return total
                }
            }
            return try await group.reduce(into: [BatchInsertResult]()) { $0.append($1) }
        }
        // 8 × 40 × 2 own runs, and the 40 shared ones once: 680 rows; 280 sends of shared runs skipped.
        #expect(results.map(\.inserted).reduce(0, +) == 680)
        #expect(results.map(\.skipped).reduce(0, +) == 280)
        let runs = try await collect(store.metrics(matching: MetricsFilter()))
        #expect(runs.count == 680 && Set(runs.compactMap(\.runId)).count == 680)
        let statistics = await commits.statistics
        #expect(statistics.batches == 320)
        #expect(statistics.transactions <= statistics.batches)
    }

    @Test("in a GroupCommit, a batch that fails fails alone; the others of its transaction are stored", arguments: StoreKind.available)
    func groupCommitIsolation(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let commits = GroupCommit(store: store)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    // Every fourth batch holds an invalid run.
                    let ms: Int64 = index % 4 == 0 ? -1 : Int64(index)
                    return (try? await commits.store([storedRun("a", ms: 1, runId: "ok-\(index)"), storedRun("a", ms: ms)])) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 12)
        #expect(try await store.countAndLastId(matching: MetricsFilter()).count == 24)
    }
}
