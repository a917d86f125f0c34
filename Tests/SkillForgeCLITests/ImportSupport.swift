import Foundation
import Testing

/// One metric as a JSONL line.
func jsonl(_ skill: String, ms: Int = 100, tokensIn: Int = 10, runId: String? = nil, hourOffset: Int = 0) -> String {
    let timestamp = 1_795_132_800_000 + hourOffset * 3_600_000
    let run = runId.map { #","run_id":"\#($0)""# } ?? ""
    return #"{"skill_id":"\#(skill)","execution_ms":\#(ms),"tokens_in":\#(tokensIn),"tokens_out":5,"success":true,"timestamp":\#(timestamp)\#(run)}"#
        + "\n"
}

func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// The summary line's pattern: `imported N of M records (details) from F file(s) in T`.
func expectSummary(
    _ output: String, imported: String, of read: String, details: String, files: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let prefix = "imported \(imported) of \(read) records (\(details)) from \(files) in "
    #expect(output.hasPrefix(prefix), "\(output)", sourceLocation: sourceLocation)
    // The summary's line; a `passed over: …` line may follow.
    let summary = output.split(separator: "\n", maxSplits: 1).first.map { $0 + "\n" } ?? ""
    let time = summary.dropFirst(prefix.count)
    // The time, as Readable.milliseconds writes it, then the end of the line.
    #expect(time.range(of: #"^[0-9]+(\.[0-9]+)? (ms|s)\n$|^[0-9]+ min [0-9]+ s\n$"#, options: .regularExpression) != nil, "\(output)")
}

/// The rows of a database as `export` writes them in JSONL, without their ids.
func exportedRows(_ db: String) async throws -> [String] {
    let result = try await skillForge("export", "--db", db)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").map { line in
        String(line.replacing(/^\{"id":[0-9]+,/, with: "{"))
    }
}
