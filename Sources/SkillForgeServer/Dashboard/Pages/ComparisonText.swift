import Foundation
import SkillForge

/// A comparison in words, for the verdict badge and the line beside it, and
/// its measures as table rows (what `skill-forge compare` prints).
///
/// ```swift
/// ComparisonText.headline(comparison)   // "p50 -10.3%, tokens +0.2%, failure rate -0.1 pts"
/// ```
enum ComparisonText {
    /// The verdict's badge: its words and its colour class.
    static func badge(_ verdict: Verdict) -> (text: String, cssClass: String) {
        switch verdict {
        case .better: ("better", "better")
        case .worse: ("worse", "worse")
        case .noSignificantDifference: ("no significant difference", "neutral")
        case .notEnoughData: ("not enough data", "")
        }
    }

    /// The changes of latency p50, mean tokens and the failure rate.
    static func headline(_ comparison: Comparison) -> String {
        var parts: [String] = []
        if let latency = comparison.latency { parts.append("p50 \(relative(latency.p50))") }
        if let tokens = comparison.tokens { parts.append("tokens \(relative(tokens.mean))") }
        if let failureRate = comparison.failureRate { parts.append("failure rate \(points(failureRate.rate))") }
        return parts.isEmpty ? comparison.reasons.first ?? "" : parts.joined(separator: ", ")
    }

    /// One measure on both sides.
    struct Row {
        var measure: String
        var baseline: String
        var candidate: String
        var change: String
        var test: String
        /// `better`, `worse` or `unchanged`: the colour of the test.
        var direction: String
    }

    /// The rows of the comparison table: runs, latency p50 and p95, tokens mean and p95, failure rate.
    static func rows(_ comparison: Comparison) -> [Row] {
        var rows = [
            Row(
                measure: "runs", baseline: Readable.count(comparison.baseline.runs),
                candidate: Readable.count(comparison.candidate.runs), change: "", test: "", direction: "unchanged")
        ]
        if let latency = comparison.latency {
            rows.append(row("latency p50", latency.p50, Readable.milliseconds, test: latency.test, named: "Mann-Whitney U"))
            rows.append(row("latency p95", latency.p95, Readable.milliseconds))
        }
        if let tokens = comparison.tokens {
            rows.append(row("tokens mean", tokens.mean, Readable.amount, test: tokens.test, named: "Mann-Whitney U"))
            rows.append(row("tokens p95", tokens.p95, Readable.amount))
        } else if let before = comparison.baseline.summary, let after = comparison.candidate.summary {
            // A side without known tokens: n/a, not 0, and not tested.
            rows.append(
                Row(
                    measure: "tokens mean", baseline: Readable.tokens(before.tokens?.total.mean),
                    candidate: Readable.tokens(after.tokens?.total.mean), change: "",
                    test: Readable.tokensNotCompared(baselineRuns: before.tokenRuns, candidateRuns: after.tokenRuns),
                    direction: "unchanged"))
        }
        if let failureRate = comparison.failureRate {
            let name = failureRate.test.method == "fisher-exact" ? "Fisher's exact" : "two-proportion z"
            var failures = row("failure rate", failureRate.rate, Readable.percent, test: failureRate.test, named: name)
            failures.change = points(failureRate.rate)
            rows.append(failures)
        }
        return rows
    }

    private static func row(
        _ measure: String, _ change: Change, _ format: (Double) -> String, test: SignificanceTest? = nil, named name: String = ""
    ) -> Row {
        Row(
            measure: measure, baseline: format(change.baseline), candidate: format(change.candidate), change: relative(change),
            test: test.map { "\(name), \(Readable.pValue($0.pValue)): \($0.direction.rawValue)" } ?? "",
            direction: test?.direction.rawValue ?? "unchanged")
    }

    /// A change relative to the baseline: `+12.5%`, `from zero`.
    private static func relative(_ change: Change) -> String {
        change.ratio.map { Readable.change($0 - 1) } ?? (change.delta == 0 ? "+0.0%" : "from zero")
    }

    /// A change of a rate in percentage points: `+1.5 pts`.
    private static func points(_ change: Change) -> String {
        let value = change.delta * 100
        return (value >= 0 ? "+" : "") + String(format: "%.1f pts", value)
    }
}
