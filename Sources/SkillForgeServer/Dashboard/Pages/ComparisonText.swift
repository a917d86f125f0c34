import Foundation
import SkillForge

/// A comparison in words, for the verdict badge and the line beside it, and
/// its measures as table rows (what `skill-forge compare` prints).
///
/// ```swift
/// ComparisonText.headline(comparison)   // "p50 -10.3%, tokens +0.2%, cost +0.4%, failure rate -0.1 pts"
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

    /// The changes of latency p50, mean tokens, mean cost and the failure rate.
    static func headline(_ comparison: Comparison) -> String {
        let parts = comparison.lines.compactMap { line -> String? in
            guard line.change != nil, let name = headlineNames[line.measure] else { return nil }
            return "\(name) \(line.changeText)"
        }
        return parts.isEmpty ? comparison.reasons.first ?? "" : parts.joined(separator: ", ")
    }

    /// The measures of the headline, by their names in it.
    private static let headlineNames = ["latency p50": "p50", "tokens mean": "tokens", "cost mean": "cost", "failure rate": "failure rate"]

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

    /// The rows of the comparison table: the lines `skill-forge compare` prints.
    static func rows(_ comparison: Comparison) -> [Row] {
        comparison.lines.map { line in
            Row(
                measure: line.measure, baseline: line.text(of: line.baseline), candidate: line.text(of: line.candidate),
                change: line.changeText, test: line.testText, direction: line.test?.direction.rawValue ?? "unchanged")
        }
    }
}
