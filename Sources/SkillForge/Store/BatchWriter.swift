import Logging

/// Records runs through a bounded queue and writes them to a store in batches:
/// many concurrent recorders share one transaction (group commit).
///
/// ```swift
/// let writer = BatchWriter(store: try ProfilerDB(), logger: logger)
/// try await writer.record(run)      // queued: returns in microseconds
/// try await writer.flush()          // written: durable when this returns
/// ```
///
/// Durability contract:
/// - ``record(_:)`` validates the run and queues it; it returns before the
///   run is written. A run is written at most ``Configuration/flushInterval``
///   after it was queued while the store keeps up, so a crash loses at most
///   the runs of that interval (and of the batch being written).
/// - ``flush()`` returns once every run queued before it is committed.
/// - Nothing is dropped: when the queue holds ``Configuration/capacity`` runs,
///   ``record(_:)`` waits for room (back-pressure). A failed write keeps its
///   runs queued and is retried, after a pause that doubles up to a few
///   seconds; each failure is logged and thrown by the pending ``flush()``.
/// - Runs whose `runId` is already stored are skipped, so a retried batch is
///   never written twice.
public actor BatchWriter {
    /// How the writer batches.
    public struct Configuration: Sendable, Hashable {
        /// Runs queued before ``BatchWriter/record(_:)`` waits for room.
        public var capacity: Int
        /// Runs written per transaction at most.
        public var maximumBatch: Int
        /// How long a run may wait in the queue before a write starts.
        public var flushInterval: Duration

        /// Creates a configuration.
        public init(capacity: Int = 16_384, maximumBatch: Int = 4_096, flushInterval: Duration = .milliseconds(50)) {
            self.capacity = max(1, capacity)
            self.maximumBatch = max(1, maximumBatch)
            self.flushInterval = flushInterval
        }
    }

    /// The store written to.
    public nonisolated let store: any MetricsStore
    /// How the writer batches.
    public nonisolated let configuration: Configuration
    private let logger: Logger

    private var queue: [SkillMetrics] = []
    /// Runs queued since the writer was created, and of those, runs written.
    /// The prices of the runs recorded without a cost.
    public nonisolated let pricing: PriceList
    private var queuedCount = 0
    private var writtenCount = 0
    private var isWriting = false
    private var isWriteScheduled = false
    private var consecutiveFailures = 0
    private var roomWaiters: [CheckedContinuation<Void, Never>] = []
    private var flushWaiters: [(target: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    /// Creates a writer to `store`, which gives each run without a cost its cost by `pricing` (``PriceList/pricing(_:)``).
    public init(
        store: any MetricsStore, configuration: Configuration = Configuration(), pricing: PriceList = .shipped,
        logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        self.pricing = pricing
        self.logger = logger
    }

    // MARK: - Recording

    /// Validates `metric` and queues it; waits only while the queue is full.
    ///
    /// - Throws: ``ProfilerError`` with code `invalidMetric` when a field breaks a rule; nothing is queued.
    public func record(_ metric: SkillMetrics) async throws(ProfilerError) {
        try metric.validateForStoring()
        while queue.count >= configuration.capacity {
            await withCheckedContinuation { roomWaiters.append($0) }
        }
        queue.append(pricing.pricing(metric))
        queuedCount += 1
        if queue.count >= configuration.maximumBatch {
            startWriting()
        } else {
            scheduleWrite(after: configuration.flushInterval)
        }
    }

    /// Returns once every run queued before the call is written.
    ///
    /// - Throws: The store's error when a write fails; the runs stay queued and are retried.
    public func flush() async throws(ProfilerError) {
        let target = queuedCount
        guard writtenCount < target else { return }
        startWriting()
        do {
            try await withCheckedThrowingContinuation { flushWaiters.append((target, $0)) }
        } catch let error as ProfilerError {
            throw error
        } catch {
            throw .database(path: store.location, message: "\(error)")
        }
    }

    /// Runs queued and not yet written.
    public var pendingCount: Int { queue.count }

    // MARK: - Writing

    private func scheduleWrite(after delay: Duration) {
        guard !isWriting, !isWriteScheduled else { return }
        isWriteScheduled = true
        Task {
            try? await Task.sleep(for: delay)
            await self.writeScheduled()
        }
    }

    private func writeScheduled() async {
        isWriteScheduled = false
        await writeQueue()
    }

    private func startWriting() {
        guard !isWriting else { return }
        Task { await self.writeQueue() }
    }

    /// Writes batches until the queue is empty; runs that arrive meanwhile join the next batch.
    private func writeQueue() async {
        guard !isWriting else { return }
        isWriting = true
        defer { isWriting = false }
        while !queue.isEmpty {
            let batch = Array(queue.prefix(configuration.maximumBatch))
            do {
                _ = try await store.insert(contentsOf: batch, duplicateRuns: .skip)
            } catch {
                consecutiveFailures += 1
                logger.error(
                    "could not write \(batch.count) queued runs; they stay queued and will be retried",
                    metadata: ["error": "\(error)", "store": "\(store.location)"])
                failFlushes(with: error)
                let pause = Duration.milliseconds(50 * (1 << min(consecutiveFailures, 7)))
                Task {
                    try? await Task.sleep(for: pause)
                    await self.writeQueue()
                }
                return
            }
            consecutiveFailures = 0
            queue.removeFirst(batch.count)
            writtenCount += batch.count
            resumeRoomWaiters()
            resumeFlushes()
        }
    }

    private func resumeRoomWaiters() {
        let waiters = roomWaiters
        roomWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    private func resumeFlushes() {
        let written = writtenCount
        let done = flushWaiters.filter { $0.target <= written }
        flushWaiters.removeAll { $0.target <= written }
        for waiter in done { waiter.continuation.resume() }
    }

    private func failFlushes(with error: ProfilerError) {
        let waiters = flushWaiters
        flushWaiters = []
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }
}
