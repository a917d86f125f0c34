import Foundation
import SkillForge

/// What `skill-forge candidates` prints: a ranked list with reasons, or the candidates as data.
struct CandidatesReport {
    var candidates: [OptimizationCandidate]
    var period: TimeSpan
    /// The start of the judged period.
    var start: Date
    /// How many skills ran in the period, listed or not.
    var judgedSkills: Int
    /// Stored rows before the period, which it left out (counted through `idx_timestamp` alone).
    var olderRuns: Int
    /// The start of the latest of them.
    var latestOlderRun: Date?
    var now: Date

    func print(as format: OutputFormat, to output: TextOutput = .standardOutput()) throws {
        guard format == .table else {
            let printer = RecordPrinter<OptimizationCandidate>(format: format, output: output)
            try printer.print(contentsOf: candidates)
            printer.finish()
            return
        }
        if candidates.isEmpty {
            let window = "in the last \(period) (since \(Readable.timestamp(start.unixMilliseconds)) UTC)"
            output.line(
                judgedSkills == 0
                    ? "No runs \(window)."
                    : "Nothing stands out \(window): no skill is slow, token-hungry, costly, failing or regressing.")
            if olderRuns > 0, let latestOlderRun {
                // Whole days back to the latest older run, rounded up to include it.
                let days = Int((now.timeIntervalSince(latestOlderRun) / 86_400).rounded(.up))
                output.line(
                    "\(Readable.count(olderRuns)) older run\(olderRuns == 1 ? " was" : "s were") not judged, the latest on "
                        + "\(Readable.timestamp(latestOlderRun.unixMilliseconds)) UTC: judge them with --last \(days)d.")
            }
        }
        let names = candidates.map(\.skillId.escapedForTerminal)
        let width = names.map(\.count).max() ?? 0
        for (rank, candidate) in candidates.enumerated() {
            let name = names[rank].padding(toLength: width, withPad: " ", startingAt: 0)
            let action = candidate.recommendation == .notJudged
                ? candidate.recommendation.rawValue
                : candidate.recommendation.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + "  score \(Readable.amount(candidate.score))"
            output.line("\(String(rank + 1).leftPadded(to: 3)). \(name)  \(action)")
            for reason in candidate.reasons { output.line("       - \(reason)") }
        }
        output.flush()
    }
}

extension OptimizationCandidate: TabularRecord {
    static var columns: [Column<OptimizationCandidate>] {
        [
            Column("skill_id", text: \.skillId),
            Column("score", text: { String($0.score) }),
            Column("recommendation", text: \.recommendation.rawValue),
            Column("runs", text: { String($0.summary.runs) }),
            Column("p95_ms", text: { String($0.summary.executionMs.p95) }),
            Column("failure_rate", text: { String($0.summary.failureRate) }),
            Column("mean_tokens", text: { $0.summary.tokens.map { String($0.total.mean) } ?? "" }),
            Column("mean_cost_usd", text: { $0.summary.cost.map { String($0.mean) } ?? "" }),
            Column("reasons", text: { $0.reasons.joined(separator: "; ") }),
        ]
    }
}

extension String {
    /// The string with spaces in front, to `width` characters.
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
