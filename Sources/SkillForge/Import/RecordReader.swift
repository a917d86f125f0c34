import Crypto
import Foundation

/// What a reader finds in its input.
enum ImportItem {
    /// A metric to store (validated later, with the same rules as every write).
    case metric(SkillMetrics, SourceLocation)
    /// A telemetry event's part of a run, to merge into it (``MetricsStore/merge(_:)``).
    case contribution(RunContribution, SourceLocation)
    /// A record that cannot become a metric: a syntax error, a missing field.
    case invalid(SourceLocation, String)
    /// Something that is not a metric and is passed over on purpose: a span that is
    /// no tool call, a transcript's progress line. Counted by kind, never an error.
    case ignored(SourceLocation, IgnoredKind)
    /// A telemetry event whose skill or tool is known only by a placeholder
    /// (`custom_skill`): counted apart from the ignored, since it was a run.
    case redacted(SourceLocation)
    /// A record its format says to skip rather than stop at (a transcript's row that
    /// breaks a validation rule): counted as rejected and reported, whatever
    /// ``Importer/Options/skipInvalid`` says.
    case skipped(SourceLocation, String)
    /// The input holds nothing in the format read (a file given to `--from claude-code`
    /// with no transcript line), emitted once at its end. An import fails when every
    /// input is so.
    case unrecognizedInput
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
    /// Between fields: the ASCII unit separator.
    private static let separator = Data([0x1F])

    /// A new random run id (a lowercase UUID), for runs measured as they happen.
    public static func random() -> String {
        UUID().uuidString.lowercased()
    }

    /// `row:` and the first 128 bits of the SHA-256 of the metric's identifying
    /// fields (skill, start, time, tokens, outcome, version, model, session,
    /// error), in hex. The same record gets the same id from JSONL and from CSV.
    public static func derived(for metric: SkillMetrics) -> String {
        var hasher = SHA256()
        var first = true
        func add(_ field: String) {
            if !first { hasher.update(data: separator) }
            first = false
            var field = field
            field.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        add(metric.skillId)
        add(String(metric.timestamp))
        add(String(metric.executionMs))
        add(String(metric.tokensIn))
        add(String(metric.tokensOut))
        add(metric.success ? "1" : "0")
        add(metric.version ?? "")
        add(metric.model ?? "")
        add(metric.sessionId ?? "")
        add(metric.error ?? "")
        let digest = hasher.finalize()
        return "row:" + Hex.string(digest.prefix(16))
    }
}
