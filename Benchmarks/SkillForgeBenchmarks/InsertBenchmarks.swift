import Benchmark
import SkillForge
import Workload

/// Writes through `ProfilerDB`'s synchronous API, each next to the raw SQLite
/// C API writing the same rows into a new file with the same schema and
/// indexes (``RawSQLite``), with the same connection settings.
enum InsertBenchmarks {
    static func register() {
        let rows = Array(Workload(count: 100_000))
        PairedBenchmark(
            "insert-100k-rows-in-one-batch", unit: .milliseconds,
            skillForge: Side("ProfilerDB.insert(contentsOf:)") { try insertInOneBatch(rows) },
            baselines: [Side("raw C, one transaction") { try rawInsertInOneTransaction(rows) }],
            iterations: 10, maxDuration: .seconds(120)
        ).register()

        let singles = Array(rows.prefix(2_000))
        PairedBenchmark(
            "2000-single-inserts", unit: .microseconds, per: "insert", operations: singles.count,
            skillForge: Side("ProfilerDB.insert") { try insertEach(singles) },
            baselines: [Side("raw C, autocommit") { try rawInsertEach(singles) }],
            iterations: 20
        ).register()
    }

    /// `rows` in one `insert(contentsOf:)` (one transaction) into a new database.
    private static func insertInOneBatch(_ rows: [SkillMetrics]) throws -> Duration {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let db = try ProfilerDB(path: directory.path("batch.db"))
        return try ContinuousClock().measure { blackHole(try db.insert(contentsOf: rows)) }
    }

    /// Each of `rows` in an `insert(_:)` of its own (a durable transaction each) into a new database.
    private static func insertEach(_ rows: [SkillMetrics]) throws -> Duration {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let db = try ProfilerDB(path: directory.path("single.db"))
        return try ContinuousClock().measure {
            for row in rows { blackHole(try db.insert(row)) }
        }
    }

    private static func rawInsertInOneTransaction(_ rows: [SkillMetrics]) throws -> Duration {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let raw = try RawSQLite(creatingAt: directory.path("raw-batch.db"))
        return try ContinuousClock().measure { try raw.insertInOneTransaction(rows) }
    }

    private static func rawInsertEach(_ rows: [SkillMetrics]) throws -> Duration {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let raw = try RawSQLite(creatingAt: directory.path("raw-single.db"))
        return try ContinuousClock().measure { try raw.insertEach(rows) }
    }
}
