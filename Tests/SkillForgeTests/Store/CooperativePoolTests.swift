import Foundation
import GRDB
import Testing

@testable import SkillForge

/// A server's request handlers run on Swift's cooperative thread pool (one
/// thread per core). If a store blocked those threads while SQLite waits for a
/// lock, every other task of the process would stall with it.
@Suite("the SQLite store never blocks the cooperative thread pool")
struct CooperativePoolTests {
    /// A store that waited on a pool thread would starve the chain of hops below,
    /// which must finish before the lock is released: the time limit fails it.
    @Test("writes waiting for another connection's lock leave the pool free; they complete once it is released",
          .timeLimit(.minutes(1)))
    func waitingWritesLeaveThePoolFree() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locked.db")
        let store = try ProfilerDB(path: path)
        // Another connection (as another process would) takes the write lock and keeps it.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // a transaction that outlives one access: the lock we hold
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.inDatabase { db in try db.beginTransaction(.immediate) }

        // Four times as many waiting writers as the pool has threads.
        let writers = 4 * ProcessInfo.processInfo.activeProcessorCount
        let inserts = (0..<writers).map { index in
            Task { try await store.insert(SkillMetrics(skillId: "s", executionMs: Int64(index), tokensIn: 1, tokensOut: 1, success: true)) }
        }
        // Meanwhile, work on the pool goes on: a chain of tasks, each hopping through the pool.
        var hops = 0
        for _ in 0..<1_000 {
            hops += await Task { await Task.yield(); return 1 }.value
        }
        #expect(hops == 1_000)
        #expect(try ProfilerDB(path: path, readOnly: true).count() == 0, "the writers are still waiting")

        try other.inDatabase { db in try db.commit() }
        for insert in inserts { _ = try await insert.value }
        #expect(try store.count() == writers)
    }
}
