import Foundation

/// Reads GenAI tool and agent executions from OpenTelemetry traces in OTLP's
/// JSON encoding.
///
/// The input is either one `TracesData` document (pretty-printed over many
/// lines, read whole, up to ``maximumDocumentBytes``) or JSON Lines with one
/// `TracesData` per line, as the Collector's file exporter writes them (read
/// as a stream, one line at a time):
///
/// ```json
/// {"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"execute_tool get_weather","kind":1,"startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800150000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"get_weather"}}],"status":{}}]}]}]}
/// ```
///
/// Every span that is a tool or agent execution (`gen_ai.operation.name` is
/// `execute_tool` or `invoke_agent`, or the span has `gen_ai.tool.name`)
/// becomes a row; every other span is ``ImportItem/ignored(_:_:)``.
///
/// | Column | From the span |
/// |---|---|
/// | `skill_id` | `gen_ai.tool.name`, else `gen_ai.agent.name`, else the span's name |
/// | `execution_ms` | `skill_forge.execution_ms`, else end − start, in ms, rounded half up |
/// | `timestamp` | `startTimeUnixNano` in ms (rounded down) |
/// | `tokens_in`, `tokens_out` | `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens` (0 when absent) |
/// | `cache_read_tokens` | `gen_ai.usage.cache_read.input_tokens` |
/// | `cache_creation_tokens` | `gen_ai.usage.cache_creation.input_tokens` |
/// | `model` | `gen_ai.request.model`, else `gen_ai.response.model`, else the descendants' one model |
/// | `success` | `status.code` is not 2 (error) and there is no `error.type` |
/// | `error` | `skill_forge.error`, else for failures `status.message`, else `error.type` |
/// | `session_id` | `gen_ai.conversation.id`, else `session.id` |
/// | `version` | `skill_forge.version` |
/// | `tokens_estimated` | `skill_forge.tokens_estimated`, else false when the usage was found, NULL when not |
/// | `run_id` | `skill_forge.run_id`, else `traceId-spanId` (lowercase hex) |
/// | `source` | `skill_forge.source`, else `otlp` |
/// | `metadata` | `skill_forge.metadata` (the text of a JSON object) |
/// | `cost_usd` | `skill_forge.cost_usd` (a `doubleValue`) |
///
/// A `skill_forge.*` attribute whose value is empty (`"value":{}`) stands for
/// NULL, so that spans written by ``OTLPSpanWriter`` come back as the very
/// rows they were written from.
///
/// **Usage of descendants.** A span with no usage of its own (none of the four
/// `gen_ai.usage.*` token attributes) takes the sum over its descendant spans
/// of the same document: each child counts with its own usage when it has
/// some (its subtree is then not counted again) or else with its own
/// descendants' sum. An agent span whose chat spans report the tokens thus
/// gets their total. Its model, when it names none, is the one model its
/// descendants name, or NULL when they name several. Descendants in another
/// document (another line of JSON Lines: another batch of the exporter) are
/// not found, so they are not counted.
///
/// A line that is not JSON or not a `TracesData` object is
/// ``ImportItem/invalid(_:_:)``, and so is a tool or agent span without its
/// ids or times, or with a malformed value; other spans are not checked.
/// `resourceLogs` and `resourceMetrics` lines are ignored.
struct OTLPReader: RecordReader {
    /// The largest single document read whole, in bytes; bigger inputs must be JSON Lines.
    static let defaultMaximumDocumentBytes = OTLPJSONInput.defaultMaximumDocumentBytes

    /// The largest single (multi-line) document read whole, in bytes.
    var maximumDocumentBytes: Int64 = OTLPReader.defaultMaximumDocumentBytes

    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        let layout = OTLPJSONInput(message: "TracesData", maximumDocumentBytes: maximumDocumentBytes)
        try layout.read(input, progress: progress, emit: emit) { bytes, firstLine, isOneLine in
            try OTLPDocument.read(bytes, file: input.displayName, firstLine: firstLine, isOneLine: isOneLine, emit: emit)
        }
    }
}
