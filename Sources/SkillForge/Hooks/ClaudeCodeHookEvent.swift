import Foundation

/// One call of a Claude Code hook: the JSON object Claude Code writes on a
/// command hook's standard input, or POSTs to an HTTP hook, read for what
/// Skill Forge records.
///
/// ```swift
/// let event = try ClaudeCodeHookEvent(json: Array(FileHandle.standardInput.readDataToEndOfFile()))
/// switch event.action() {
/// case .record(let run): try await store.insert(contentsOf: [run], duplicateRuns: .skip)
/// case .importTranscripts(let paths): …  // the claude-code importer, in the background
/// case .ignore: break
/// }
/// ```
public struct ClaudeCodeHookEvent: Sendable, Equatable {
    /// `hook_event_name`: `PostToolUse`, `Stop`, …
    public var name: String
    /// `session_id`.
    public var sessionId: String?
    /// `transcript_path`: the session's transcript (the parent's, inside a subagent).
    public var transcriptPath: String?
    /// `agent_transcript_path` of `SubagentStop`: the subagent's own transcript.
    public var agentTranscriptPath: String?
    /// `tool_name` of the tool events, such as `mcp__github__create_issue`.
    public var toolName: String?
    /// `tool_use_id`: the id the transcript gives the call, and so the row's run id.
    public var toolUseId: String?
    /// `duration_ms` of `PostToolUse` and `PostToolUseFailure`.
    public var durationMs: Double?
    /// `error` of `PostToolUseFailure`.
    public var error: String?
    /// `is_interrupt` of `PostToolUseFailure`: the user stopped the call.
    public var isInterrupt: Bool
    /// Whether `tool_response` says the call failed (`isError` or `is_error`: true).
    public var responseIsError: Bool
    /// UTF-8 bytes of `tool_input` as JSON, and of `tool_response`'s text, for estimated tokens.
    public var inputBytes: Int64
    public var responseBytes: Int64

    /// A hook's input that is not a JSON object with a `hook_event_name`.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the hook's JSON input.
    ///
    /// - Throws: ``Unreadable`` when it is not a JSON object naming its event.
    public init(json bytes: [UInt8]) throws(Unreadable) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw Unreadable(description: "the hook's input is not a JSON object (\(bytes.count) bytes)")
        }
        guard let name = object["hook_event_name"] as? String, !name.isEmpty else {
            throw Unreadable(description: "the hook's input has no hook_event_name")
        }
        self.name = name
        sessionId = object["session_id"] as? String
        transcriptPath = object["transcript_path"] as? String
        agentTranscriptPath = object["agent_transcript_path"] as? String
        toolName = object["tool_name"] as? String
        toolUseId = object["tool_use_id"] as? String
        durationMs = (object["duration_ms"] as? NSNumber)?.doubleValue
        error = object["error"] as? String
        isInterrupt = (object["is_interrupt"] as? Bool) ?? false
        let response = object["tool_response"]
        responseIsError = Self.saysError(response)
        inputBytes = Self.jsonBytes(object["tool_input"])
        responseBytes = Self.textBytes(response)
    }

    // MARK: - Reading values

    /// `isError` (MCP's) or `is_error` (a transcript's `tool_result`) set to true.
    private static func saysError(_ response: Any?) -> Bool {
        guard let object = response as? [String: Any] else { return false }
        return (object["isError"] as? Bool) == true || (object["is_error"] as? Bool) == true
    }

    private static func jsonBytes(_ value: Any?) -> Int64 {
        guard let value, JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value)
        else {
            return (value as? String).map { Int64($0.utf8.count) } ?? 0
        }
        return Int64(data.count)
    }

    /// The bytes of a response's text: a string, the `text` of content blocks (in an array
    /// or under `content`), or else its JSON, as the transcript importer counts a result.
    private static func textBytes(_ value: Any?) -> Int64 {
        switch value {
        case let text as String:
            return Int64(text.utf8.count)
        case let blocks as [Any]:
            return blocks.reduce(0) { sum, block in
                sum + Int64(((block as? [String: Any])?["text"] as? String)?.utf8.count ?? 0)
            }
        case let object as [String: Any] where object["content"] != nil:
            return textBytes(object["content"])
        default:
            return jsonBytes(value)
        }
    }
}
