import Dispatch
import Synchronization

/// Carries an import's records from the thread that reads its inputs to the
/// task that stores them, a batch at a time, holding at most `capacity`
/// batches: the reader waits while the store catches up (back-pressure), and
/// reading the next batch overlaps with writing the previous one.
///
/// The reading side runs on a thread of its own (blocking file reads never
/// occupy a Swift concurrency thread); the storing side awaits the store.
final class ImportPipeline: Sendable {
    /// What the reading side sends.
    enum Message: Sendable {
        /// Records to store and contributions to merge, and the events that came before them.
        case batch(ImportBatch, events: [Importer.Event])
        /// Reading ended: the counts of the reading side, or the failure that stopped it.
        case finished(Result<Importer.Summary, ImportError>)
    }

    let messages: AsyncStream<Message>
    private let continuation: AsyncStream<Message>.Continuation
    private let room: DispatchSemaphore
    private let stopped = Mutex(false)

    init(capacity: Int = 2) {
        (messages, continuation) = AsyncStream.makeStream(of: Message.self)
        // Created at 0 and raised to the capacity: libdispatch traps when a semaphore is freed
        // below its initial value, which a pipeline whose storing side stopped with batches
        // unstored (a failed import) would be.
        room = DispatchSemaphore(value: 0)
        for _ in 0..<max(1, capacity) { room.signal() }
    }

    // MARK: - Reading side

    /// Runs `read` on a new thread; it sends its batches with ``send(_:events:)``.
    func startReading(_ read: @escaping @Sendable (ImportPipeline) throws(ImportError) -> Importer.Summary) {
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result { () throws(ImportError) in try read(self) }
            self.continuation.yield(.finished(result))
            self.continuation.finish()
        }
    }

    /// Sends a batch, waiting while `capacity` batches are unstored.
    ///
    /// - Throws: ``ImportError/cancelled`` once the storing side stopped.
    func send(_ batch: ImportBatch, events: [Importer.Event]) throws(ImportError) {
        room.wait()
        if isStopped { throw .cancelled }
        continuation.yield(.batch(batch, events: events))
    }

    /// Whether the storing side stopped (failed or was cancelled).
    var isStopped: Bool { stopped.withLock { $0 } }

    // MARK: - Storing side

    /// The storing side is done with a batch: the reader may send another.
    func stored() {
        room.signal()
    }

    /// The storing side gives up: the reader's next ``send(_:events:)`` throws.
    func stop() {
        stopped.withLock { $0 = true }
        room.signal()
    }
}

/// What one transaction of an import writes: metrics to insert, telemetry contributions to merge.
struct ImportBatch: Sendable {
    var metrics: [SkillMetrics] = []
    var contributions: [RunContribution] = []
    /// Where each contribution was read, to report the ones the store refuses.
    var contributionLocations: [SourceLocation] = []

    var count: Int { metrics.count + contributions.count }
}

/// Collects records and events into batches for an ``ImportPipeline``.
struct ImportBatcher {
    let pipeline: ImportPipeline
    let batchSize: Int
    private var batch = ImportBatch()
    private var events: [Importer.Event] = []

    /// Events held before they are sent without records, so a run of rejected records stays in bounded memory.
    private static let maximumEvents = 1_024

    init(pipeline: ImportPipeline, batchSize: Int) {
        self.pipeline = pipeline
        self.batchSize = max(1, batchSize)
    }

    mutating func add(_ metric: SkillMetrics) throws(ImportError) {
        batch.metrics.append(metric)
        if batch.count >= batchSize { try send() }
    }

    mutating func add(_ contribution: RunContribution, at location: SourceLocation) throws(ImportError) {
        batch.contributions.append(contribution)
        batch.contributionLocations.append(location)
        if batch.count >= batchSize { try send() }
    }

    /// Keeps a progress report, sent with the next batch or event (readers report every few thousand lines).
    mutating func noteProgress(_ event: Importer.Event) {
        events.append(event)
    }

    mutating func report(_ event: Importer.Event) throws(ImportError) {
        events.append(event)
        if events.count >= Self.maximumEvents { try send() }
    }

    /// Sends what is held, if anything.
    mutating func send() throws(ImportError) {
        guard batch.count > 0 || !events.isEmpty else { return }
        try pipeline.send(batch, events: events)
        batch = ImportBatch()
        events.removeAll()
    }
}
