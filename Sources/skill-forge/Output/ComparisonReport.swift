import Foundation
import SkillForge

/// What `skill-forge compare` prints: a side-by-side table and the verdict, or the comparison as data.
struct ComparisonReport {
    var comparison: Comparison

    func print(as format: OutputFormat, to output: TextOutput = .standardOutput()) throws {
        switch format {
        case .json:
            output.line(try JSONText.encode(comparison, pretty: true))
            output.flush()
        case .csv, .table:
            let printer = RecordPrinter<Row>(format: format, output: output)
            if format == .table {
                output.line(
                    "\(comparison.skillId): \(comparison.baseline.label) → \(comparison.candidate.label)".escapedForTerminal)
            }
            try printer.print(contentsOf: format == .csv ? rows + [verdictRow] : rows)
            printer.finish()
            if format == .table {
                output.line()
                let options = comparison.options
                output.line(
                    "verdict: \(comparison.verdict.rawValue)  (alpha \(options.alpha); at least \(options.minimumRuns) "
                        + "runs per side; changes under \(Readable.percent(options.minimumRelativeChange)) ignored)")
                if comparison.latency == nil || comparison.verdict == .notEnoughData {
                    for reason in comparison.reasons.prefix(comparison.latency == nil ? .max : 1) {
                        output.line("  \(reason.escapedForTerminal)")
                    }
                }
                output.flush()
            }
        }
    }

    /// One line of the table: a statistic on both sides.
    struct Row: TabularRecord {
        var measure: String
        var baseline: String
        var candidate: String
        var change: String
        var test: String
        /// The baseline's value in CSV: a plain number.
        var baselineValue = ""
        /// The candidate's value in CSV: a plain number.
        var candidateValue = ""
        var pValue: Double?
        /// The test's conclusion; the verdict in the CSV's last row.
        var direction: String?

        static var columns: [Column<Row>] {
            [
                Column("", text: \.measure),
                Column("baseline", .right, text: \.baseline),
                Column("candidate", .right, text: \.candidate),
                Column("change", .right, text: \.change),
                Column("test", text: \.test),
            ]
        }

        static var csvColumns: [Column<Row>] {
            func optional(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
            return [
                Column("measure", text: { $0.measure.replacingOccurrences(of: " ", with: "_") }),
                Column("baseline", text: \.baselineValue),
                Column("candidate", text: \.candidateValue),
                Column("p_value", text: { optional($0.pValue) }),
                Column("direction", text: { $0.direction ?? "" }),
            ]
        }
    }

    private var rows: [Row] {
        comparison.lines.map { line in
            Row(
                measure: line.measure, baseline: line.text(of: line.baseline), candidate: line.text(of: line.candidate),
                change: line.changeText, test: line.testText, baselineValue: line.number(of: line.baseline),
                candidateValue: line.number(of: line.candidate), pValue: line.test?.pValue,
                direction: line.test?.direction.rawValue)
        }
    }

    /// The CSV's last row: the verdict, in the `direction` column.
    private var verdictRow: Row {
        Row(measure: "verdict", baseline: "", candidate: "", change: "", test: "", direction: comparison.verdict.rawValue)
    }
}
