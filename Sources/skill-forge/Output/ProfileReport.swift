import Foundation
import SkillForge

/// What `skill-forge profile` prints: a hyperfine-style summary, or the runs as data.
struct ProfileReport: Encodable {
    var summary: ProfileSummary
    var warmup: Int
    var database: String
    var runs: [SkillMetrics]

    init?(runs: [ProfiledRun], warmup: Int, databasePath: String) {
        guard let summary = ProfileSummary(runs.map(\.metric)) else { return nil }
        self.summary = summary
        self.warmup = warmup
        self.database = databasePath
        self.runs = runs.map(\.metric)
    }

    func print(as format: OutputFormat, to output: TextOutput = .standardOutput()) throws {
        switch format {
        case .table:
            printSummary(to: output)
            output.flush()
        case .json:
            output.line(try JSONText.encode(self, pretty: true))
            output.flush()
        case .csv:
            let writer = output.metricsCSVWriter()
            for run in runs { try writer.write(run) }
            try writer.finish()
        }
    }

    private func printSummary(to output: TextOutput) {
        let s = summary
        let version = runs.first?.version.map { " \($0.escapedForTerminal)" } ?? ""
        let warm = warmup > 0 ? ", \(warmup) warm-up" : ""
        output.line("Skill: \(s.skillId.escapedForTerminal)\(version) (\(runCount(s.runs))\(warm))")
        let sigma = s.standardDeviationMs.map { "± \(Readable.milliseconds($0))" } ?? ""
        output.line("  Time (mean ± σ):     \(Readable.milliseconds(s.meanMs)) \(sigma)")
        output.line(
            "  Range (min … max):   \(Readable.milliseconds(s.minMs)) … \(Readable.milliseconds(s.maxMs))")
        output.line("  p50 / p95:           \(Readable.milliseconds(s.p50Ms)) / \(Readable.milliseconds(s.p95Ms))")
        let origin = s.tokensEstimated ? "estimated from stdin/stdout bytes" : "reported by the skill"
        output.line(
            "  Tokens in / out:     \(Readable.amount(s.meanTokensIn)) / \(Readable.amount(s.meanTokensOut)) per run (\(origin))")
        var failures = "  Failures:            \(s.failures) of \(s.runs) (\(Readable.percent(Double(s.failures) / Double(s.runs))))"
        if let lastError = s.lastError { failures += ", last error: \(String(lastError.prefix(100)).escapedForTerminal)" }
        output.line(failures)
        let ids = runs.compactMap(\.id)
        if let first = ids.first, let last = ids.last {
            output.line("  Stored:              ids \(first)…\(last) in \(database)")
        }
    }
}
