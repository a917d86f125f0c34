import Benchmark
import Logging
import Synchronization
import SkillForge
import Workload

/// What recording costs: `Profiler.profile` on its caller, and concurrent
/// tasks recording through one `BatchWriter` next to the same runs written a
/// transaction per run (issue 9's targets: at most 20 µs a call; at least 3
/// times the rate of a single writer storing each run as it ends).
enum RecordingBenchmarks {
    /// Calls of `profile` timed together: few, so that both sides of an iteration see the same load,
    /// and fewer than a batch, so that the writer writes after the loop.
    static let calls = 100
    /// Runs recorded in one iteration of the concurrent-writer benchmark, and the tasks recording them.
    static let runs = 4_000
    static let tasks = 8

    static func register() {
        PairedBenchmark(
            "profile-overhead", unit: .nanoseconds, per: "call", operations: calls,
            skillForge: Side("profile with an empty body") { try await profileEmptyBodies() },
            baselines: [Side("empty closure and 2 clock reads") { await timeEmptyClosures() }],
            iterations: 100, teardown: { try await ProfilerFixture.shared.close() }
        ).register()

        let rows = Workload(count: runs).map { row in
            var row = row
            row.runId = RunIdentity.random()  // as the profiler records them
            return row
        }
        PairedBenchmark(
            "8-tasks-recording-4000-runs", unit: .microseconds, per: "run", operations: runs,
            skillForge: Side("8 tasks, one BatchWriter") { try await record(rows, tasks: tasks) },
            baselines: [
                Side("1 task, a transaction per run") { try await insertEach(rows, tasks: 1) },
                Side("8 tasks, a transaction per run") { try await insertEach(rows, tasks: tasks) },
                Side("1 task, one BatchWriter") { try await record(rows, tasks: 1) },
            ],
            iterations: 15, maxDuration: .seconds(120)
        ).register()
    }

    static let logger = Logger(label: "skill-forge.benchmarks", factory: { _ in SwiftLogNoOpLogHandler() })

    // MARK: - Profile overhead

    /// `calls` profiled empty bodies, recording through the shared profiler (written after the timing).
    private static func profileEmptyBodies() async throws -> Duration {
        let profiler = try ProfilerFixture.shared.profiler()
        let time = await ContinuousClock().measure {
            for _ in 0..<calls {
                await profiler.profile(skill: "overhead") { _ in }
            }
        }
        try await profiler.flush()
        return time
    }

    /// The least `profile` can do: `calls` empty closures, each between two clock reads.
    private static func timeEmptyClosures() async -> Duration {
        await ContinuousClock().measure {
            for _ in 0..<calls {
                blackHole(await timeCall {})
            }
        }
    }

    @inline(never)
    private static func timeCall(_ body: () async -> Void) async -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        await body()
        return start.duration(to: clock.now)
    }

    // MARK: - Concurrent writers

    /// `rows` recorded by `tasks` concurrent tasks through one writer, then flushed: written when it returns.
    private static func record(_ rows: [SkillMetrics], tasks: Int) async throws -> Duration {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let writer = BatchWriter(store: try ProfilerDB(path: directory.path("record.db")), logger: logger)
        return try await ContinuousClock().measure {
            try await forEach(of: rows, splitAmong: tasks) { row in try await writer.record(row) }
            try await writer.flush()
        }
    }

    /// `rows` stored by `tasks` concurrent tasks, each run in a transaction of its own (`insert(_:)`).
    private static func insertEach(_ rows: [SkillMetrics], tasks: Int) async throws -> Duration {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let db = try ProfilerDB(path: directory.path("single.db"))
        return try await ContinuousClock().measure {
            try await forEach(of: rows, splitAmong: tasks) { row in try await db.insert(row) }
        }
    }

    /// Runs `body` on every row; `tasks` concurrent tasks take a contiguous share each.
    private static func forEach(
        of rows: [SkillMetrics], splitAmong tasks: Int, _ body: @escaping @Sendable (SkillMetrics) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                let share = rows[task * rows.count / tasks..<(task + 1) * rows.count / tasks]
                group.addTask {
                    for row in share { try await body(row) }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// One profiler for every iteration, as an application keeps one: made on first use, recording into a new database.
final class ProfilerFixture: Sendable {
    static let shared = ProfilerFixture()

    private let state = Mutex<(directory: ScratchDirectory, profiler: Profiler)?>(nil)

    /// The profiler, made on first use.
    func profiler() throws -> Profiler {
        try state.withLock { state in
            if let state { return state.profiler }
            let directory = try ScratchDirectory()
            let profiler = Profiler(store: try ProfilerDB(path: directory.path("profile.db")), logger: RecordingBenchmarks.logger)
            state = (directory, profiler)
            return profiler
        }
    }

    /// Writes what the profiler holds and removes its database.
    func close() async throws {
        guard let (directory, profiler) = state.withLock({ state in defer { state = nil }; return state }) else { return }
        try await profiler.flush()
        directory.remove()
    }
}
