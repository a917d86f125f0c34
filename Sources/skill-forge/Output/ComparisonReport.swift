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
        var rows = [
            Row(
                measure: "runs", baseline: Readable.count(comparison.baseline.runs),
                candidate: Readable.count(comparison.candidate.runs), change: "", test: "",
                baselineValue: String(comparison.baseline.runs), candidateValue: String(comparison.candidate.runs))
        ]
        if let latency = comparison.latency {
            rows.append(row("latency p50", latency.p50, Readable.milliseconds, test: latency.test, "Mann-Whitney"))
            rows.append(row("latency p95", latency.p95, Readable.milliseconds, test: nil, ""))
        }
        let sides = (comparison.baseline.summary, comparison.candidate.summary)
        if let tokens = comparison.tokens {
            rows.append(row("tokens mean", tokens.mean, Readable.amount, test: tokens.test, "Mann-Whitney"))
            rows.append(row("tokens p95", tokens.p95, Readable.amount, test: nil, ""))
        } else if let before = sides.0, let after = sides.1 {
            rows.append(
                notComparedRow(
                    "tokens mean", before.tokens?.total.mean, after.tokens?.total.mean, format: Readable.tokens,
                    knownFor: (before.tokenRuns, after.tokenRuns)))
        }
        if let cost = comparison.cost {
            rows.append(row("cost mean", cost.mean, { Readable.dollars($0) }, test: cost.test, "Mann-Whitney"))
            rows.append(row("cost p95", cost.p95, { Readable.dollars($0) }, test: nil, ""))
        } else if let before = sides.0, let after = sides.1 {
            rows.append(
                notComparedRow(
                    "cost mean", before.cost?.mean, after.cost?.mean, format: Readable.dollars,
                    knownFor: (before.costRuns, after.costRuns)))
        }
        if let failureRate = comparison.failureRate {
            let name = failureRate.test.method == "fisher-exact" ? "Fisher's exact" : "z-test"
            var failures = row("failure rate", failureRate.rate, Readable.percent, test: failureRate.test, name)
            failures.change = String(format: "%+.1f pts", failureRate.rate.delta * 100)
            rows.append(failures)
        }
        return rows
    }

    /// The CSV's last row: the verdict, in the `direction` column.
    private var verdictRow: Row {
        Row(measure: "verdict", baseline: "", candidate: "", change: "", test: "", direction: comparison.verdict.rawValue)
    }

    /// A measure that a side knows for none of its runs: shown as n/a, not as 0, and not tested.
    private func notComparedRow(
        _ measure: String, _ baseline: Double?, _ candidate: Double?, format: (Double?) -> String, knownFor runs: (Int, Int)
    ) -> Row {
        Row(
            measure: measure, baseline: format(baseline), candidate: format(candidate), change: "",
            test: Readable.notCompared(baselineRuns: runs.0, candidateRuns: runs.1),
            baselineValue: baseline.map { "\($0)" } ?? "", candidateValue: candidate.map { "\($0)" } ?? "")
    }

    private func row(
        _ measure: String, _ change: Change, _ format: (Double) -> String, test: SignificanceTest?, _ testName: String
    ) -> Row {
        let relative = change.ratio.map { Readable.change($0 - 1) } ?? (change.delta == 0 ? "+0.0%" : "from zero")
        return Row(
            measure: measure, baseline: format(change.baseline), candidate: format(change.candidate), change: relative,
            test: test.map { "\(testName) \(Readable.pValue($0.pValue)): \($0.direction.rawValue)" } ?? "",
            baselineValue: "\(change.baseline)", candidateValue: "\(change.candidate)", pValue: test?.pValue,
            direction: test?.direction.rawValue)
    }
}

