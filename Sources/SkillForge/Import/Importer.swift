import Foundation

/// Imports metrics from logs: JSONL, CSV, OpenTelemetry (OTLP JSON) traces and
/// Claude Code transcripts.
///
/// ```swift
/// let importer = Importer(db: try ProfilerDB())
/// let summary = try importer.run([ImportInput(path: "runs.jsonl")])
/// print("\(summary.imported) imported, \(summary.duplicates) already stored")
/// ```
///
/// Every input is read as a stream (constant memory, whatever its size) and
/// every record is checked with the same rules as ``ProfilerDB/insert(_:)``.
/// Each stored row carries a `run_id` taken from its source (an id it gives,
/// a trace and span id, a tool-use id) or derived from its fields, so importing
/// the same input twice adds nothing the second time.
///
/// By default an import is all or nothing as far as the data goes: every input
/// is read once to check it, and the first invalid record stops the import,
/// naming its file and line, before anything is written. Then the records are
/// written in batched transactions. With ``Options/skipInvalid`` the valid
/// records are imported in one reading and each invalid one is reported.
/// A failure while writing (a full disk, Ctrl-C) keeps the batches already
/// committed; importing again completes the rest without duplicates.
public struct Importer: Sendable {
    /// Where records are stored.
    public let db: ProfilerDB

    /// Creates an importer into `db`.
    public init(db: ProfilerDB) {
        self.db = db
    }

    /// How to import.
    public struct Options: Sendable {
        /// The format of every input; `nil` to detect each from its first line.
        public var format: ImportFormat?
        /// Import the valid records and report the invalid ones, instead of stopping at the first.
        public var skipInvalid: Bool
        /// Records per transaction.
        public var batchSize: Int

