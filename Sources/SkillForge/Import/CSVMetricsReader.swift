import CSV
import Foundation

/// Reads metrics from CSV (RFC 4180) with a header row naming the fields, as
/// `skill-forge export --format csv` writes them:
///
/// ```text
/// skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,version
/// summarise,840,1200,310,1,2026-11-20T10:00:00Z,2.0
/// ```
///
/// The header may use the table's snake_case names or the seed's camelCase
/// ones, each column once (not twice, nor under both of its names); unknown
/// columns are ignored, an empty cell is a missing value.
/// Fields are parsed by CSV.swift. Records are cut from lines first (a newline
/// inside quotes continues the record), so line numbers in messages are exact
/// and no record can hold more than the line limit in memory.
struct CSVMetricsReader: RecordReader {
    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        var lines = try input.lines()
        // The column each header field names (nil: ignored), resolved once.
        var header: [MetricFields.Column?]?
        var record = PendingRecord()
        // The line break before this line, kept as written inside a quoted field.
        var lineBreak = "\n"
        while let line = try lines.next() {
            if lines.lineNumber % 4_096 == 0 { progress(lines.bytesRead) }
            let breakBefore = lineBreak
            lineBreak = lines.lastLineEndedWithCarriageReturn ? "\r\n" : "\n"
            let location = SourceLocation(file: input.displayName, line: record.firstLine == 0 ? lines.lineNumber : record.firstLine)
            guard case .text(let bytes) = line else {
                try emit(.invalid(location, "the line is longer than the \(lines.maximumLineLength >> 20) MiB a record may take"))
                record = PendingRecord()
                continue
            }
            guard let text = bytes.utf8Text else {
                if !record.spoiled { try emit(.invalid(location, "the line is not UTF-8 text (binary data?)")) }
                // Skip the rest of its record: a quote is one byte whatever the rest is.
                record.quotes += bytes.count { $0 == UInt8(ascii: "\"") }
                if record.quotes % 2 == 0 {
                    record = PendingRecord()
                } else {
                    if record.firstLine == 0 { record.firstLine = lines.lineNumber }
                    record.spoiled = true
                }
                continue
            }
            if record.firstLine == 0 {
                if text.allSatisfy(\.isWhitespace) { continue }
                record.firstLine = lines.lineNumber
            } else {
                record.text += breakBefore
            }
            record.text += text
            record.quotes += text.utf8.count { $0 == UInt8(ascii: "\"") }
            guard record.quotes % 2 == 0 else {
                guard record.text.utf8.count <= lines.maximumLineLength else {
                    throw ImportError.invalidRecord(location, problem: "a quoted field is never closed")
                }
                continue  // a newline inside quotes: the record goes on
            }
            defer { record = PendingRecord() }
            if record.spoiled { continue }
            let fields = try Self.fields(of: record.text, at: location)
            guard let columns = header else {
                header = try Self.columns(ofHeader: fields.map { $0.trimmingCharacters(in: .whitespaces) }, at: location)
                continue
            }
            try emit(Self.item(columns: columns, fields: fields, at: location))
        }
        if record.firstLine > 0 && !record.spoiled {
            try emit(.invalid(SourceLocation(file: input.displayName, line: record.firstLine), "a quoted field is never closed (the file may be truncated)"))
        }
        if header == nil {
            throw ImportError.unreadableInput(file: input.displayName, problem: "is empty: CSV needs a header row")
        }
        progress(lines.bytesRead)
    }

    /// The fields of one record. A record cut from lines that CSV.swift reads as several
    /// holds a carriage return outside quotes that ends no line: a file with CR-only line
    /// endings (old Mac style) is one long line, so it is refused rather than misread.
    private static func fields(of record: String, at location: SourceLocation) throws -> [String] {
        let reader = try CSVReader(string: record, hasHeaderRow: false)
        guard let fields = reader.next(), reader.error == nil else {
            throw ImportError.invalidRecord(location, problem: "not a CSV record")
        }
        guard reader.next() == nil else {
            throw ImportError.invalidRecord(
                location,
                problem: "a carriage return (CR) outside quotes ends no line: CR-only line endings are not read; "
                    + #"convert them first, e.g. tr '\r' '\n' < in.csv > out.csv"#)
        }
        return fields
    }

    /// The column each header name stands for; throws if a required one is missing or one is named twice.
    private static func columns(ofHeader names: [String], at location: SourceLocation) throws -> [MetricFields.Column?] {
        let columns = names.map(MetricFields.column(named:))
        var firstNames: [MetricFields.Column: String] = [:]
        for case let (name, column?) in zip(names, columns) {
            if let first = firstNames[column] {
                throw ImportError.invalidRecord(
                    location,
                    problem: first == name
                        ? "the header has the column \(name.debugDescription) twice"
                        : "the header columns \(first.debugDescription) and \(name.debugDescription) both give \(column.columnName)")
            }
            firstNames[column] = name
        }
        let known = Set(columns.compactMap { $0 })
        // Without token columns, every row must say tokens_known false.
        let missing = MetricFields.required.filter { !known.contains($0) && !($0.isTokenCount && known.contains(.tokensKnown)) }
        guard missing.isEmpty else {
            throw ImportError.invalidRecord(
                location,
                problem: "the header row lacks \(missing.map(\.columnName).joined(separator: ", ")) "
                    + "(found: \(names.joined(separator: ",")))")
        }
        return columns
    }

    private static func item(columns: [MetricFields.Column?], fields: [String], at location: SourceLocation) -> ImportItem {
        guard fields.count == columns.count else {
            return .invalid(location, "expected \(columns.count) fields as in the header, found \(fields.count)")
        }
        var metricFields = MetricFields()
        // An empty cell is a value left out; the others lose the formula protection of exports (CSVFormat.protectedText).
        for case let (column?, value) in zip(columns, fields) where !value.isEmpty {
            metricFields.set(column, .text(CSVFormat.unprotectedText(value)))
        }
        do {
            return .metric(try metricFields.metric(), location)
        } catch {
            return .invalid(location, error.description)
        }
    }
}

/// The CSV record being cut from lines: a quoted field may span several.
private struct PendingRecord {
    var text = ""
    /// The line it starts on, 0 before its first line.
    var firstLine = 0
    /// Double quotes seen so far: an odd count means a quoted field goes on.
    var quotes = 0
    /// Whether it holds a line that is not text (reported already): it is skipped.
    var spoiled = false
}
