import Crypto
import Foundation

/// What a reader finds in its input.
enum ImportItem {
    /// A metric to store (validated later, with the same rules as every write).
    case metric(SkillMetrics, SourceLocation)
    /// A record that cannot become a metric: a syntax error, a missing field.
    case invalid(SourceLocation, String)
    /// Something that is not a metric and is skipped on purpose: a span that is
    /// no tool call, an unknown transcript line. Counted, never an error.
    case ignored(SourceLocation)
}

/// Reads one import format.
protocol RecordReader {
    /// Reads `input` from its start, calling `emit` with every item in order
    /// and `progress` with the bytes read so far, now and then.
    func read(
        _ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void
    ) throws
}

/// Derives stable run ids for records whose source gives none, so that
/// importing the same record twice stores it once.
///
/// ```swift
/// RunIdentity.derived(for: metric)   // "row:3f2a…" (32 hex digits)
/// ```
public enum RunIdentity {
    /// `row:` and the first 128 bits of the SHA-256 of the metric's identifying
    /// fields (skill, start, time, tokens, outcome, version, model, session,
    /// error), in hex. The same record gets the same id from JSONL and from CSV.
    public static func derived(for metric: SkillMetrics) -> String {
        let fields: [String] = [
            metric.skillId, String(metric.timestamp), String(metric.executionMs), String(metric.tokensIn),
            String(metric.tokensOut), metric.success ? "1" : "0", metric.version ?? "", metric.model ?? "",
            metric.sessionId ?? "", metric.error ?? "",
        ]
        let digest = SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8))
        return "row:" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
