import Foundation
import PostgresNIO
import SkillForgeTestSupport
import Testing

@testable import SkillForge
@testable import SkillForgePostgres

/// 2026-11-20T00:00:00Z in Unix milliseconds.
private let postgresDay: Int64 = 1_795_132_800_000

private func run(_ skill: String, ms: Int64, runId: String? = nil) -> SkillMetrics {
    SkillMetrics(skillId: skill, executionMs: ms, tokensIn: 10, tokensOut: 5, success: true, timestamp: postgresDay, runId: runId)
}


@Suite("PostgreSQL store: its URL, its schema, and a server that goes away", TestPostgres.enabled)
struct PostgresStoreTests {
    // MARK: - URLs

    @Test("a URL's parts are read; the password never shows in the location")
    func urlParts() throws {
        let location = try PostgresLocation(url: "postgres://forge:s%40cret@db.internal:6543/metrics?sslmode=disable&schema=team_a")
        #expect(location.description == "postgres://forge@db.internal:6543/metrics?sslmode=disable&schema=team_a")
        #expect(location.schema == "team_a")
        #expect(location.configuration.username == "forge")
        #expect(location.configuration.password == "s@cret")
        #expect(location.configuration.database == "metrics")
        #expect(location.configuration.host == "db.internal" && location.configuration.port == 6543)
        let socket = try PostgresLocation(url: "postgresql://forge@/metrics?host=/run/postgresql")
        #expect(socket.configuration.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(socket.schema == "public")
        #expect(socket.connectTimeout == .seconds(10) && socket.configuration.options.maximumConnections == 10)
        let tuned = try PostgresLocation(url: "postgres://forge@db/metrics?connect_timeout=3&pool_size=2")
        #expect(tuned.connectTimeout == .seconds(3) && tuned.configuration.options.connectTimeout == .seconds(3))
        #expect(tuned.configuration.options.maximumConnections == 2)
    }