        /// Creates options.
        public init(format: ImportFormat? = nil, skipInvalid: Bool = false, batchSize: Int = 100_000) {
            self.format = format
            self.skipInvalid = skipInvalid
            self.batchSize = max(1, batchSize)
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
        /// Things that are not metrics, skipped on purpose: spans that are no
        /// tool calls, unknown transcript lines, a transcript's truncated last line.
        public var ignored = 0

        /// Creates an empty summary.
        public init() {}
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
    /// - Parameters:
    ///   - onEvent: Receives progress and rejected records.
    /// - Returns: What was read, imported and skipped.
    /// - Throws: ``ImportError``: the first invalid record (nothing written),
    ///   an unreadable input, a database failure, or cancellation.
    public func run(
        _ inputs: [ImportInput], options: Options = Options(), onEvent: (Event) -> Void = { _ in }
    ) throws(ImportError) -> Summary {
        var formats: [ImportFormat] = []
        for input in inputs {
            if let format = options.format {
                formats.append(format)
            } else {
                formats.append(try Self.detectFormat(of: input))
            }
        }
        let totalBytes = inputs.reduce(Int64(0)) { $0 + $1.size }
        if !options.skipInvalid {
            onEvent(.phase(.checking))
            try check(inputs, formats: formats, totalBytes: totalBytes, onEvent: onEvent)
        }
        onEvent(.phase(.importing))
        return try write(inputs, formats: formats, options: options, totalBytes: totalBytes, onEvent: onEvent)
    }

    /// Reads every input and stops at the first invalid record (or when the task is cancelled).
    private func check(
        _ inputs: [ImportInput], formats: [ImportFormat], totalBytes: Int64, onEvent: (Event) -> Void
    ) throws(ImportError) {
        var done: Int64 = 0
        var records = 0
        var items = 0
        var unrecognized = 0
        for (input, format) in zip(inputs, formats) {
            try read(input, format) { bytes in
                onEvent(.progress(bytesRead: done + bytes, totalBytes: totalBytes, records: records))
            } emit: { item throws(ImportError) in
                items += 1
                if items % 4_096 == 0, Task.isCancelled { throw .cancelled }
                switch item {
                case .metric(let metric, let location):
                    records += 1
                    if let problem = metric.validationProblem {
                        throw .invalidRecord(location, problem: problem)
                    }
                case .invalid(let location, let problem):
                    throw .invalidRecord(location, problem: problem)
                case .skipped:
                    records += 1  // reported when written
                case .ignored:
                    break
                case .unrecognizedInput:
                    unrecognized += 1
                }
            }
            done += input.size
        }
        if unrecognized == inputs.count { try Self.refuseUnrecognized(inputs) }
    }

    /// Reads every input again and stores its records, committing every `batchSize` rows.
    private func write(
        _ inputs: [ImportInput], formats: [ImportFormat], options: Options, totalBytes: Int64,
        onEvent: (Event) -> Void
    ) throws(ImportError) -> Summary {
        var summary = Summary()
        do {
            let stored = try db.writeInTransactions(of: options.batchSize) { inserter in
                var done: Int64 = 0
                var unrecognized = 0
                for (input, format) in zip(inputs, formats) {
                    summary.files += 1
                    try read(input, format) { bytes in
                        onEvent(.progress(bytesRead: done + bytes, totalBytes: totalBytes, records: summary.read))
                    } emit: { item throws(ImportError) in
                        if case .unrecognizedInput = item {
                            unrecognized += 1
                        } else {
                            try store(item, into: &inserter, summary: &summary, options: options, onEvent: onEvent)
                        }
                    }
                    done += input.size
                }
                // Found by the check already, unless --skip-invalid left it out.
                if unrecognized == inputs.count { try Self.refuseUnrecognized(inputs) }
                return inserter.result
            }
            summary.imported = stored.inserted
            summary.duplicates = stored.skipped
            return summary
        } catch let error as ImportError {
            throw error
        } catch let error as ProfilerError {
            throw .database(error)
        } catch {
            throw .database(ProfilerError(error, path: db.path))
        }
    }

    /// Stores, sets aside or counts one item of the write pass.
    private func store(
        _ item: ImportItem, into inserter: inout StreamingInserter, summary: inout Summary, options: Options,
        onEvent: (Event) -> Void
    ) throws(ImportError) {
        switch item {
        case .metric(var metric, let location):
            summary.read += 1
            // Without --skip-invalid every record passed the check already (and the
            // inserter validates again); with it, invalid ones are set aside here.
            if options.skipInvalid, let problem = metric.validationProblem {
                summary.rejected += 1
                onEvent(.rejected(location, problem: problem))
                return
            }
            if metric.runId == nil { metric.runId = RunIdentity.derived(for: metric) }
            if summary.read % 4_096 == 0, Task.isCancelled { throw .cancelled }
            do {
                try inserter.insert(metric)
            } catch let error as ProfilerError {
                throw .database(error)
            } catch {
                throw .database(ProfilerError(error, path: db.path))
            }
        case .invalid(let location, let problem):
            summary.read += 1
            guard options.skipInvalid else { throw .invalidRecord(location, problem: problem) }
            summary.rejected += 1
            onEvent(.rejected(location, problem: problem))
        case .skipped(let location, let problem):
            summary.read += 1
            summary.rejected += 1
            onEvent(.rejected(location, problem: problem))
        case .ignored:
            summary.ignored += 1
        case .unrecognizedInput:
            break  // counted by the caller
        }
    }

    /// Runs the reader of `format` over `input`, turning every failure into an ``ImportError``.
    private func read(
        _ input: ImportInput, _ format: ImportFormat, progress: (Int64) -> Void,
        emit: (ImportItem) throws(ImportError) -> Void
    ) throws(ImportError) {
        do {
            try format.reader.read(input, progress: progress) { item in try emit(item) }
        } catch let error as ImportError {
            throw error
        } catch {
            throw .unreadableInput(file: input.displayName, problem: "\(error)", cause: error)
        }
    }
}

extension ImportFormat {
    /// The reader of the format.
    var reader: any RecordReader {
        switch self {
        case .jsonl: JSONLMetricsReader()
        case .csv: CSVMetricsReader()
        case .otlp: OTLPReader()
        case .claudeCode: ClaudeCodeReader()
        }
    }
}

extension SkillMetrics {
    /// Why the metric breaks a validation rule, or `nil` when it is valid.
    var validationProblem: String? {
        do {
            try validate()
            return nil
        } catch {
            return error.description
        }
    }
}
