import Foundation

/// Reads Claude Code's telemetry events from OpenTelemetry logs in OTLP's JSON
/// encoding: one `LogsData` document, or JSON Lines with one per line, as the
/// Collector's file exporter writes them (``OTLPJSONInput``).
///
/// ```json
/// {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1795132801250000000","body":{"stringValue":"claude_code.tool_result"},"attributes":[{"key":"tool_name","value":{"stringValue":"Skill"}},{"key":"duration_ms","value":{"intValue":"250"}}]}]}]}]}
/// ```
///
/// Every log record is an item: a contribution to a run (``ClaudeCodeEvent``),
/// ignored, redacted, or invalid (a malformed record or Claude Code event). A
/// line that is not JSON, or not a `LogsData` object, is invalid; documents of
/// other signals (`resourceSpans`) are ignored.
struct OTLPLogsReader: RecordReader {
    var options = TelemetryOptions()
    /// The largest single (multi-line) document read whole, in bytes.
    var maximumDocumentBytes = OTLPJSONInput.defaultMaximumDocumentBytes

    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        let layout = OTLPJSONInput(message: "LogsData", maximumDocumentBytes: maximumDocumentBytes)
        try layout.read(input, progress: progress, emit: emit) { bytes, firstLine, isOneLine in
            try Self.read(bytes, file: input.displayName, firstLine: firstLine, isOneLine: isOneLine, options: options) { location, reading in
                try emit(Self.item(reading, at: location))
            }
        }
    }

    /// What one log record of a document is, or a whole document that gives no records.
    enum Reading {
        /// A record, mapped.
        case event(ClaudeCodeEvent, OTLPLogRecord)
        /// A document or a record that cannot be read, and why.
        case unreadable(String)
        /// The whole document cannot be read (not JSON, not a `LogsData`), and why: nothing of it was read.
        case unreadableDocument(String)
        /// A document of another signal (`resourceSpans`, `resourceMetrics`): no logs.
        case otherSignal
    }

    /// Reads the `LogsData` document in `bytes`, whose first line is line `firstLine` of `file`,
    /// calling `each` with every record (mapped) and where it is.
    ///
    /// - Parameter isOneLine: Whether the bytes are one line (of JSON Lines), so every record is on `firstLine`.
    static func read(
        _ bytes: [UInt8], file: String, firstLine: Int, isOneLine: Bool, options: TelemetryOptions,
        each: (SourceLocation, Reading) throws -> Void
    ) throws {
        var lines = LineCounter(bytes: bytes, firstLine: firstLine, isOneLine: isOneLine)
        if bytes.contains(0) {
            return try each(lines.location(file, at: 0), .unreadableDocument("the text holds binary data (NUL bytes), not JSON"))
        }
        let document: OTLPLogsDocument
        do {
            document = try OTLPLogsDocument(bytes)
        } catch let error as JSONText.SyntaxError {
            let location = lines.location(file, at: error.offset)
            var problem = error.problem
            if error.offset >= bytes.count && !problem.contains("truncated") { problem += " (the text ends there: truncated?)" }
            let column = JSONText.SyntaxError(offset: error.offset - lines.startOfLine(at: error.offset), problem: problem)
            return try each(location, .unreadableDocument(column.description))
        } catch let error as ShapeError {
            return try each(lines.location(file, at: error.offset), .unreadableDocument(error.problem))
        }
        if document.isOtherSignal && document.records.isEmpty { return try each(lines.location(file, at: 0), .otherSignal) }
        for entry in document.records {
            let location = lines.location(file, at: entry.offset)
            switch entry.record {
            case .failure(let error): try each(location, .unreadable("log record: \(error.problem)"))
            case .success(let record): try each(location, .event(ClaudeCodeEvent(record, options: options), record))
            }
        }
    }

    /// The import item of a reading.
    private static func item(_ reading: Reading, at location: SourceLocation) -> ImportItem {
        switch reading {
        case .event(.contribution(let contribution), _): .contribution(contribution, location)
        case .event(.ignored, _): .ignored(location, .otherLogRecord)
        case .otherSignal: .ignored(location, .otherDocument)
        case .event(.redacted, _): .redacted(location)
        case .event(.rejected(_, let problem), let record): .invalid(location, ClaudeCodeEvent.describe(problem, of: record))
        case .unreadable(let problem), .unreadableDocument(let problem): .invalid(location, problem)
        }
    }
}
