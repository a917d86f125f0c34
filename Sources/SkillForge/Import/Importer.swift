import Foundation

/// Imports metrics from logs: JSONL, CSV, OpenTelemetry (OTLP JSON) traces,
/// Claude Code transcripts, Claude Code's telemetry (OTLP JSON logs), OpenAI Codex
/// CLI rollouts and Gemini CLI sessions.
///
/// ```swift
/// let importer = Importer(store: try ProfilerDB())
/// let summary = try await importer.run([ImportInput(path: "runs.jsonl")])
/// print("\(summary.imported) imported, \(summary.duplicates) already stored")
/// ```
///
/// Every input is read as a stream (constant memory, whatever its size) and
/// every record is checked with the same rules as ``MetricsStore/insert(_:)``.
/// Each stored row carries a `run_id` taken from its source (an id it gives,
/// a trace and span id, a tool-use id) or derived from its fields, so importing
/// the same input twice adds nothing the second time.
///
/// By default an import is all or nothing as far as the data goes: every input
/// is read once to check it, and the first invalid record stops the import,
/// naming its file and line, before anything is written. Then the records are
/// written in batched transactions (``Options/batchSize`` records each) while
/// the next batch is read: inputs that fit in one batch are written from what
/// the check read, so they are read once, and larger ones are read again. With ``Options/skipInvalid`` the valid
/// records are imported in one reading and each invalid one is reported.
/// A failure while writing (a full disk, Ctrl-C) keeps the batches already
/// committed; importing again completes the rest without duplicates.
///
/// Telemetry events (``ImportFormat/otlpLogs``) are not rows but parts of rows:
/// each batch of them is merged into the stored runs (``MetricsStore/merge(_:)``),
/// and an event merged before adds nothing.
public struct Importer: Sendable {
    /// Where records are stored.
    public let store: any MetricsStore

    /// Creates an importer into `store`.
    public init(store: any MetricsStore) {
        self.store = store
    }

    /// How to import.
    public struct Options: Sendable {
        /// The format of every input; `nil` to detect each from its first line.
        public var format: ImportFormat?
        /// Import the valid records and report the invalid ones, instead of stopping at the first.
        public var skipInvalid: Bool
        /// Records per transaction; each batch is held in memory while it is written.
        public var batchSize: Int
        /// How telemetry events become runs (``ImportFormat/otlpLogs``), and whether the agents'
        /// logs (``ImportFormat/codex``, ``ImportFormat/gemini``) make rows of every tool call.
        public var telemetry: TelemetryOptions
        /// The prices of the runs whose source states no cost (``PriceList/pricing(_:)``).
        public var pricing: PriceList

        /// Creates options.
        public init(
            format: ImportFormat? = nil, skipInvalid: Bool = false, batchSize: Int = 10_000,
            telemetry: TelemetryOptions = TelemetryOptions(), pricing: PriceList = .shipped
        ) {
            self.format = format
            self.skipInvalid = skipInvalid
            self.batchSize = max(1, batchSize)
            self.telemetry = telemetry
            self.pricing = pricing
        }
    }

    /// What an import did.
    public struct Summary: Sendable, Hashable, Codable {
        /// Inputs read.
        public var files = 0
        /// Records read (metrics found, valid or not).
        public var read = 0
        /// Rows stored.
        public var imported = 0
        /// Records already stored (same `run_id`), skipped.
        public var duplicates = 0
        /// Invalid records skipped (only with ``Options/skipInvalid``).
        public var rejected = 0
        /// Things that are not metrics, passed over on purpose: spans that are no
        /// tool calls, a transcript's progress and system lines, its truncated last
        /// line, telemetry events that attribute to no run.
        public var ignored = 0
        /// ``ignored`` by what they were (``IgnoredKind/name``): `["progress line": 1_090, …]`.
        /// A file can name any number of line types: past ``maximumIgnoredKinds`` the
        /// rest are counted under `other line`.
        public var ignoredKinds: [String: Int] = [:]

        // Telemetry (`otlp-logs`): events are parts of runs, merged into them.

        /// Telemetry events read that are parts of runs.
        public var events = 0
        /// Events merged into their runs.
        public var merged = 0
        /// Events merged before (same log record), which added nothing.
        public var alreadyMerged = 0
        /// Runs that merged events created.
        public var runsInserted = 0
        /// Stored runs that merged events changed.
        public var runsUpdated = 0
        /// Events whose skill or tool was redacted (`custom_skill`): they make no run.
        public var redacted = 0

        /// Creates an empty summary.
        public init() {}

        /// How many kinds ``ignoredKinds`` names at most.
        public static let maximumIgnoredKinds = 32

        /// Counts one thing passed over.
        mutating func count(ignored kind: IgnoredKind) {
            ignored += 1
            let name = ignoredKinds[kind.name] != nil || ignoredKinds.count < Self.maximumIgnoredKinds
                ? kind.name : "other line"
            ignoredKinds[name, default: 0] += 1
        }
    }

