import Foundation

/// One measure of a comparison on both sides, in words and numbers: the
/// lines that `skill-forge compare` prints and the dashboard's compare page
/// shows, in that order (runs, latency p50 and p95, tokens mean and p95, cost
/// mean and p95, failure rate).
///
/// ```swift
/// for line in comparison.lines {
///     print(line.measure, line.text(of: line.baseline), line.text(of: line.candidate), line.changeText, line.testText)
/// }
/// // latency p50   120 ms   95.0 ms   -20.8%   Mann-Whitney p < 0.0001: better
/// ```
///
/// A measure a side knows for none of its runs (tokens, cost) is one line
/// with n/a on that side, not compared (``knownRuns``).
public struct ComparisonLine: Sendable, Hashable {
    /// What a line's values count, which says how they read.
    public enum Quantity: Sendable, Hashable {
        case runs, milliseconds, tokens, dollars
        /// A rate from 0 to 1, read as a percentage; its change in percentage points.
        case rate
    }

    /// Runs with the measure known on each side, for a line not compared.
    public struct KnownRuns: Sendable, Hashable {
        public var baseline: Int
        public var candidate: Int
    }

    /// The measure: `latency p50`, `cost mean`…
    public var measure: String
    public var quantity: Quantity
    /// The baseline's value; `nil` when unknown (n/a).
    public var baseline: Double?
    /// The candidate's value; `nil` when unknown (n/a).
    public var candidate: Double?
    /// The change, for a compared measure.
    public var change: Change?
    /// The measure's significance test, on the line of the statistic it tests.
    public var test: SignificanceTest?
    /// The test's name in words: `Mann-Whitney`, `Fisher's exact`, `z-test`.
    public var testName: String?
    /// For a measure not compared: how many runs on each side know it.
    public var knownRuns: KnownRuns?

    // MARK: - Words

    /// A value as people read it (`95.0 ms`, `$0.0125`, `3.4%`), `n/a` when unknown.
    public func text(of value: Double?) -> String {
        guard let value else { return "n/a" }
        switch quantity {
        case .runs: return Readable.count(Int(exactly: value.rounded()) ?? 0)
        case .milliseconds: return Readable.milliseconds(value)
        case .tokens: return Readable.amount(value)
        case .dollars: return Readable.dollars(value)
        case .rate: return Readable.percent(value)
        }
    }

    /// A value as CSV carries it: a plain number (a whole one for runs), empty when unknown.
    public func number(of value: Double?) -> String {
        guard let value else { return "" }
        if quantity == .runs, let runs = Int(exactly: value) { return String(runs) }
        return "\(value)"
    }

    /// The change: relative to the baseline (`-20.8%`, `from zero`), in points for a rate (`+1.5 pts`); empty when not compared.
    public var changeText: String {
        guard let change else { return "" }
        if quantity == .rate { return String(format: "%+.1f pts", change.delta * 100) }
        return change.ratio.map { Readable.change($0 - 1) } ?? (change.delta == 0 ? "+0.0%" : "from zero")
    }

    /// The test and its conclusion (`Mann-Whitney p < 0.0001: better`), why the
    /// measure is not compared, or empty.
    public var testText: String {
        if let knownRuns { return Readable.notCompared(baselineRuns: knownRuns.baseline, candidateRuns: knownRuns.candidate) }
        guard let test, let testName else { return "" }
        return "\(testName) \(Readable.pValue(test.pValue)): \(test.direction.rawValue)"
    }
}

// MARK: - A comparison's lines

extension Comparison {
    /// The comparison's lines, in the order `compare` prints them.
    public var lines: [ComparisonLine] {
        var lines = [
            ComparisonLine(
                measure: "runs", quantity: .runs, baseline: Double(baseline.runs), candidate: Double(candidate.runs))
        ]
        if let latency {
            lines.append(.compared("latency p50", .milliseconds, latency.p50, test: latency.test, "Mann-Whitney"))
            lines.append(.compared("latency p95", .milliseconds, latency.p95))
        }
        let sides = (baseline.summary, candidate.summary)
        if let tokens {
            lines.append(.compared("tokens mean", .tokens, tokens.mean, test: tokens.test, "Mann-Whitney"))
            lines.append(.compared("tokens p95", .tokens, tokens.p95))
        } else if let before = sides.0, let after = sides.1 {
            lines.append(
                .notCompared(
                    "tokens mean", .tokens, before.tokens?.total.mean, after.tokens?.total.mean,
                    known: (before.tokenRuns, after.tokenRuns)))
        }
        if let cost {
            lines.append(.compared("cost mean", .dollars, cost.mean, test: cost.test, "Mann-Whitney"))
            lines.append(.compared("cost p95", .dollars, cost.p95))
        } else if let before = sides.0, let after = sides.1 {
            lines.append(
                .notCompared("cost mean", .dollars, before.cost?.mean, after.cost?.mean, known: (before.costRuns, after.costRuns)))
        }
        if let failureRate {
            let name = failureRate.test.method == "fisher-exact" ? "Fisher's exact" : "z-test"
            lines.append(.compared("failure rate", .rate, failureRate.rate, test: failureRate.test, name))
        }
        return lines
    }
}

extension ComparisonLine {
    fileprivate static func compared(
        _ measure: String, _ quantity: Quantity, _ change: Change, test: SignificanceTest? = nil, _ testName: String? = nil
    ) -> ComparisonLine {
        ComparisonLine(
            measure: measure, quantity: quantity, baseline: change.baseline, candidate: change.candidate, change: change,
            test: test, testName: testName)
    }

    fileprivate static func notCompared(
        _ measure: String, _ quantity: Quantity, _ baseline: Double?, _ candidate: Double?, known: (Int, Int)
    ) -> ComparisonLine {
        ComparisonLine(
            measure: measure, quantity: quantity, baseline: baseline, candidate: candidate,
            knownRuns: KnownRuns(baseline: known.0, candidate: known.1))
    }
}
