import Foundation
import GRDB
import Testing

@testable import SkillForge

/// 2026-11-20T00:00:00Z in Unix milliseconds.
private let t0: Int64 = 1_795_132_800_000
private let runId = "claude-code:s1:p1:review"

private func contribution(
    _ key: Int64, _ event: String, _ start: Int64, _ end: Int64, succeeded: Bool? = nil, error: String? = nil,
    usage: RunContribution.Usage? = nil, cost: Double? = nil, model: String? = nil, run: String = runId,
    skill: String = "review"
) -> RunContribution {
    RunContribution(
        eventKey: key, runId: run, skillId: skill, event: event, start: t0 + start, end: t0 + end, succeeded: succeeded,
        error: error, usage: usage, costUsd: cost, model: model, sessionId: "s1", source: "claude-code-otel")
}

/// Five events of one run: the Skill call, two API requests, two failing tool results.
private let contributions: [RunContribution] = [
    contribution(1, "tool_result", 1_000, 1_250, succeeded: true),
    contribution(
        2, "api_request", 1_300, 4_300, usage: .init(input: 1_200, output: 310, cacheRead: 5_000, cacheCreation: 800),
        cost: 0.0123, model: "claude-sonnet-4-5"),
    contribution(3, "api_request", 4_400, 6_400, usage: .init(input: 900, output: 120, cacheRead: 6_000), cost: 0.0081, model: "claude-opus-4-1"),
    contribution(4, "tool_result", 4_310, 4_390, succeeded: false, error: "ShellError"),
    contribution(5, "tool_result", 6_450, 6_500, succeeded: false, error: "Error:ENOENT"),
]

/// Their merge, worked out by hand: from the earliest start (t0 + 1,000) to the latest end
/// (t0 + 6,500): 5,500 ms; tokens 1,200 + 900 = 2,100 in, 310 + 120 = 430 out; cache reads
/// 5,000 + 6,000 = 11,000, cache writes 800 (the other request reports none); cost
/// 0.0123 + 0.0081 = 0.0204; failed, with the error that ended first (ShellError at
/// t0 + 4,390, not ENOENT at t0 + 6,500); the model of the request that ended first (t0 + 4,300).
private let expectedRow = SkillMetrics(
    id: 1, skillId: "review", executionMs: 5_500, tokensIn: 2_100, tokensOut: 430, success: false, timestamp: t0 + 1_000,
    model: "claude-sonnet-4-5", error: "ShellError", tokensEstimated: false, cacheReadTokens: 11_000,
    cacheCreationTokens: 800, sessionId: "s1", runId: runId, source: "claude-code-otel",
    metadata: #"{"error_at":1795132804390,"events":{"api_request":2,"tool_result":3},"model_at":1795132804300}"#,
    costUsd: 0.0204)

private func rows(_ store: any MetricsStore) async throws -> [SkillMetrics] {
    var rows: [SkillMetrics] = []
    for try await row in store.metrics(matching: MetricsFilter(order: .insertion)) { rows.append(row) }
    return rows
}

/// Checks, for a SQLite store, that its rollups and execution-time counts match its rows.
private func expectRollupsMatch(_ store: any MetricsStore, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    if let db = store as? ProfilerDB { try expectRollupsMatchRows(db.writer, sourceLocation: sourceLocation) }
}

@Suite("MetricsStore conformance: merging telemetry contributions")
struct MergeConformanceTests {
    /// The contributions' positions, split into calls: in order, reversed, shuffled, one call each, late pairs.
    static let orders: [[[Int]]] = [
        [[0, 1, 2, 3, 4]], [[4, 3, 2, 1, 0]], [[2, 4, 0, 3, 1]],
        [[3], [1], [4], [0], [2]], [[2], [4, 0], [3, 1]], [[1, 3], [0, 2, 4]],
    ]