    /// What ``run(_:options:onEvent:)`` reports as it goes.
    public enum Event: Sendable {
        /// The phase changed: checking every record, or writing them.
        case phase(Phase)
        /// Bytes read of the current phase, records found so far.
        case progress(bytesRead: Int64, totalBytes: Int64, records: Int)
        /// An invalid record was skipped (only with ``Options/skipInvalid``).
        case rejected(SourceLocation, problem: String)
    }

    /// The phases of an import.
    public enum Phase: String, Sendable {
        /// Reading every input to check it, before writing anything.
        case checking
        /// Writing the records.
        case importing
    }

    /// Imports `inputs`.
    ///
    /// Inputs are read on a thread of their own while the store writes the
    /// previous batch; the store is awaited, so no Swift concurrency thread
    /// blocks, and another task of the process can write between batches.
    ///
    /// - Parameters:
    ///   - onEvent: Receives progress and rejected records, on the calling task.
    /// - Returns: What was read, imported and skipped.
    /// - Throws: ``ImportError``: the first invalid record (nothing written),
    ///   an unreadable input, a database failure, or cancellation.
    public func run(
        _ inputs: [ImportInput], options: Options = Options(), onEvent: (Event) -> Void = { _ in }
    ) async throws(ImportError) -> Summary {
        var formats: [ImportFormat] = []
        for input in inputs {
            if let format = options.format {
                formats.append(format)
            } else {
                formats.append(try Self.detectFormat(of: input))
            }
        }
        let pipeline = ImportPipeline()
        // The reading side holds the inputs, never the store: once the import
        // ends, nothing but the caller keeps the database open.
        pipeline.startReading { [formats] pipeline throws(ImportError) in
            try Self.read(inputs, formats: formats, options: options, into: pipeline)
        }
        var summary = Summary()
        do {
            for await message in pipeline.messages {
                switch message {
                case .batch(let batch, let events):
                    events.forEach(onEvent)
                    if !batch.metrics.isEmpty {
                        let stored = try await store.insert(contentsOf: batch.metrics, duplicateRuns: .skip)
                        summary.imported += stored.inserted
                        summary.duplicates += stored.skipped
                    }
                    if !batch.contributions.isEmpty {
                        let merged = try await store.merge(batch.contributions)
                        summary.merged += merged.merged
                        summary.alreadyMerged += merged.alreadyMerged
                        summary.runsInserted += merged.insertedRuns
                        summary.runsUpdated += merged.updatedRuns
                        summary.rejected += merged.refused.count
                        for refusal in merged.refused {
                            onEvent(.rejected(batch.contributionLocations[refusal.index], problem: "event not merged: \(refusal.problem)"))
                        }
                    }
                    pipeline.stored()
                case .finished(let result):
                    let read = try result.get()
                    (summary.files, summary.read, summary.rejected, summary.ignored, summary.ignoredKinds) =
                        (read.files, read.read, summary.rejected + read.rejected, read.ignored, read.ignoredKinds)
                    (summary.events, summary.redacted) = (read.events, read.redacted)
                }
                if Task.isCancelled { throw ImportError.cancelled }
            }
            // A cancelled task's stream ends early, without its last message.
            if Task.isCancelled { throw ImportError.cancelled }
        } catch let error as ImportError {
            pipeline.stop()
            throw error
        } catch let error as ProfilerError {
            pipeline.stop()
            throw .database(error)
        } catch {
            pipeline.stop()
            throw .cancelled
        }
        return summary
    }

    /// The reading side of an import: checks every input first (unless invalid
    /// records are to be skipped), then reads them again and sends their records.
    private static func read(
        _ inputs: [ImportInput], formats: [ImportFormat], options: Options, into pipeline: ImportPipeline
    ) throws(ImportError) -> Summary {
        var batcher = ImportBatcher(pipeline: pipeline, batchSize: options.batchSize)
        let totalBytes = inputs.reduce(Int64(0)) { $0 + $1.size }
        var checked: [[ImportItem]]?
        if !options.skipInvalid {
            try batcher.report(.phase(.checking))
            checked = try check(inputs, formats: formats, options: options, totalBytes: totalBytes, into: &batcher)
        }
        try batcher.report(.phase(.importing))
        var summary = Summary()
        var done: Int64 = 0
        var unrecognized = 0
        func take(_ item: ImportItem) throws(ImportError) {
            if case .unrecognizedInput = item {
                unrecognized += 1
            } else {
                try collect(item, into: &batcher, summary: &summary, options: options)
            }
        }
        for (index, (input, format)) in zip(inputs, formats).enumerated() {
            summary.files += 1
            if let kept = checked?[index] {
                for item in kept { try take(item) }
            } else {
                try read(input, format, options: options) { bytes in
                    batcher.noteProgress(.progress(bytesRead: done + bytes, totalBytes: totalBytes, records: summary.read))
                } emit: { item throws(ImportError) in try take(item) }
            }
            done += input.size
        }
        // Found by the check already, unless --skip-invalid left it out.
        if unrecognized == inputs.count { try refuseUnrecognized(inputs, readAs: formats) }
        try batcher.send()
        return summary
    }

