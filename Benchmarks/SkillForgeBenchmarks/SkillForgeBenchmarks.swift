import Benchmark
import Foundation
import GRDB
import GRDBSQLite
import SkillForge
import Workload

// Every Skill Forge benchmark runs next to a baseline doing the same work with
// plain SQLite in the same run, so results compare as ratios (absolute times on
// a shared machine are noise). See docs/PERFORMANCE.md for how to run them and
// the numbers measured.
//
// Reads use the database named by SKILL_FORGE_BENCH_DB (make the 10-million-row
// one with `swift run -c release generate-workload`); without it they use a
// 200,000-row database generated on first use in the temporary directory.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 1,
        maxDuration: .seconds(20), maxIterations: 20)
    let large = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 0,
        maxDuration: .seconds(60), maxIterations: 3)

    // MARK: Summaries

    Benchmark("summary, one skill (Analyzer.summary)") { benchmark in
        let analyzer = Analyzer(db: try ReadDatabase.shared.open())
        for _ in benchmark.scaledIterations {
            blackHole(try analyzer.summary(forSkill: "skill-017"))
        }
    }
    Benchmark("baseline: SQLite aggregates + p95, one skill") { benchmark in
        let queue = try ReadDatabase.shared.openRaw()
        for _ in benchmark.scaledIterations {
            try queue.read { db in
                blackHole(try Row.fetchOne(db, sql: Baseline.aggregatesOneSkill, arguments: ["skill-017"]))
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM skill_metrics WHERE skill_id = ?", arguments: ["skill-017"]) ?? 1
                blackHole(try Int64.fetchOne(db, sql: Baseline.p95OneSkill, arguments: ["skill-017", (count * 95 + 99) / 100 - 1]))
            }
        }
    }
    Benchmark("summaries, all skills (Analyzer.summaries)", configuration: large) { benchmark in
        let analyzer = Analyzer(db: try ReadDatabase.shared.open())
        for _ in benchmark.scaledIterations {
            blackHole(try analyzer.summaries())
        }
    }
    Benchmark("baseline: SQLite aggregates, all skills (GROUP BY)", configuration: large) { benchmark in
        let queue = try ReadDatabase.shared.openRaw()
        for _ in benchmark.scaledIterations {
            try queue.read { db in blackHole(try Row.fetchAll(db, sql: Baseline.aggregatesAllSkills)) }
        }
    }

    // MARK: Comparison

    Benchmark("compare, two versions (Analyzer.compare)") { benchmark in
        let analyzer = Analyzer(db: try ReadDatabase.shared.open())
        for _ in benchmark.scaledIterations {
            blackHole(
                try analyzer.compare(
                    skill: ComparisonWorkload.skillId, baseline: .version("1.0"), candidate: .version("2.0")))
        }
    }
    Benchmark("baseline: SQLite ordered scan of both versions") { benchmark in
        let queue = try ReadDatabase.shared.openRaw()
        for _ in benchmark.scaledIterations {
            try queue.read { db in
                let cursor = try Int64.fetchCursor(db, sql: Baseline.orderedVersions, arguments: [ComparisonWorkload.skillId])
                var sum: Int64 = 0
                while let value = try cursor.next() { sum &+= value }
                blackHole(sum)
            }
        }
    }

    // MARK: Skills

    Benchmark("allSkills (skip-scan)") { benchmark in
        let db = try ReadDatabase.shared.open()
        for _ in benchmark.scaledIterations { blackHole(try db.allSkills()) }
    }
    Benchmark("baseline: SELECT DISTINCT skill_id") { benchmark in
        let queue = try ReadDatabase.shared.openRaw()
        for _ in benchmark.scaledIterations {
            try queue.read { db in blackHole(try String.fetchAll(db, sql: "SELECT DISTINCT skill_id FROM skill_metrics")) }
        }
    }

    // MARK: Writes

    let rows = Array(Workload(count: 100_000))
    Benchmark("insert 100k rows in one batch (ProfilerDB.insert(contentsOf:))", configuration: .init(maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            let directory = try ScratchDirectory()
            let db = try ProfilerDB(path: directory.path("batch.db"))
            benchmark.startMeasurement()
            blackHole(try db.insert(contentsOf: rows))
            benchmark.stopMeasurement()
        }
    }
    Benchmark("baseline: raw SQLite C API, 100k rows, same schema and indexes", configuration: .init(maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            let directory = try ScratchDirectory()
            let path = directory.path("raw.db")
            _ = try ProfilerDB(path: path)  // the same schema and indexes, then closed
            let raw = try RawSQLite(path: path)
            benchmark.startMeasurement()
            try raw.insert(rows)
            benchmark.stopMeasurement()
        }
    }
    Benchmark("2,000 single inserts (ProfilerDB.insert)", configuration: .init(maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            let directory = try ScratchDirectory()
            let db = try ProfilerDB(path: directory.path("single.db"))
            benchmark.startMeasurement()
            for row in rows.prefix(2_000) { blackHole(try db.insert(row)) }
            benchmark.stopMeasurement()
        }
    }
    Benchmark("baseline: 2,000 raw SQLite autocommit inserts", configuration: .init(maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            let directory = try ScratchDirectory()
            let path = directory.path("raw-single.db")
            _ = try ProfilerDB(path: path)
            let raw = try RawSQLite(path: path)
            benchmark.startMeasurement()
            for row in rows.prefix(2_000) { try raw.insert([row]) }
            benchmark.stopMeasurement()
        }
    }
}