    @Test("the merged row is worked out by hand, and is the same whatever the order and the calls", arguments: StoreKind.available)
    func orderIndependence(kind: StoreKind) async throws {
        for order in Self.orders {
            let (store, _) = try await kind.makeStore()
            var merged = 0
            for call in order {
                let result = try await store.merge(call.map { contributions[$0] })
                merged += result.merged
                #expect(result.refused.isEmpty && result.alreadyMerged == 0)
            }
            #expect(merged == 5)
            #expect(try await rows(store) == [expectedRow], "order \(order)")
            try expectRollupsMatch(store)
        }
    }

    @Test("the first call inserts the run, later ones update it; a batch sent again adds nothing", arguments: StoreKind.available)
    func idempotency(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        #expect(try await store.merge(Array(contributions[0..<2])) == MergeResult(merged: 2, insertedRuns: 1))
        #expect(try await store.merge(Array(contributions[2...])) == MergeResult(merged: 3, updatedRuns: 1))
        // Everything again, plus an event twice in one call: nothing changes.
        let again = try await store.merge(contributions + [contributions[2]])
        #expect(again == MergeResult(alreadyMerged: 6))
        #expect(try await rows(store) == [expectedRow])
        // A new event with the key of a merged one is taken for it.
        var changed = contributions[1]
        changed.usage = .init(input: 1, output: 1)
        #expect(try await store.merge([changed]) == MergeResult(alreadyMerged: 1))
        #expect(try await rows(store) == [expectedRow])
        try expectRollupsMatch(store)
    }

    @Test("runs merge apart; a late event moves a run to an earlier hour, and the rollups follow", arguments: StoreKind.available)
    func lateEvents(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let other = contribution(10, "tool_result", 7_200_000, 7_200_400, succeeded: true, run: "claude-code:s1:toolu_1", skill: "mcp:github/create_issue")
        // The run's request at 02:00, then the Skill call it belongs to, logged at 01:59:59.
        let request = contribution(11, "api_request", 7_200_000, 7_203_000, usage: .init(input: 10, output: 5), model: "m")
        let call = contribution(12, "tool_result", 7_199_000, 7_199_500, succeeded: true)
        #expect(try await store.merge([other, request]) == MergeResult(merged: 2, insertedRuns: 2))
        #expect(try await store.merge([call]) == MergeResult(merged: 1, updatedRuns: 1))
        let stored = try await rows(store)
        #expect(stored.map(\.skillId) == ["mcp:github/create_issue", "review"])
        // 01:59:59.000 to 02:00:03.000.
        #expect(stored.last.map { [$0.timestamp, $0.executionMs] } == [t0 + 7_199_000, 4_000])
        #expect(stored.last?.tokensEstimated == false && stored.first?.tokensEstimated == nil)
        #expect(stored.first?.costUsd == nil && stored.first?.tokensIn == 0)
        let window = TimeWindow(since: Date(unixMilliseconds: t0 + 3_600_000), until: Date(unixMilliseconds: t0 + 7_200_000))
        let totals = try await store.skillTotals(matching: MetricsFilter(window: window))
        #expect(totals.skills.map(\.skillId) == ["review"], "the run now starts in the hour before 02:00")
        try expectRollupsMatch(store)
    }

