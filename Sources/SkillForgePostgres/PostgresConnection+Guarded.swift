import Logging
import PostgresNIO
import Synchronization

// MARK: - Queries that end when their connection does

extension PostgresConnection {
    /// How often a pending query checks that its connection is still open.
    static let closeCheckInterval = Duration.milliseconds(200)

    /// Runs a query, as `query(_:logger:)` does, but fails with
    /// ``PostgresFailure/ConnectionLost`` when the connection closes before the
    /// server answers.
    ///
    /// PostgresNIO 1.33.2 writes a query to its channel without a promise for
    /// the write: when the server has just closed the connection (a restart,
    /// `pg_terminate_backend`), the write fails and the query's own promise is
    /// never completed, so `query` never returns. A watcher checks
    /// ``isClosed`` while the query is pending and ends the wait; the task
    /// left waiting on the lost promise is abandoned (it holds no connection).
    @discardableResult
    func guardedQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        let pending = PendingQuery()
        var tasks: [Task<Void, Never>] = []
        defer { for task in tasks { task.cancel() } }
        return try await withCheckedThrowingContinuation { continuation in
            pending.start(continuation)
            tasks.append(
                Task {
                    do { pending.finish(.success(try await self.query(query, logger: logger))) } catch { pending.finish(.failure(error)) }
                })
            tasks.append(
                Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.closeCheckInterval)
                        if self.isClosed { return pending.finish(.failure(PostgresFailure.ConnectionLost())) }
                    }
                })
        }
    }

    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT`, or `ROLLBACK` when it throws.
    ///
    /// Every statement runs through ``guardedQuery(_:logger:)``, so a connection
    /// the server closes ends the transaction with an error (PostgreSQL rolls
    /// it back), never with a wait that does not end.
    func guardedTransaction<Result: Sendable>(
        logger: Logger, _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await guardedQuery("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            if !isClosed { _ = try? await guardedQuery("ROLLBACK", logger: logger) }
            throw error
        }
        try await guardedQuery("COMMIT", logger: logger)
        return result
    }
}

/// A query's answer, given once: by the query, or by the watcher of its connection.
private final class PendingQuery: Sendable {
    private let continuation = Mutex<CheckedContinuation<PostgresRowSequence, any Error>?>(nil)

    func start(_ continuation: CheckedContinuation<PostgresRowSequence, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func finish(_ result: Result<PostgresRowSequence, any Error>) {
        continuation.withLock { continuation in
            continuation?.resume(with: result)
            continuation = nil
        }
    }
}