// MARK: - Baselines

/// The peers' queries (../shared/peers/README.md), verbatim.
enum Baseline {
    static let aggregatesOneSkill = """
        SELECT COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success)
        FROM skill_metrics WHERE skill_id = ?
        """
    static let p95OneSkill = "SELECT execution_ms FROM skill_metrics WHERE skill_id = ? ORDER BY execution_ms LIMIT 1 OFFSET ?"
    static let aggregatesAllSkills = """
        SELECT skill_id, COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success)
        FROM skill_metrics GROUP BY skill_id
        """
    static let orderedVersions = """
        SELECT execution_ms FROM skill_metrics
        WHERE skill_id = ? AND version IN ('1.0', '2.0') ORDER BY execution_ms
        """
}

/// The database the read benchmarks query.
final class ReadDatabase: Sendable {
    static let shared = ReadDatabase()

    let path: String

    private init() {
        if let path = ProcessInfo.processInfo.environment["SKILL_FORGE_BENCH_DB"] {
            self.path = path
            return
        }
        path = FileManager.default.temporaryDirectory.appendingPathComponent("skill-forge-bench-200k.db").path
        if !FileManager.default.fileExists(atPath: path), let db = try? ProfilerDB(path: path) {
            _ = try? db.insert(contentsOf: Workload(count: 200_000))
            _ = try? db.insert(contentsOf: ComparisonWorkload(runs: 10_000))
        }
    }

    func open() throws -> ProfilerDB { try ProfilerDB(path: path, createIfNeeded: false) }

    func openRaw() throws -> DatabaseQueue { try DatabaseQueue(path: path) }
}

/// The fastest way SQLite inserts: one prepared statement, bind, step, reset, in one transaction.
struct RawSQLite: ~Copyable {
    private var connection: OpaquePointer?
    private var statement: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open(path, &connection) == SQLITE_OK else { throw RawError.open }
        // The settings ProfilerDB gives its writer: WAL, NORMAL, a 40 MiB page cache.
        sqlite3_exec(
            connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -40960", nil, nil, nil)
        let sql = """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp)
            VALUES (?, ?, ?, ?, ?, ?)
            """
        guard sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK
        else { throw RawError.prepare }
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(connection)
    }

    func insert(_ rows: [SkillMetrics]) throws {
        sqlite3_exec(connection, "BEGIN", nil, nil, nil)
        for row in rows {
            sqlite3_bind_text(statement, 1, row.skillId, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            sqlite3_bind_int64(statement, 2, row.executionMs)
            sqlite3_bind_int64(statement, 3, row.tokensIn)
            sqlite3_bind_int64(statement, 4, row.tokensOut)
            sqlite3_bind_int64(statement, 5, row.success ? 1 : 0)
            sqlite3_bind_int64(statement, 6, row.timestamp)
            guard sqlite3_step(statement) == SQLITE_DONE else { throw RawError.step }
            sqlite3_reset(statement)
        }
        sqlite3_exec(connection, "COMMIT", nil, nil, nil)
    }

    enum RawError: Error { case open, prepare, step }
}

/// A directory removed when the value goes away.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("skill-forge-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
