import Foundation
import GRDB
import Testing

@testable import SkillForge

/// A server's request handlers run on Swift's cooperative thread pool (one
/// thread per core). If a store blocked those threads while SQLite waits for a
/// lock, every other task of the process would stall with it. The test runs its
/// tasks on an executor of one thread: a store that blocked it would stall the
/// test until the writers give up (their busy timeout), and fail it.
/// The limit is generous: in the full suite the test's own task resumes on a
/// shared pool that other tests keep busy.
@Suite("the SQLite store never blocks the cooperative thread pool")
struct CooperativePoolTests {
    @Test("writes waiting for another connection's lock leave the pool free; they complete once it is released",
          .timeLimit(.minutes(10)))
    func waitingWritesLeaveThePoolFree() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locked.db")
        let store = try ProfilerDB(path: path, busyTimeout: .seconds(600))  // the writers outwait a slow machine
        // Another connection (as another process would) takes the write lock and keeps it.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // a transaction that outlives one access: the lock we hold
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.inDatabase { db in try db.beginTransaction(.immediate) }

        // Every task below runs on one thread of its own (as if the pool had one
        // thread), so other tests running at the same time cannot starve it.
        let executor = SingleThreadExecutor()
        let writers = 8
        let inserts = (0..<writers).map { index in
            Task(executorPreference: executor) {
                try await store.insert(SkillMetrics(skillId: "s", executionMs: Int64(index), tokensIn: 1, tokensOut: 1, success: true))
            }
        }
        // Meanwhile, work on that thread goes on: a chain of tasks, each hopping through it.
        let hops = await Task(executorPreference: executor) {
            var hops = 0
            for _ in 0..<200 {
                hops += await Task(executorPreference: executor) { await Task.yield(); return 1 }.value
            }
            return hops
        }.value
        #expect(hops == 200)
        #expect(try ProfilerDB(path: path, readOnly: true).count() == 0, "the writers are still waiting")

        try other.inDatabase { db in try db.commit() }
        for insert in inserts { _ = try await insert.value }
        #expect(try store.count() == writers)
    }
}

/// A task executor with one thread: jobs run one at a time, in order.
private final class SingleThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [UnownedJob] = []

    init() {
        let thread = Thread { self.run() }  // lives as long as the test process
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
