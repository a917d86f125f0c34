import Foundation
import Testing

@testable import SkillForge

/// 2026-11-20T00:00:00Z in Unix milliseconds.
private let copyDay: Int64 = 1_795_132_800_000

/// Five runs with every kind of field, one without a run id.
private let history: [SkillMetrics] = [
    SkillMetrics(
        skillId: "alpha", executionMs: 100, tokensIn: 10, tokensOut: 5, success: true, timestamp: copyDay, version: "1.0",
        model: "claude-sonnet-4-5", cacheReadTokens: 7, sessionId: "s1", runId: "r1", source: "test", costUsd: 0.0125),
    SkillMetrics(
        skillId: "alpha", executionMs: 200, tokensIn: 0, tokensOut: 0, success: false, timestamp: copyDay + 1_000,
        error: "timeout", runId: "r2", tokensKnown: false),
    SkillMetrics(skillId: "beta", executionMs: 50, tokensIn: 3, tokensOut: 4, success: true, timestamp: copyDay + 2_000),
    SkillMetrics(skillId: "beta", executionMs: 70, tokensIn: 3, tokensOut: 4, success: true, timestamp: copyDay + 3_000, runId: "r4"),
    SkillMetrics(skillId: "gamma", executionMs: 9, tokensIn: 1, tokensOut: 1, success: true, timestamp: copyDay - 5_000, runId: "r5"),
]

private func rows(_ store: any MetricsStore) async throws -> [SkillMetrics] {
    var rows: [SkillMetrics] = []
    for try await row in store.metrics(matching: MetricsFilter(order: .insertion)) { rows.append(row) }
    return rows
}

@Suite("StoreCopier: history copied between stores")
struct StoreCopierTests {
    @Test("into and out of every store, in batches: every field kept, ids new, run ids derived where missing; again, nothing", arguments: StoreKind.available)
    func copiesEveryRunOnce(kind: StoreKind) async throws {
        let source = MemoryMetricsStore()
        try await source.insert(contentsOf: history, duplicateRuns: .fail)
        let (destination, _) = try await kind.makeStore()
        // One run already there, as if an earlier copy had stopped after it.
        try await destination.insert(history[3])

        var seen: [Int] = []
        let first = try await StoreCopier(from: source, to: destination, batchSize: 2).copy { seen.append($0.read) }
        var expected = StoreCopier.Summary()
        (expected.total, expected.read, expected.copied, expected.alreadyStored) = (5, 5, 4, 1)
        #expect(first == expected)
        #expect(seen == [2, 4, 5])

        // The run stored first, then the others in the source's order; the third (at 3 now) had no run id.
        var wanted = [history[3], history[0], history[1], history[2], history[4]]
        wanted[3].runId = RunIdentity.derived(for: history[2])
        for index in wanted.indices { wanted[index].id = Int64(index + 1) }
        #expect(try await rows(destination) == wanted)

        let again = try await StoreCopier(from: source, to: destination).copy()
        #expect(again.copied == 0 && again.alreadyStored == 5)

        // And back out, into a store that held nothing: the same runs again.
        let back = MemoryMetricsStore()
        #expect(try await StoreCopier(from: destination, to: back).copy().copied == 5)
        #expect(try await rows(back) == wanted)
    }
}
