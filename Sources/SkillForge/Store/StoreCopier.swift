// MARK: - Copying history between stores

/// Copies every run of one store into another, whatever their backends: a
/// SQLite file into PostgreSQL for a team, or back into a file.
///
/// ```swift
/// let copier = StoreCopier(from: try ProfilerDB(path: "skill-forge.db", readOnly: true),
///                          to: try ProfilerDB(path: "team.db"))
/// let summary = try await copier.copy { progress in print(progress.read, "of", progress.total) }
/// print("\(summary.copied) copied, \(summary.alreadyStored) already there")
/// ```
///
/// The runs are read in the order they were stored, a page at a time, and each
/// page is written in one transaction (``MetricsStore/insert(contentsOf:duplicateRuns:)``),
/// so memory stays bounded whatever the history's size. Copying is idempotent:
/// a run keeps its `run_id`, and one without gets the id an import would derive
/// from its fields (``RunIdentity/derived(for:)``), so copying again adds only
/// what the destination lacks. A copy stopped halfway keeps the pages written;
/// running it again completes it. The destination numbers the runs itself.
///
/// Runs stored in the source while it copies are left for the next copy (the
/// copy covers the runs stored when it started). Rows that break the rules of
/// the source (written by another tool) are counted, not copied. Telemetry
/// events' keys (``MetricsStore/merge(_:)``) stay behind: an event merged into a
/// copied run and sent again to the destination merges once more.
public struct StoreCopier: Sendable {
    /// Where the runs are read.
    public let source: any MetricsStore
    /// Where they are written.
    public let destination: any MetricsStore
    /// Runs per page read and per transaction written.
    public let batchSize: Int

    /// Runs per page and transaction unless told otherwise.
    public static let defaultBatchSize = 5_000

    /// Creates a copier from `source` into `destination`.
    public init(from source: any MetricsStore, to destination: any MetricsStore, batchSize: Int = defaultBatchSize) {
        self.source = source
        self.destination = destination
        self.batchSize = max(1, batchSize)
    }

    /// What a copy did, or has done so far.
    public struct Summary: Sendable, Hashable, Codable {
        /// Valid runs in the source when the copy started.
        public var total = 0
        /// Runs read so far.
        public var read = 0
        /// Runs written into the destination.
        public var copied = 0
        /// Runs the destination held already (same `run_id`), skipped.
        public var alreadyStored = 0
        /// Rows of the source that break its rules, not copied.
        public var invalid = 0

        /// A summary of nothing.
        public init() {}
    }

    /// Copies the runs; `progress` receives the running totals after each page.
    ///
    /// - Throws: ``ProfilerError`` from either store, `CancellationError` when the
    ///   task is cancelled; the pages written before stay copied.
    public func copy(progress: (Summary) -> Void = { _ in }) async throws -> Summary {
        var summary = Summary()
        let everything = MetricsFilter(order: .insertion)
        summary.invalid = try await source.invalidCount(matching: everything)
        summary.total = max(0, try await source.countAndLastId(matching: everything).count - summary.invalid)
        var batch: [SkillMetrics] = []
        batch.reserveCapacity(batchSize)
        func write() async throws {
            try Task.checkCancellation()
            let stored = try await destination.insert(contentsOf: batch, duplicateRuns: .skip)
            summary.copied += stored.inserted
            summary.alreadyStored += stored.skipped
            batch.removeAll(keepingCapacity: true)
            progress(summary)
        }
        for try await run in source.metrics(matching: everything, pageSize: batchSize) {
            var copy = run
            copy.id = nil
            if copy.runId == nil { copy.runId = RunIdentity.derived(for: copy) }
            batch.append(copy)
            summary.read += 1
            if batch.count == batchSize { try await write() }
        }
        if !batch.isEmpty { try await write() }
        return summary
    }
}
