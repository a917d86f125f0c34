import Foundation
import SkillForge

/// What `skill-forge candidates` prints: a ranked list with reasons, or the candidates as data.
struct CandidatesReport {
    var candidates: [OptimizationCandidate]
    var period: TimeSpan

    func print(as format: OutputFormat, to output: TextOutput = .standardOutput()) throws {
        guard format == .table else {
            let printer = RecordPrinter<OptimizationCandidate>(format: format, output: output)
            try printer.print(contentsOf: candidates)
            printer.finish()
            return
        }
        if candidates.isEmpty {
            output.line("Nothing stands out in the last \(period): no skill is slow, token-hungry, failing or regressing.")
        }
        let names = candidates.map(\.skillId.escapedForTerminal)
        let width = names.map(\.count).max() ?? 0
        for (rank, candidate) in candidates.enumerated() {
            let name = names[rank].padding(toLength: width, withPad: " ", startingAt: 0)
            let action = candidate.recommendation.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            output.line("\(String(rank + 1).leftPadded(to: 3)). \(name)  \(action)  score \(Readable.amount(candidate.score))")
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
            Column("mean_tokens", text: { String($0.summary.tokens.total.mean) }),
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
