import Foundation

/// The formats `skill-forge export` writes, each one that `import` reads back.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// One JSON object per line, with the seed's camelCase names; absent keys are NULLs.
    case jsonl
    /// RFC 4180 CSV: a header of every column's SQL name, empty cells for NULLs;
    /// text that a spreadsheet would run as a formula gets a leading `'`
    /// (``CSVFormat/protectedText(_:)``), which `import` removes.
    case csv
    /// OTLP JSON, one `TracesData` per line: one `execute_tool` span per row.
    case otlp
}

/// Writes rows to a file handle in an export format, buffered.
///
/// ```swift
/// let writer = MetricsWriter(format: .csv, output: .standardOutput)
/// for row in rows { try writer.write(row) }
/// try writer.finish()
/// ```
public final class MetricsWriter {
    /// The CSV header: every column of `skill_metrics`, in table order.
    static let csvHeader = SkillMetrics.columnNames
    /// Spans per OTLP `TracesData` line.
    static let spansPerLine = 512

    private let format: ExportFormat
    private let output: FileHandle
    private var buffer: [UInt8] = []
    private var pendingSpans: [SkillMetrics] = []
    /// Rows written so far.
    public private(set) var count = 0

    /// Creates a writer; nothing is written until the first row (or ``finish()``, for a CSV header).
    public init(format: ExportFormat, output: FileHandle) {
        self.format = format
        self.output = output
        buffer.reserveCapacity(1 << 20)
    }

    /// Writes one row.
    public func write(_ metric: SkillMetrics) throws {
        if count == 0 && format == .csv { appendCSVHeader() }
        count += 1
        switch format {
        case .jsonl: appendJSONLine(metric)
        case .csv: appendCSVLine(metric)
        case .otlp:
            pendingSpans.append(metric)
            if pendingSpans.count == Self.spansPerLine { appendSpans() }
        }
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes what is buffered (a CSV header if there were no rows).
    public func finish() throws {
        if count == 0 && format == .csv { appendCSVHeader() }
        appendSpans()
        try flush()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try output.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: - JSONL

    private func appendJSONLine(_ metric: SkillMetrics) {
        buffer.append(UInt8(ascii: "{"))
        var first = true
        func key(_ name: StaticString) {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            JSONWriting.appendKey(name, to: &buffer)
        }
        func integer(_ name: StaticString, _ value: Int64?) {
            guard let value else { return }
            key(name)
            JSONWriting.appendInteger(value, to: &buffer)
        }
        func string(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONWriting.appendString(value, to: &buffer)
        }
        func boolean(_ name: StaticString, _ value: Bool?) {
            guard let value else { return }
            key(name)
            buffer.append(contentsOf: (value ? "true" : "false").utf8)
        }
        integer("id", metric.id)
        string("skillId", metric.skillId)
        integer("executionMs", metric.executionMs)
        integer("tokensIn", metric.tokensIn)
        integer("tokensOut", metric.tokensOut)
        boolean("success", metric.success)
        integer("timestamp", metric.timestamp)
        string("version", metric.version)
        string("model", metric.model)
        string("error", metric.error)
        boolean("tokensEstimated", metric.tokensEstimated)
        integer("cacheReadTokens", metric.cacheReadTokens)
        integer("cacheCreationTokens", metric.cacheCreationTokens)
        string("sessionId", metric.sessionId)
        string("runId", metric.runId)
        string("source", metric.source)
        string("metadata", metric.metadata)
        buffer.append(UInt8(ascii: "}"))
        buffer.append(UInt8(ascii: "\n"))
    }

    // MARK: - CSV

    private func appendCSVHeader() {
        buffer.append(contentsOf: CSVFormat.line(Self.csvHeader).utf8)
    }

    private func appendCSVLine(_ metric: SkillMetrics) {
        func text(_ value: String?) {
            guard let value else { return }
            CSVFormat.appendTextField(value, to: &buffer)
        }
        func number(_ value: Int64?) {
            guard let value else { return }
            JSONWriting.appendInteger(value, to: &buffer)
        }
        func flag(_ value: Bool?) {
            guard let value else { return }
            buffer.append(value ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        }
        func comma() { buffer.append(UInt8(ascii: ",")) }
        number(metric.id); comma()
        text(metric.skillId); comma()
        number(metric.executionMs); comma()
        number(metric.tokensIn); comma()
        number(metric.tokensOut); comma()
        flag(metric.success); comma()
        number(metric.timestamp); comma()
        text(metric.version); comma()
        text(metric.model); comma()
        text(metric.error); comma()
        flag(metric.tokensEstimated); comma()
        number(metric.cacheReadTokens); comma()
        number(metric.cacheCreationTokens); comma()
        text(metric.sessionId); comma()
        text(metric.runId); comma()
        text(metric.source); comma()
        text(metric.metadata)
        buffer.append(UInt8(ascii: "\n"))
    }

    // MARK: - OTLP

    private func appendSpans() {
        guard !pendingSpans.isEmpty else { return }
        OTLPSpanWriter.append(pendingSpans, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
        pendingSpans.removeAll(keepingCapacity: true)
    }
}
