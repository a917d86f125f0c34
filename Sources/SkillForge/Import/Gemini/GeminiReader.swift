import Foundation

/// Reads Gemini CLI sessions (`~/.gemini/tmp/<project hash>/chats/session-*.json` and
/// `.jsonl`) and derives one row per MCP tool call and, with ``TelemetryOptions/allTools``,
/// one per other tool call.
///
/// A session is written in one of two forms:
/// - a JSON document, `{"sessionId", "projectHash", "startTime", "lastUpdated",
///   "messages": […]}`, pretty-printed and rewritten whole as the session goes on. It is
///   read whole, up to ``maximumDocumentBytes``;
/// - JSON Lines, newer: a header line `{"sessionId", "projectHash", "startTime", …}`, then
///   one message a line, and `{"$set": {…}}` lines that update the header. It is
///   streamed; consecutive lines with one message `id` are versions of that message, of
///   which the last is read.
///
/// A message is `{"id", "timestamp", "type", "content", "model", "tokens", "toolCalls"}`.
/// Each entry of `toolCalls` (`id`, `name`, `status`, `timestamp`, `result`,
/// `resultDisplay`) that has ended (`status` `success`, `error` or `cancelled`) makes a row:
/// `mcp:<server>/<tool>` when its name is `<server>__<tool>` (the name Gemini CLI gives an
/// MCP tool whose name another server took first; other MCP tools are named like built-in
/// ones and cannot be told apart), else, with `allTools`, `tool:<name>`
/// (`tool:run_shell_command`, `tool:read_file`). `timestamp` is the message's,
/// `execution_ms` from there to the call's `timestamp` (when its result was recorded, so
/// it includes the time the model took to write the message); `success` unless the status
/// is `error` or `cancelled`, or a shell's output ends with an `Exit Code` other than 0;
/// tokens the message's `tokens` when the message made this one call, else unknown;
/// `model` the message's; `run_id` `gemini:<sessionId>:<call id>`; `source` `gemini`.
///
/// Lines of the JSONL form that are not JSON objects are ignored, as are calls without an
/// `id`, a timestamp, an end, or a session id before them. A document that is not valid JSON
/// is an invalid record at the line where it goes wrong.
struct GeminiReader: RecordReader {
    /// The `source` of every row.
    static let source = "gemini"
    /// The largest JSON document read (it is held whole in memory while read): 256 MiB.
    static let maximumDocumentBytes = 256 << 20
    let options: TelemetryOptions

    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        var session = GeminiSession(allTools: options.allTools)
        if try isDocument(input) {
            try readDocument(input, into: &session, progress: progress, emit: emit)
        } else {
            try readLines(input, into: &session, progress: progress, emit: emit)
        }
        if !session.isRecognized { try emit(.unrecognizedInput) }
    }

    /// Whether the input is the JSON document form: its first line is not a whole JSON object
    /// (a pretty-printed document), or is one with `messages`.
    private func isDocument(_ input: ImportInput) throws -> Bool {
        var lines = try input.lines()
        while let line = try lines.next() {
            guard case .text(let bytes) = line else { return true }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let (json, root) = JSONText.object(inLine: Array(bytes)) else { return true }
            return json.value(at: "messages", in: root) != nil
        }
        return false
    }

    // MARK: - The JSON document

    private func readDocument(
        _ input: ImportInput, into session: inout GeminiSession, progress: (Int64) -> Void,
        emit: (ImportItem) throws -> Void
    ) throws {
        let handle = try input.open()
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            let data = try handle.read(upToCount: Self.maximumDocumentBytes + 1) ?? Data()
            bytes = [UInt8](data)  // the Data is freed at the end of this block
        }
        progress(Int64(bytes.count))
        guard bytes.count <= Self.maximumDocumentBytes else {
            session.isRecognized = true  // reported as what it is, not as "no session"
            try emit(.invalid(
                SourceLocation(file: input.displayName, line: 1),
                "the session document is larger than \(Self.maximumDocumentBytes >> 20) MiB, the most read whole"))
            return
        }
        let json = JSONText(bytes)
        var lines = LineCounter(bytes: json.bytes, firstLine: 1, isOneLine: false)
        let root: JSONText.Value
        do {
            root = try json.root()
        } catch {
            session.isRecognized = true
            // The column within its line, as the other readers report one.
            let column = JSONText.SyntaxError(offset: error.offset - lines.startOfLine(at: error.offset), problem: error.problem)
            try emit(.invalid(lines.location(input.displayName, at: error.offset), "\(column)"))
            return
        }
        guard root.kind == .object, let messages = json.value(at: "messages", in: root), messages.kind == .array else {
            return
        }
        session.isRecognized = true
        session.sessionId = json.string(at: "sessionId", in: root)
        try json.elements(of: messages) { message in
            guard message.kind == .object else { return }
            let location = lines.location(input.displayName, at: message.start)
            try session.consume(GeminiMessage(json: json, object: message), at: location, emit: emit)
        }
    }

    // MARK: - JSON Lines

    private func readLines(
        _ input: ImportInput, into session: inout GeminiSession, progress: (Int64) -> Void,
        emit: (ImportItem) throws -> Void
    ) throws {
        /// The message of the previous line, read once a line of another message comes.
        var held: (message: GeminiMessage, location: SourceLocation)?
        try input.forEachAgentLogLine(progress: progress, emit: emit) { line in
            guard let (json, root) = JSONText.object(inLine: line.bytes) else { return try emit(line.unreadable) }
            if json.value(at: "$set", in: root) != nil { return }
            if let id = json.string(at: "sessionId", in: root), json.value(at: "type", in: root) == nil {
                if session.sessionId == nil { session.sessionId = id }
                session.isRecognized = true
                return
            }
            let message = GeminiMessage(json: json, object: root)
            if let previous = held, previous.message.id == nil || previous.message.id != message.id {
                try session.consume(previous.message, at: previous.location, emit: emit)
            }
            held = (message, line.location)
        }
        if let held { try session.consume(held.message, at: held.location, emit: emit) }
    }
}
