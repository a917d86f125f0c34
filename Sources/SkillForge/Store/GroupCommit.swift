/// Stores batches durably, many concurrent callers sharing one transaction
/// (group commit): what a collector needs to acknowledge each request only once
/// its runs are committed, at far more requests per second than one
/// transaction each allows.
///
/// ```swift
/// let commits = GroupCommit(store: try ProfilerDB(path: "skill-forge.db"))
/// let result = try await commits.store(runs)   // committed when this returns
/// print("\(result.inserted) new, \(result.skipped) already stored")
/// ```
///
/// How it batches: the first caller starts a write at once; callers that
/// arrive while it runs wait, and the next write takes all of them (up to
/// ``Configuration/maximumRunsPerTransaction``). Under light load each batch
/// is its own transaction with no added delay; under heavy load one
/// transaction carries many. Each call is all or nothing: when a shared
/// transaction fails, its batches are written again one by one, so one bad
/// batch fails alone. Runs whose `runId` is stored already are skipped, so a
/// resent batch adds nothing. When ``Configuration/maximumPendingRuns`` runs wait, new calls
/// wait for room (back-pressure): nothing is dropped.
///
/// ``BatchWriter`` is the other writer: it returns before the write, for
/// callers that record and move on.
public actor GroupCommit {
    /// How the writer groups.
    public struct Configuration: Sendable, Hashable {
        /// Runs written per transaction at most (a single larger batch still goes in one).
        public var maximumRunsPerTransaction: Int
        /// Runs waiting before new calls wait for room.
        public var maximumPendingRuns: Int

        /// Creates a configuration.
        public init(maximumRunsPerTransaction: Int = 8_192, maximumPendingRuns: Int = 65_536) {
            self.maximumRunsPerTransaction = max(1, maximumRunsPerTransaction)
            self.maximumPendingRuns = max(1, maximumPendingRuns)
        }
    }

    /// The store written to.
    public nonisolated let store: any MetricsStore
    /// How the writer groups.
    public nonisolated let configuration: Configuration

    private struct Pending {
        var runs: [SkillMetrics]
        var continuation: CheckedContinuation<BatchInsertResult, any Error>
    }

    private var pending: [Pending] = []
    private var pendingRuns = 0
    private var isWriting = false
    private var roomWaiters: [CheckedContinuation<Void, Never>] = []
    /// Transactions committed and batches they carried, for ``statistics``.
    private var transactions = 0
    private var batches = 0

    /// The prices of the runs stored without a cost (``PriceList/pricing(_:)``).
    public nonisolated let pricing: PriceList

    /// Creates a writer to `store`, which gives each run without a cost its cost by `pricing`.
    public init(store: any MetricsStore, configuration: Configuration = Configuration(), pricing: PriceList = .shipped) {
        self.store = store
        self.configuration = configuration
        self.pricing = pricing
    }

    // MARK: - Storing

    /// Stores `runs` in one transaction (shared with concurrent calls) and returns once they are committed.
    ///
    /// - Returns: How many runs were written and how many were stored already.
    /// - Throws: ``ProfilerError``: an invalid run, or the store's failure; nothing of `runs` is written.
    @discardableResult
    public func store(_ runs: [SkillMetrics]) async throws(ProfilerError) -> BatchInsertResult {
        guard !runs.isEmpty else { return BatchInsertResult() }
        let runs = runs.map(pricing.pricing)
        while pendingRuns >= configuration.maximumPendingRuns {
            await withCheckedContinuation { roomWaiters.append($0) }
        }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                pending.append(Pending(runs: runs, continuation: continuation))
                pendingRuns += runs.count
                startWriting()
            }
        } catch let error as ProfilerError {
            throw error
        } catch {
            throw .database(path: store.location, message: "\(error)")
        }
    }

    /// Transactions committed so far and the batches they carried: how much grouping happened.
    public var statistics: (transactions: Int, batches: Int) { (transactions, batches) }

    // MARK: - Writing

    private func startWriting() {
        guard !isWriting else { return }
        isWriting = true
        Task { await self.writePending() }
    }

    /// Writes groups of waiting batches until none waits.
    private func writePending() async {
        while !pending.isEmpty {
            let group = takeGroup()
            do {
                let results = try await store.insert(batches: group.map(\.runs), duplicateRuns: .skip)
                transactions += 1
                batches += group.count
                for (batch, result) in zip(group, results) { batch.continuation.resume(returning: result) }
            } catch {
                await writeOneByOne(group, afterSharedFailure: error)
            }
        }
        isWriting = false
    }

    /// The batches of the next transaction: the oldest, and those after it while they fit.
    private func takeGroup() -> [Pending] {
        var count = 0
        var taken = 0
        for batch in pending {
            if taken > 0, count + batch.runs.count > configuration.maximumRunsPerTransaction { break }
            count += batch.runs.count
            taken += 1
        }
        let group = Array(pending.prefix(taken))
        pending.removeFirst(taken)
        pendingRuns -= count
        let waiters = roomWaiters
        roomWaiters = []
        for waiter in waiters { waiter.resume() }
        return group
    }

    /// Writes each batch of a failed group in a transaction of its own, so each gets its own answer.
    private func writeOneByOne(_ group: [Pending], afterSharedFailure error: ProfilerError) async {
        guard group.count > 1 else {
            group.first?.continuation.resume(throwing: error)
            return
        }
        for batch in group {
            do {
                let result = try await store.insert(contentsOf: batch.runs, duplicateRuns: .skip)
                transactions += 1
                batches += 1
                batch.continuation.resume(returning: result)
            } catch {
                batch.continuation.resume(throwing: error)
            }
        }
    }
}
