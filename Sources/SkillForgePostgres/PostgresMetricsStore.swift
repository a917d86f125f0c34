import Foundation
import Logging
import PostgresNIO
import SkillForge

/// A ``MetricsStore`` in a PostgreSQL database: one store that a team's
/// collectors and command-line tools share.
///
/// ```swift
/// let store = try await PostgresMetricsStore(PostgresLocation(url: "postgres://forge@db.internal/metrics"))
/// defer { store.close() }
/// try await store.insert(SkillMetrics(skillId: "summarise", executionMs: 840,
///                                     tokensIn: 2_100, tokensOut: 410, success: true))
/// let summary = try await Analyzer(store: store).summary(forSkill: "summarise")
/// ```
///
/// The tables keep the SQLite file's names and columns (`skill_metrics`,
/// `merged_events`), with PostgreSQL's types, and `CHECK` constraints hold
/// every measured column to the rules of ``SkillMetrics/validate()``: a row
/// another tool writes cannot break them, so no read ever skips one.
/// Migrations are recorded in `skill_forge_migrations` and applied by the
/// first store to open a database, under an advisory lock, so many processes
/// can open it at once.
///
/// Every call runs on PostgresNIO's event loops and never blocks a Swift
/// concurrency thread. Writes of one call are one transaction. Reads stream
/// their rows: memory does not grow with the table.
public final class PostgresMetricsStore: MetricsStore {
    /// The URL without its password.
    public let location: String
    let client: PostgresClient
    let logger: Logger
    /// Runs the client's connection pool until ``close()``.
    private let running: Task<Void, Never>

    /// Connects to the database and brings its schema up to date.
    ///
    /// - Throws: ``ProfilerError/cannotOpen(path:reason:cause:)`` when the server
    ///   cannot be reached (within the location's `connect_timeout`) or refuses the login, and
    ///   ``ProfilerError/schemaTooNew(path:unknownMigrations:)`` for a database a
    ///   newer Skill Forge wrote.
    public init(
        _ location: PostgresLocation, logger: Logger = Logger(label: "skill-forge.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws(ProfilerError) {
        self.location = location.description
        self.logger = logger
        // One connection of its own first: it migrates, and when the server cannot be reached
        // or refuses the login, it fails with the reason (a pool only retries, then times out).
        try await Self.withDeadline(location.connectTimeout, location: location.description) {
            let connection = try await PostgresConnection.connect(
                configuration: location.connectionConfiguration, id: 0, logger: logger)
            do {
                try await PostgresSchema.migrate(connection, schema: location.schema, location: location.description, logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        }
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    deinit {
        running.cancel()
    }

    /// Closes the store's connections; calls after it fail.
    public func close() {
        running.cancel()
    }

    // MARK: - Running queries

    /// Runs `body` on a pooled connection, mapping every failure to a ``ProfilerError``.
    func withConnection<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws(ProfilerError) -> Result {
        try await retryingConflicts {
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// Runs `body` in one transaction (`BEGIN` … `COMMIT`, rolled back when it throws).
    func withTransaction<Result: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws(ProfilerError) -> Result {
        try await retryingConflicts {
            try await client.withConnection { connection in
                try await connection.guardedTransaction(logger: logger, body)
            }
        }
    }

    /// How many times a statement or transaction that PostgreSQL chose as a deadlock's victim runs.
    static let conflictAttempts = 5

    /// Runs `work`, again when PostgreSQL rolled it back to break a deadlock or a serialization
    /// conflict (two writers upserting the same rollup groups can meet so): nothing of it was
    /// committed, and the next attempt usually passes.
    private func retryingConflicts<Result>(_ work: () async throws -> Result) async throws(ProfilerError) -> Result {
        var attempt = 1
        while true {
            do {
                return try await work()
            } catch {
                let state = PostgresFailure.sqlState(of: error)
                guard attempt < Self.conflictAttempts, state == PostgresFailure.deadlock || state == PostgresFailure.serialization
                else { throw failure(error) }
                logger.debug("retrying after a conflict", metadata: ["sqlstate": "\(state ?? "")", "attempt": "\(attempt)"])
                attempt += 1
                try? await Task.sleep(for: .milliseconds(5 * attempt))
            }
        }
    }

    /// The ``ProfilerError`` for what a query threw.
    func failure(_ error: any Error) -> ProfilerError {
        PostgresFailure.map(error, location: location)
    }

    /// Runs `operation`, failing with ``ProfilerError/cannotOpen(path:reason:cause:)`` when it takes longer than `limit`.
    private static func withDeadline(
        _ limit: Duration, location: String, _ operation: @escaping @Sendable () async throws -> Void
    ) async throws(ProfilerError) {
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await operation()
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return false
                }
                let finished = try await group.next() ?? false
                group.cancelAll()
                if !finished {
                    throw ProfilerError.cannotOpen(path: location, reason: "no answer from the server within \(limit)")
                }
            }
        } catch {
            throw PostgresFailure.map(error, location: location)
        }
    }
}