    @Test(
        "a wrong URL is refused with the part that is wrong, and without its password",
        arguments: [
            ("mysql://forge:pw@db/metrics", "expected a URL such as postgres://"),
            ("postgres://forge:pw@db/metrics?sslmode=sometimes", "sslmode 'sometimes' is not one of disable, prefer, require, verify-full"),
            ("postgres://forge:pw@db/metrics?schema=Robert'); DROP TABLE", "is not a plain name"),
            ("postgres://forge:pw@/metrics", "the URL names no host"),
            ("postgres://forge:pw@db/metrics?pool_size=0", "pool_size '0' is not a whole number of at least 1"),
            ("postgres://forge:pw@db/metrics?connect_timeout=soon", "connect_timeout 'soon' is not a whole number"),
        ])
    func wrongURL(url: String, problem: String) {
        #expect {
            try PostgresLocation(url: url)
        } throws: { error in
            let message = "\(error)"
            return (error as? ProfilerError)?.code == .cannotOpen && message.contains(problem) && !message.contains("pw")
        }
    }

    // MARK: - Opening

    @Test("a server that cannot be reached is a clear error, with the reason", .timeLimit(.minutes(10)))
    func unreachable() async throws {
        // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
        // (The timeout is long: under the full suite's load, the refusal can take a while to arrive.)
        let location = try PostgresLocation(url: "postgres://forge:pw@127.0.0.1:9/metrics?sslmode=disable&connect_timeout=600")
        await #expect {
            try await PostgresMetricsStore(location)
        } throws: { error in
            let message = "\(error)"
            return (error as? ProfilerError)?.code == .cannotOpen && message.contains("cannot reach 127.0.0.1:9: connection refused")
                && !message.contains("pw")
        }
    }

    @Test("8 stores opening a new schema at once migrate it once; psql reads what the store wrote", .timeLimit(.minutes(10)))
    func concurrentOpening() async throws {
        let location = try PostgresLocation(url: TestPostgres.urlWithNewSchema())
        let ids = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let store = try await PostgresMetricsStore(location)
                    defer { store.close() }
                    return try await store.insert(run("s\(index)", ms: Int64(index))).id
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(ids.compactMap { $0 }) == Set(1...8))
        let migrations = try psql("SELECT name FROM skill_forge_migrations", schema: location.schema)
        #expect(migrations.stdout.split(separator: "\n") == ["v1-skill-metrics", "v2-rollups", "v3-rollups-all-time"])
        let rows = try psql("SELECT skill_id, execution_ms, success FROM skill_metrics ORDER BY execution_ms", schema: location.schema)
        #expect(rows.stdout.split(separator: "\n").map(String.init) == (0..<8).map { "s\($0)|\($0)|t" })
    }

    @Test("a schema with a migration this version does not know is refused as too new")
    func unknownMigration() async throws {
        let location = try PostgresLocation(url: TestPostgres.urlWithNewSchema())
        try await PostgresMetricsStore(location).close()
        #expect(try psql("INSERT INTO skill_forge_migrations (name) VALUES ('v99-future')", schema: location.schema).status == 0)
        await #expect(throws: ProfilerError.schemaTooNew(path: location.description, unknownMigrations: ["v99-future"])) {
            try await PostgresMetricsStore(location)
        }
    }

    @Test("rows another tool writes are held to the rules by the table itself")
    func checkConstraints() async throws {
        let location = try PostgresLocation(url: TestPostgres.urlWithNewSchema())
        let store = try await PostgresMetricsStore(location)
        defer { store.close() }
        let columns = "skill_id, execution_ms, tokens_in, tokens_out, success, timestamp"
        for values in ["'a', -1, 0, 0, true, \(postgresDay)", "'a', 1, 0, 0, true, 5", "'a', 1, -3, 0, true, \(postgresDay)"] {
            let result = try psql("INSERT INTO skill_metrics (\(columns)) VALUES (\(values))", schema: location.schema)
            #expect(result.status != 0 && result.stderr.contains("violates check constraint"), "\(values)")
        }
        #expect(try psql("INSERT INTO skill_metrics (\(columns)) VALUES ('a', 7, 1, 2, false, \(postgresDay))", schema: location.schema).status == 0)
        let runs = try await store.skillTotals(matching: MetricsFilter())
        #expect(runs.skills.map(\.totals.runs) == [1] && runs.invalidRows == 0)
        #expect(try await store.invalidCount(matching: MetricsFilter()) == 0)
    }

    @Test("cost_usd of any writer's rows becomes whole nanodollars as Nanodollars.of rounds it; NaN, infinities and negatives are unknown")
    func generatedNanodollars() async throws {
        let location = try PostgresLocation(url: TestPostgres.urlWithNewSchema())
        let store = try await PostgresMetricsStore(location)
        defer { store.close() }
        let costs = ["0.0125", "0.0000000015", "0.0000000005", "0.000123456789", "1000000", "1000000.5", "-1", "'NaN'", "'Infinity'"]
        let values = costs.enumerated().map { "('a', \($0.offset), 1, 1, true, \(postgresDay), \($0.element))" }
        let insert = try psql(
            "INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, cost_usd) VALUES "
                + values.joined(separator: ", "), schema: location.schema)
        #expect(insert.status == 0, "\(insert.stderr)")
        let stored = try psql("SELECT coalesce(cost_nanodollars::text, 'NULL') FROM skill_metrics ORDER BY execution_ms", schema: location.schema)
        let expected = [0.0125, 0.000_000_001_5, 0.000_000_000_5, 0.000_123_456_789, 1_000_000, 1_000_000.5, -1, .nan, .infinity]
            .map { Nanodollars.of($0).map(String.init) ?? "NULL" }
        #expect(stored.stdout.split(separator: "\n").map(String.init) == expected)
        #expect(expected.prefix(5) == ["12500000", "2", "1", "123457", "1000000000000000"])
        let totals = try #require(try await store.skillTotals(matching: MetricsFilter()).skills.first?.totals)
        #expect(totals.costRuns == 5 && totals.costNanodollars == 1_000_000_012_623_460)
    }

    // MARK: - A server that goes away

    /// `call`'s result, calling it again (up to 5 times) while it fails with a lost connection.
    @discardableResult
    private func afterReconnecting<Value>(_ call: () async throws -> Value) async throws -> Value {
        for _ in 1..<5 {
            do { return try await call() } catch let error as ProfilerError where "\(error)".contains("connection to the server was lost") {
                continue
            }
        }
        return try await call()
    }

    @Test(
        "connections the server kills end calls with an error or a result, never a hang; the store recovers",
        .timeLimit(.minutes(10)))
    func killedConnections() async throws {
        let name = "sf_kill_" + UUID().uuidString.prefix(8).lowercased()
        let url = try TestPostgres.urlWithNewSchema() + "&application_name=\(name)"
        let location = try PostgresLocation(url: url)
        let store = try await PostgresMetricsStore(location)
        defer { store.close() }
        let kill = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '\(name)'"
        var stored = 0
        for round in 0..<5 {
            // A transaction of three statements, or (skipping duplicates, 1,000 runs) one autocommitted statement.
            let (policy, size): (DuplicateRunPolicy, Int) = round.isMultiple(of: 2) ? (.fail, 3_000) : (.skip, 1_000)
            let batch = (0..<size).map { run("k", ms: Int64($0), runId: "r\(round)-\($0)") }
            let writing = Task { try await store.insert(contentsOf: batch, duplicateRuns: policy) }
            try await Task.sleep(for: .milliseconds(20 * round))
            #expect(try psql(kill, schema: location.schema).status == 0)
            switch await writing.result {
            case .success(let result): stored += result.inserted
            case .failure(let error): #expect((error as? ProfilerError)?.code == .database, "\(error)")
            }
            // All or nothing. A call may meet another killed connection the pool has not seen close
            // yet (it fails the same way); within a few calls, the pool has new ones.
            #expect(try await afterReconnecting { try await store.countAndLastId(matching: MetricsFilter()).count } == stored)
        }
        try await afterReconnecting { try await store.insert(run("k", ms: 1)) }
        #expect(try await store.countAndLastId(matching: MetricsFilter()).count == stored + 1)
    }
}