    /// Reads every input and stops at the first invalid record (or when the import is stopped).
    ///
    /// - Returns: The items read, when there are at most ``Options/batchSize`` of them (one
    ///   batch): the write pass then takes them instead of reading the inputs again.
    private static func check(
        _ inputs: [ImportInput], formats: [ImportFormat], options: Options, totalBytes: Int64, into batcher: inout ImportBatcher
    ) throws(ImportError) -> [[ImportItem]]? {
        let capacity = options.batchSize
        var done: Int64 = 0
        var records = 0
        var items = 0
        var unrecognized = 0
        // The items read, input by input, while they fit in one batch.
        var kept: [[ImportItem]]? = Array(repeating: [], count: inputs.count)
        for (index, (input, format)) in zip(inputs, formats).enumerated() {
            try read(input, format, options: options) { bytes in
                batcher.noteProgress(.progress(bytesRead: done + bytes, totalBytes: totalBytes, records: records))
            } emit: { item throws(ImportError) in
                items += 1
                // Beyond one batch the write pass reads the inputs again: memory stays bounded.
                if items > capacity { kept = nil } else { kept?[index].append(item) }
                if items % 4_096 == 0, batcher.pipeline.isStopped { throw .cancelled }
                switch item {
                case .metric(let metric, let location):
                    records += 1
                    if let problem = metric.validationProblem {
                        throw .invalidRecord(location, problem: problem)
                    }
                case .contribution(let contribution, let location):
                    records += 1
                    if let problem = contribution.validationError {
                        throw .invalidRecord(location, problem: problem.description)
                    }
                case .invalid(let location, let problem):
                    throw .invalidRecord(location, problem: problem)
                case .skipped:
                    records += 1  // reported when written
                case .ignored, .redacted:
                    break
                case .unrecognizedInput:
                    unrecognized += 1
                }
            }
            done += input.size
        }
        if unrecognized == inputs.count { try Self.refuseUnrecognized(inputs, readAs: formats) }
        return kept
    }


    /// Batches, sets aside or counts one item of the write pass.
    private static func collect(
        _ item: ImportItem, into batcher: inout ImportBatcher, summary: inout Summary, options: Options
    ) throws(ImportError) {
        switch item {
        case .metric(var metric, let location):
            summary.read += 1
            // Without --skip-invalid every record passed the check already (and the
            // store validates again); with it, invalid ones are set aside here.
            if options.skipInvalid, let problem = metric.validationProblem {
                summary.rejected += 1
                try batcher.report(.rejected(location, problem: problem))
                return
            }
            if metric.runId == nil { metric.runId = RunIdentity.derived(for: metric) }
            metric = options.pricing.pricing(metric)
            if summary.read % 4_096 == 0, batcher.pipeline.isStopped { throw .cancelled }
            try batcher.add(metric)
        case .contribution(let contribution, let location):
            summary.read += 1
            summary.events += 1
            if options.skipInvalid, let problem = contribution.validationError {
                summary.rejected += 1
                try batcher.report(.rejected(location, problem: problem.description))
                return
            }
            if summary.read % 4_096 == 0, batcher.pipeline.isStopped { throw .cancelled }
            try batcher.add(contribution, at: location)
        case .invalid(let location, let problem):
            summary.read += 1
            guard options.skipInvalid else { throw .invalidRecord(location, problem: problem) }
            summary.rejected += 1
            try batcher.report(.rejected(location, problem: problem))
        case .skipped(let location, let problem):
            summary.read += 1
            summary.rejected += 1
            try batcher.report(.rejected(location, problem: problem))
        case .ignored(_, let kind):
            summary.count(ignored: kind)
        case .redacted:
            summary.redacted += 1
        case .unrecognizedInput:
            break  // counted by the caller
        }
    }

    /// Runs the reader of `format` over `input`, turning every failure into an ``ImportError``.
    private static func read(
        _ input: ImportInput, _ format: ImportFormat, options: Options, progress: (Int64) -> Void,
        emit: (ImportItem) throws(ImportError) -> Void
    ) throws(ImportError) {
        do {
            try format.reader(options: options).read(input, progress: progress) { item in try emit(item) }
        } catch let error as ImportError {
            throw error
        } catch {
            throw .unreadableInput(file: input.displayName, problem: "\(error)", cause: error)
        }
    }
}

extension ImportFormat {
    /// The reader of the format.
    func reader(options: Importer.Options) -> any RecordReader {
        switch self {
        case .jsonl: JSONLMetricsReader()
        case .csv: CSVMetricsReader()
        case .otlp: OTLPReader()
        case .otlpLogs: OTLPLogsReader(options: options.telemetry)
        case .claudeCode: ClaudeCodeReader(pricing: options.pricing)
        case .codex: CodexReader(options: options.telemetry)
        case .gemini: GeminiReader(options: options.telemetry)
        }
    }
}

extension SkillMetrics {
    /// Why the metric breaks a validation rule, or `nil` when it is valid.
    var validationProblem: String? { validationError?.description }
}
