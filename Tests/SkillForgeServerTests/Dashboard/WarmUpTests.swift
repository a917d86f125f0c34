import Foundation
import SkillForge
import Testing
@testable import SkillForgeServer

/// The dashboard computes the overview once when the server starts, and a value
/// that loads ask for at the same time is computed once.
@Suite("Dashboard: warm-up and computations shared between loads")
struct WarmUpTests {
    /// Counts the computations it is asked to run.
    private actor Counter {
        var count = 0
        func add() { count += 1 }
    }

    @Test("warm-up computes every skill's overview row: the seed's four skills")
    func warmUp() async throws {
        let store = try await DashboardSeed.stores()[1]
        let dashboard = DashboardRoutes(collector: Collector(store: store, configuration: ServerConfiguration()), timeZone: .gmt)
        #expect(await dashboard.cache.count == 0)
        #expect(try await dashboard.warmUp() == 4)
        #expect(await dashboard.cache.count == 4)
    }

    @Test("eight loads asking for the same value at once compute it once; a new fingerprint computes it again")
    func sharedComputation() async throws {
        let cache = DashboardCache()
        let counter = Counter()
        let key = DashboardCache.Key(page: "overview", skillId: "s")
        let fingerprint = DashboardCache.Fingerprint(totals: RunTotals())
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await cache.value(for: key, fingerprint: fingerprint) { () async throws -> Int in
                        await counter.add()
                        try await Task.sleep(for: .milliseconds(200))
                        return 42
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 42, count: 8))
        #expect(await counter.count == 1)

        var changed = RunTotals()
        changed.runs = 1
        let again = try await cache.value(for: key, fingerprint: .init(totals: changed)) { () async throws -> Int in
            await counter.add()
            return 43
        }
        let computations = await counter.count
        #expect(again == 43 && computations == 2)
    }

    /// A failure is not kept: the next load computes again.
    @Test("a computation that fails is tried again by the next load")
    func failureIsForgotten() async throws {
        struct Failure: Error {}
        let cache = DashboardCache()
        let key = DashboardCache.Key(page: "overview", skillId: "s")
        let fingerprint = DashboardCache.Fingerprint(totals: RunTotals())
        await #expect(throws: Failure.self) {
            try await cache.value(for: key, fingerprint: fingerprint) { () async throws -> Int in throw Failure() }
        }
        #expect(try await cache.value(for: key, fingerprint: fingerprint) { 7 } == 7)
    }
}
