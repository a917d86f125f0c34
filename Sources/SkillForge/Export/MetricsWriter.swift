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
    /// The CSV header: every field's column name, in field order.
    static let csvHeader = SkillMetrics.CodingKeys.allCases.map(\.columnName)
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
        // One access to `buffer` per row: the writers append to it as an `inout`
        // argument, where an access per field of a class's property costs a
        // dynamic exclusivity check each.
        case .jsonl: Self.appendJSONLine(metric, to: &buffer)
        case .csv: Self.appendCSVLine(metric, to: &buffer)
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

    /// `"name":` of every field, by ``SkillMetrics/CodingKeys`` position: its JSON name (`skillId`).
    private static let jsonKeys: [[UInt8]] = SkillMetrics.CodingKeys.allCases.map { field in
        var key: [UInt8] = []
        JSONWriting.appendString(field.stringValue, to: &key)
        key.append(UInt8(ascii: ":"))
        return key
    }

    /// One object of every field that is not NULL, in field order.
    private static func appendJSONLine(_ metric: SkillMetrics, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        var first = true
        func key(_ field: SkillMetrics.CodingKeys) {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            buffer.append(contentsOf: jsonKeys[field.rawValue])
        }
        for field in SkillMetrics.CodingKeys.allCases {
            switch metric[field] {
            case .integer(let number?):
                key(field)
                JSONWriting.appendInteger(number, to: &buffer)
            case .text(let text?):
                key(field)
                JSONWriting.appendString(text, to: &buffer)
            case .boolean(let flag?):
                key(field)
                buffer.append(contentsOf: (flag ? "true" : "false").utf8)
            case .real(let number?):
                key(field)
                JSONWriting.appendReal(number, to: &buffer)
            case .integer(nil), .text(nil), .boolean(nil), .real(nil):
                continue
            }
        }
        buffer.append(UInt8(ascii: "}"))
        buffer.append(UInt8(ascii: "\n"))
    }

    // MARK: - CSV

    private func appendCSVHeader() {
        buffer.append(contentsOf: CSVFormat.line(Self.csvHeader).utf8)
    }

    /// One line of every field, in field order: an empty cell for NULL, a boolean as 1 or 0.
    private static func appendCSVLine(_ metric: SkillMetrics, to buffer: inout [UInt8]) {
        var first = true
        for field in SkillMetrics.CodingKeys.allCases {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            switch metric[field] {
            case .integer(let number?): JSONWriting.appendInteger(number, to: &buffer)
            case .text(let text?): CSVFormat.appendTextField(text, to: &buffer)
            case .boolean(let flag?): buffer.append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            case .real(let number?): JSONWriting.appendReal(number, to: &buffer)
            case .integer(nil), .text(nil), .boolean(nil), .real(nil): break
            }
        }
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
