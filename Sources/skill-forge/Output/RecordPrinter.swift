import Foundation
import SkillForge

/// A column of a record type's table and CSV forms.
struct Column<Record> {
    enum Alignment { case left, right }

    /// The header of a table column.
    var header: String
    /// The header of a CSV column: a snake_case name for scripts.
    var key: String
    var alignment: Alignment
    /// The cell as people read it in a table (`12.3 ms`).
    var text: (Record) -> String
    /// The cell as CSV carries it: plain numbers, no units (`12.3`).
    var value: (Record) -> String
    /// Whether a table leaves the column out when none of its records has a
    /// value there (an empty cell), for figures computed only on request.
    var isOptional: Bool

    init(
        _ header: String, key: String? = nil, _ alignment: Alignment = .left, optional: Bool = false,
        text: @escaping (Record) -> String, value: ((Record) -> String)? = nil
    ) {
        self.header = header
        self.key = key ?? header
        self.alignment = alignment
        self.isOptional = optional
        self.text = text
        self.value = value ?? text
    }

    /// The same column in a table of records that hold this one.
    func reading<Outer>(_ part: @escaping (Outer) -> Record) -> Column<Outer> {
        let (text, value) = (self.text, self.value)
        let alignment: Column<Outer>.Alignment = self.alignment == .left ? .left : .right
        return Column<Outer>(
            header, key: key, alignment, optional: isOptional, text: { text(part($0)) }, value: { value(part($0)) })
    }
}

/// A record that commands print as a table, CSV or JSON.
protocol TabularRecord: Encodable {
    /// The columns of a table.
    static var columns: [Column<Self>] { get }
    /// The columns of CSV output; the table's columns unless a record says otherwise.
    static var csvColumns: [Column<Self>] { get }
}

extension TabularRecord {
    static var csvColumns: [Column<Self>] { columns }
}

/// Prints records one at a time in the chosen format, in bounded memory.
///
/// JSON is one array; CSV has a header row; a table sizes its columns to the
/// first `tableSample` records and keeps those widths for the rest, so even a
/// long listing streams (and leaves out the optional columns empty in all of them).
final class RecordPrinter<Record: TabularRecord> {
    private let format: OutputFormat
    private let output: TextOutput
    private let tableSample: Int
    private var pending: [Record] = []
    private var widths: [Int]?
    /// The table's columns: all but the optional ones without a value in the first records.
    private var tableColumns = Record.columns
    /// Records printed so far.
    private(set) var count = 0

    init(format: OutputFormat, output: TextOutput, tableSample: Int = 500) {
        self.format = format
        self.output = output
        self.tableSample = tableSample
    }

    /// Prints one record.
    func print(_ record: Record) throws {
        defer { count += 1 }
        switch format {
        case .json:
            output.write(count == 0 ? "[\n  " : ",\n  ")
            output.write(try JSONText.encode(record))
        case .csv:
            if count == 0 { output.write(CSVFormat.line(Record.csvColumns.map(\.key))) }
            output.write(CSVFormat.line(Record.csvColumns.map { CSVFormat.reportCell($0.value(record)) }))
        case .table:
            if widths == nil {
                pending.append(record)
                if pending.count >= tableSample { flushTable() }
            } else {
                printRow(tableCells(record))
            }
        }
    }

    /// Prints every record of `records`.
    func print(contentsOf records: some Sequence<Record>) throws {
        for record in records { try print(record) }
    }

    /// Ends the output (closes the JSON array, prints a short table) and flushes it.
    func finish() {
        switch format {
        case .json: output.write(count == 0 ? "[]\n" : "\n]\n")
        case .csv: if count == 0 { output.write(CSVFormat.line(Record.csvColumns.map(\.key))) }
        case .table: flushTable()
        }
        output.flush()
    }

    private func flushTable() {
        guard widths == nil, !pending.isEmpty else { return }
        tableColumns = Record.columns.filter { column in
            !column.isOptional || pending.contains { !column.text($0).isEmpty }
        }
        let cells = pending.map(tableCells)
        let headers = tableColumns.map(\.header)
        widths = headers.indices.map { column in
            cells.reduce(headers[column].count) { max($0, $1[column].count) }
        }
        printRow(headers)
        for row in cells { printRow(row) }
        pending.removeAll()
    }

    /// A record's cells as a terminal shows them, stored text escaped.
    private func tableCells(_ record: Record) -> [String] {
        tableColumns.map { $0.text(record).escapedForTerminal }
    }

    private func printRow(_ cells: [String]) {
        let columns = tableColumns
        let line = cells.indices.map { index in
            let cell = cells[index]
            let padding = String(repeating: " ", count: max(0, (widths?[index] ?? 0) - cell.count))
            return columns[index].alignment == .right ? padding + cell : cell + padding
        }.joined(separator: "  ")
        output.line(String(line.reversed().drop(while: { $0 == " " }).reversed()))
    }
}

/// JSON as commands print it: keys sorted, so output is stable for scripts and diffs.
enum JSONText {
    static func encode(_ value: some Encodable, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