    @Test("a contribution that breaks a rule, or would make its run break one, is refused alone", arguments: StoreKind.available)
    func refusals(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let backwards = contribution(20, "api_request", 5_000, 4_000)
        let tooLate = contribution(21, "tool_result", 31 * 86_400_000, 31 * 86_400_000 + 10, succeeded: true)
        let unnamed = contribution(22, "tool_result", 0, 1, succeeded: true, run: "claude-code:s1:x", skill: " ")
        let result = try await store.merge([contributions[0], backwards, tooLate, unnamed, contributions[1]])
        #expect(result.merged == 2 && result.insertedRuns == 1)
        #expect(result.refused.map(\.index) == [1, 2, 3])
        #expect(result.refused.map(\.problem.description) == [
            "invalid execution_ms -1000: the event ends before it starts",
            // 31 days after t0 + 1,000 ms, plus 10 ms, minus 1,000 ms.
            "invalid execution_ms 2678399010: must be at most 2592000000 (30 days); execution_ms is milliseconds: "
                + "is this microseconds (divide by 1,000) or nanoseconds (divide by 1,000,000)?",
            #"invalid skill_id " ": must not be empty"#,
        ])
        // A refused event is not recorded: sent again (fixed, say), it is merged.
        let fixed = contribution(21, "tool_result", 2_000, 2_100, succeeded: true)
        #expect(try await store.merge([fixed]) == MergeResult(merged: 1, updatedRuns: 1))
        #expect(try await rows(store).map(\.executionMs) == [3_300])
        try expectRollupsMatch(store)
    }

    // MARK: - Pruning

    @Test("prune forgets the events of the runs it deletes: sent again, they make their run again", arguments: StoreKind.available)
    func pruneForgetsPrunedEvents(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        let later = contribution(30, "tool_result", 10_800_000, 10_800_100, succeeded: true, run: "claude-code:s1:p3:review")
        _ = try await store.merge(contributions + [later])
        // Every run before 02:00 goes (the five events' run, from 00:00:01); the 03:00 run stays.
        #expect(try await store.prune(before: Date(unixMilliseconds: t0 + 7_200_000), upToId: nil) == 1)
        let again = try await store.merge(contributions + [later])
        #expect(again == MergeResult(merged: 5, alreadyMerged: 1, insertedRuns: 1))
        var remade = expectedRow
        remade.id = 3
        #expect(try await rows(store).map(\.runId) == [later.runId, runId])
        #expect(try await rows(store).last == remade)
        try expectRollupsMatch(store)
    }

    @Test("prune keeps the events of every run it keeps, one beyond upToId too: none is counted twice", arguments: StoreKind.available)
    func pruneKeepsKeptRunsEvents(kind: StoreKind) async throws {
        let (store, _) = try await kind.makeStore()
        _ = try await store.merge(contributions)
        // A run stored after the prune chose what to delete (upToId 1), starting at 00:00:01.100.
        let late = contribution(40, "tool_result", 1_100, 1_200, succeeded: true, run: "claude-code:s1:p2:review")
        _ = try await store.merge([late])
        #expect(try await store.prune(before: Date(unixMilliseconds: t0 + 7_200_000), upToId: 1) == 1)
        // Only events that started before the late run's 00:00:01.100 are forgotten: the
        // first (00:00:01.000). The others (from 00:00:01.300) and the late run's stay.
        let again = try await store.merge(contributions + [late])
        #expect(again == MergeResult(merged: 1, alreadyMerged: 5, insertedRuns: 1))
        let stored = try await rows(store)
        #expect(stored.map(\.runId) == [late.runId, runId])
        // The late run as merged once (100 ms); the run made again of the first event alone (250 ms).
        #expect(stored.map(\.executionMs) == [100, 250])
        #expect(stored.map(\.timestamp) == [t0 + 1_100, t0 + 1_000])
        try expectRollupsMatch(store)
    }

    @Test("the keys of events merged before they had start times (v12) are kept by prune")
    func pruneKeepsUntimedKeys() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.olderDatabase("v11.db", upTo: "v11-rollup-costs") { db in
            try db.execute(sql: "INSERT INTO merged_events (key) VALUES (1)")
        }
        let db = try ProfilerDB(path: path)
        #expect(try await db.prune(before: Date(unixMilliseconds: t0 + 7_200_000), upToId: nil) == 0)
        #expect(try await db.merge([contributions[0]]) == MergeResult(alreadyMerged: 1))
        let started = try await db.writer.read { db in try Int64?.fetchAll(db, sql: "SELECT started FROM merged_events") }
        #expect(started == [nil])
    }
}
