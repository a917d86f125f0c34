import Crypto

/// Writes skill metrics as OpenTelemetry spans in OTLP's JSON encoding, one
/// `TracesData` document per batch of rows, as the Collector's file exporter
/// writes them and its `otlpjsonfile` receiver (and ``OTLPReader``) read them.
///
/// ```swift
/// let line = OTLPSpanWriter.line(for: rows)   // {"resourceSpans":[…]} with one span per row
/// try handle.write(contentsOf: Array((line + "\n").utf8))
/// ```
///
/// Each row becomes one `execute_tool <skill>` span (kind INTERNAL) of the
/// resource `service.name = skill-forge`, following the GenAI semantic
/// conventions, plus `skill_forge.*` attributes for what they have no place
/// for. ``OTLPReader`` maps the span back to the very row (but its `id`):
///
/// | Column | In the span |
/// |---|---|
/// | `skill_id` | `gen_ai.tool.name` (and the name `execute_tool <skill_id>`; `gen_ai.operation.name` is `execute_tool`) |
/// | `timestamp` | `startTimeUnixNano` = timestamp × 10⁶ |
/// | `execution_ms` | `endTimeUnixNano` = (timestamp + execution_ms) × 10⁶; `skill_forge.execution_ms` only when that end does not fit in 64 bits |
/// | `tokens_in`, `tokens_out` | `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens` |
/// | `cache_read_tokens`, `cache_creation_tokens` | `gen_ai.usage.cache_read.input_tokens`, `gen_ai.usage.cache_creation.input_tokens` (absent when NULL) |
/// | `model` | `gen_ai.request.model` (absent when NULL) |
/// | `success`, `error` | `status` `{"code":1}`, or `{"code":2,"message":error}` for a failure; `skill_forge.error` only for an error the status cannot carry (on a success, or empty) |
/// | `session_id` | `gen_ai.conversation.id` (absent when NULL) |
/// | `version`, `metadata` | `skill_forge.version`, `skill_forge.metadata` (absent when NULL) |
/// | `cost_usd` | `skill_forge.cost_usd` (a `doubleValue`, absent when NULL) |
/// | `tokens_estimated`, `run_id`, `source` | `skill_forge.tokens_estimated` (boolValue), `skill_forge.run_id`, `skill_forge.source`, always, with an empty value (`{}`) for NULL |
///
/// Trace and span ids are deterministic: a run id of the form `traceId-spanId`
/// (a span imported from OTLP) gives those ids back; any other run id, or the
/// row's identifying fields when it has none, is hashed (SHA-256: the first 16
/// bytes make the trace id, the next 8 the span id). Every span is a root.
/// Rows are expected to be valid (as stored rows are): a timestamp before 1970
/// would make a negative time, which OTLP cannot carry.
enum OTLPSpanWriter {
    /// One `TracesData` document holding a span for each row, in order, as one line of JSON without a newline.
    static func line(for rows: [SkillMetrics]) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256 + rows.count * 1_100)
        append(rows, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends what ``line(for:)`` returns to `buffer`, without making a string.
    static func append(_ rows: [SkillMetrics], to buffer: inout [UInt8]) {
        buffer.append(contentsOf: header)
        for (index, row) in rows.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendSpan(row, to: &buffer)
        }
        buffer.append(contentsOf: "]}]}]}".utf8)
    }

    // MARK: - Spans

    private static let header = Array(
        (#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"skill-forge"}}]},"#
            + #""scopeSpans":[{"scope":{"name":"skill-forge","version":"\#(SkillForgeVersion.current)"},"spans":["#).utf8)

    /// The largest end time in milliseconds whose nanoseconds fit in OTLP's unsigned 64 bits.
    private static let latestEndMs = Int64(UInt64.max / 1_000_000)

    private static func appendSpan(_ row: SkillMetrics, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        SpanIDs.append(for: row, to: &buffer)
        JSONWriting.appendRaw(#","name":"#, to: &buffer)
        JSONWriting.appendString("execute_tool " + row.skillId, to: &buffer)
        JSONWriting.appendRaw(#","kind":1,"startTimeUnixNano":""#, to: &buffer)
        appendNanoseconds(ofMilliseconds: row.timestamp, to: &buffer)
        JSONWriting.appendRaw(#"","endTimeUnixNano":""#, to: &buffer)
        let (end, overflow) = row.timestamp.addingReportingOverflow(row.executionMs)
        let endFits = !overflow && row.executionMs >= 0 && end <= latestEndMs
        appendNanoseconds(ofMilliseconds: endFits ? end : row.timestamp, to: &buffer)
        JSONWriting.appendRaw(#"","attributes":["#, to: &buffer)

        // The list appends to the buffer itself (swapped in and out, so it is never copied).
        var attributes = AttributeList()
        swap(&buffer, &attributes.buffer)
        attributes.string("gen_ai.operation.name", "execute_tool")
        attributes.string("gen_ai.tool.name", row.skillId)
        attributes.string("gen_ai.request.model", row.model)
        // Unknown tokens have no usage attributes, which an import reads as unknown again.
        attributes.integer("gen_ai.usage.input_tokens", row.hasKnownTokens ? row.tokensIn : nil)
        attributes.integer("gen_ai.usage.output_tokens", row.hasKnownTokens ? row.tokensOut : nil)
        attributes.integer("gen_ai.usage.cache_read.input_tokens", row.cacheReadTokens)
        attributes.integer("gen_ai.usage.cache_creation.input_tokens", row.cacheCreationTokens)
        attributes.string("gen_ai.conversation.id", row.sessionId)
        attributes.string("skill_forge.version", row.version)
        attributes.boolean("skill_forge.tokens_estimated", row.tokensEstimated, orEmpty: true)
        attributes.string("skill_forge.run_id", row.runId, orEmpty: true)
        attributes.string("skill_forge.source", row.source, orEmpty: true)
        attributes.string("skill_forge.metadata", row.metadata)
        attributes.real("skill_forge.cost_usd", row.costUsd)
        if let error = row.error, row.success || error.isEmpty {
            attributes.string("skill_forge.error", error)
        }
        if !endFits { attributes.integer("skill_forge.execution_ms", row.executionMs) }
        swap(&buffer, &attributes.buffer)

        if row.success {
            JSONWriting.appendRaw(#"],"status":{"code":1}}"#, to: &buffer)
        } else if let error = row.error, !error.isEmpty {
            JSONWriting.appendRaw(#"],"status":{"code":2,"message":"#, to: &buffer)
            JSONWriting.appendString(error, to: &buffer)
            JSONWriting.appendRaw("}}", to: &buffer)
        } else {
            JSONWriting.appendRaw(#"],"status":{"code":2}}"#, to: &buffer)
        }
    }

    /// `milliseconds` × 10⁶, in decimal: the digits and six zeros, exact whatever the value.
    private static func appendNanoseconds(ofMilliseconds milliseconds: Int64, to buffer: inout [UInt8]) {
        JSONWriting.appendInteger(milliseconds, to: &buffer)
        if milliseconds != 0 { JSONWriting.appendRaw("000000", to: &buffer) }
    }

}

// MARK: - Attributes

/// Writes the elements of an `attributes` array: `{"key":"…","value":{"stringValue":"…"}}`, …
private struct AttributeList {
    var buffer: [UInt8] = []
    private var isFirst = true

    /// A `stringValue`; nothing for `nil`, or an empty value when `orEmpty`.
    mutating func string(_ key: StaticString, _ value: String?, orEmpty: Bool = false) {
        guard let value else { return empty(key, when: orEmpty) }
        open(key, #"{"stringValue":"#)
        JSONWriting.appendString(value, to: &buffer)
        buffer.append(UInt8(ascii: "}"))
        buffer.append(UInt8(ascii: "}"))
    }

    /// An `intValue`, as a decimal string; nothing for `nil`.
    mutating func integer(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        open(key, #"{"intValue":""#)
        JSONWriting.appendInteger(value, to: &buffer)
        append(#""}}"#)
    }

    /// A `doubleValue`; nothing for `nil`.
    mutating func real(_ key: StaticString, _ value: Double?) {
        guard let value else { return }
        open(key, #"{"doubleValue":"#)
        JSONWriting.appendReal(value, to: &buffer)
        append("}}")
    }

    /// A `boolValue`; nothing for `nil`, or an empty value when `orEmpty`.
    mutating func boolean(_ key: StaticString, _ value: Bool?, orEmpty: Bool = false) {
        guard let value else { return empty(key, when: orEmpty) }
        open(key, #"{"boolValue":"#)
        append(value ? "true}}" : "false}}")
    }

    /// An empty value (`{}`), which stands for NULL.
    private mutating func empty(_ key: StaticString, when wanted: Bool) {
        guard wanted else { return }
        open(key, "{}")
        buffer.append(UInt8(ascii: "}"))
    }

    /// `{"key":"<key>","value":<value opening>`.
    private mutating func open(_ key: StaticString, _ valueOpening: StaticString) {
        if !isFirst { buffer.append(UInt8(ascii: ",")) }
        isFirst = false
        append(#"{"key":""#)
        append(key)
        append(#"","value":"#)
        append(valueOpening)
    }

    private mutating func append(_ text: StaticString) {
        JSONWriting.appendRaw(text, to: &buffer)
    }
}

// MARK: - Ids

/// A span's trace and span ids.
private enum SpanIDs {
    /// Appends `"traceId":"…","spanId":"…"` for `row`.
    static func append(for row: SkillMetrics, to buffer: inout [UInt8]) {
        JSONWriting.appendRaw(#""traceId":""#, to: &buffer)
        if let runId = row.runId, let dash = runId.firstIndex(of: "-"),
            case let (trace, span) = (runId[..<dash], runId[runId.index(after: dash)...]),
            OTLPID.isLowercaseHex(trace, bytes: 16), OTLPID.isLowercaseHex(span, bytes: 8),
            trace.contains(where: { $0 != "0" }), span.contains(where: { $0 != "0" })
        {
            buffer.append(contentsOf: trace.utf8)
            JSONWriting.appendRaw(#"","spanId":""#, to: &buffer)
            buffer.append(contentsOf: span.utf8)
        } else {
            let seed = "skill-forge:" + (row.runId ?? RunIdentity.derived(for: row))
            SHA256.hash(data: Array(seed.utf8)).withUnsafeBytes { digest in
                appendHex(digest[0..<16], to: &buffer)
                JSONWriting.appendRaw(#"","spanId":""#, to: &buffer)
                appendHex(digest[16..<24], to: &buffer)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends `bytes` in lowercase hex; all zeros (an invalid id, and never a digest in practice) end in 1.
    private static func appendHex(_ bytes: Slice<UnsafeRawBufferPointer>, to buffer: inout [UInt8]) {
        Hex.append(bytes, to: &buffer)
        if bytes.allSatisfy({ $0 == 0 }) { buffer[buffer.count - 1] = UInt8(ascii: "1") }
    }

}
