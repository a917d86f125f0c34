/// What an import passed over, named for its summary: "1,090 progress lines".
///
/// The name is a singular noun phrase whose last word is its noun, so that adding
/// an "s" makes the plural.
///
/// ```swift
/// IgnoredKind("progress line").name(count: 1_090)  // "progress lines"
/// ```
public struct IgnoredKind: Hashable, Sendable {
    /// The singular name: `progress line`, `unanswered call`.
    public let name: String

    /// A kind named `name`, a singular noun phrase ending in its noun.
    public init(_ name: String) {
        self.name = name
    }

    /// The name for `count` of them.
    public func name(count: Int) -> String {
        count == 1 ? name : name + "s"
    }
}

// MARK: - Kinds every reader may meet

extension IgnoredKind {
    /// A line longer than a reader holds.
    static let overlongLine = IgnoredKind("over-long line")
    /// A file's last line, cut short while it was being written.
    static let unfinishedLastLine = IgnoredKind("unfinished last line")
    /// An agent log's line with no readable `type` (or, in a Codex rollout, no `payload`).
    static let untypedLine = IgnoredKind("untyped line")
    /// A tool call whose result the file does not hold.
    static let unansweredCall = IgnoredKind("unanswered call")
    /// A tool call with no id, name or time.
    static let incompleteCall = IgnoredKind("incomplete tool call")
    /// An execution still open where the file was cut short.
    static let unfinishedRun = IgnoredKind("unfinished run")
    /// An OpenTelemetry span that is no tool or skill execution.
    static let otherSpan = IgnoredKind("non-execution span")
    /// A log record that is no part of a run: another event, or one naming no skill or prompt.
    static let otherLogRecord = IgnoredKind("other log record")
    /// A document holding no spans or log records, or only another signal than the one read.
    static let otherDocument = IgnoredKind("other-signal document")
}
