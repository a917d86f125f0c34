import Foundation

/// What the Codex reader needs from one rollout line: `{"timestamp", "type", "payload"}`.
struct RolloutLine {
    /// The line's part in the session.
    enum Event {
        /// `session_meta`: the session's id and, in some versions, its model.
        case sessionMeta(id: String?, model: String?)
        /// `turn_context`: the model of the turns that follow.
        case turnContext(model: String?)
        /// A `response_item` the model made a tool call with, awaiting its output
        /// (`function_call`, `custom_tool_call`, `local_shell_call`, `tool_search_call`).
        case call(id: String?, name: String)
        /// Another `response_item` of type `*_call` (`web_search_call`, `image_generation_call`):
        /// a call of the turn that makes no row.
        case otherCall
        /// A `response_item` answering a call (`function_call_output`, `custom_tool_call_output`, …).
        case output(id: String, failure: String?)
        /// `event_msg` `exec_command_end` (`exit_code`) or `patch_apply_end` (`success`): how a call ended.
        case callEnd(id: String, failure: String?)
        /// `event_msg` `mcp_tool_call_end`: an MCP call, its duration and result.
        case mcpCallEnd(id: String?, server: String, tool: String, milliseconds: Int64, failure: String?)
        /// `event_msg` `token_count`: the session's cumulative usage (`nil` when `info` is null).
        case tokenCount(CodexTokenTotals?)
        /// Anything else: messages, reasoning, other events, lines of unknown types.
        case other
    }

    let timestamp: Int64?
    let event: Event

    /// Reads a line; `nil` when it is not a rollout line (a JSON object with a string `type` and an object `payload`).
    init?(parsing bytes: [UInt8]) {
        guard let (json, root) = JSONText.object(inLine: bytes), let type = json.string(at: "type", in: root),
            let payload = json.value(at: "payload", in: root), payload.kind == .object
        else { return nil }
        timestamp = json.value(at: "timestamp", in: root).flatMap(json.timestamp)
        let reader = PayloadReader(json: json, payload: payload)
        switch type {
        case "session_meta":
            event = .sessionMeta(
                id: json.string(at: "id", in: payload) ?? json.string(at: "session_id", in: payload),
                model: json.string(at: "model", in: payload))
        case "turn_context":
            event = .turnContext(model: json.string(at: "model", in: payload))
        case "response_item":
            event = reader.responseItem()
        case "event_msg":
            event = reader.eventMessage()
        default:
            event = .other
        }
    }
}

/// Decodes the payload of a `response_item` or `event_msg` line.
private struct PayloadReader {
    let json: JSONText
    let payload: JSONText.Value

    private var type: String? { json.string(at: "type", in: payload) }
    private var callId: String? { json.string(at: "call_id", in: payload) }

    func responseItem() -> RolloutLine.Event {
        guard let type else { return .other }
        switch type {
        case "function_call", "custom_tool_call":
            return .call(id: callId, name: json.string(at: "name", in: payload) ?? type)
        case "local_shell_call":
            return .call(id: callId ?? json.string(at: "id", in: payload), name: "local_shell")
        case "tool_search_call":
            return .call(id: callId, name: "tool_search")
        case "function_call_output", "custom_tool_call_output", "tool_search_output":
            guard let callId else { return .other }
            return .output(id: callId, failure: outputFailure())
        default:
            return type.hasSuffix("_call") ? .otherCall : .other
        }
    }

    func eventMessage() -> RolloutLine.Event {
        switch type {
        case "token_count":
            guard let info = json.value(at: "info", in: payload), info.kind == .object else { return .tokenCount(nil) }
            return .tokenCount(CodexTokenTotals(json: json, info: info))
        case "exec_command_end":
            guard let callId else { return .other }
            let exitCode = json.value(at: "exit_code", in: payload).flatMap(json.int64)
            return .callEnd(id: callId, failure: exitCode.flatMap { $0 == 0 ? nil : exitFailure($0, text: commandText()) })
        case "patch_apply_end":
            guard let callId else { return .other }
            let failed = json.value(at: "success", in: payload)?.kind == .false
            return .callEnd(id: callId, failure: failed ? failureText("patch not applied", json.string(at: "stderr", in: payload)) : nil)
        case "mcp_tool_call_end":
            return mcpCallEnd()
        default:
            return .other
        }
    }

    // MARK: - MCP calls

    private func mcpCallEnd() -> RolloutLine.Event {
        guard let server = json.string(at: "invocation", "server", in: payload),
            let tool = json.string(at: "invocation", "tool", in: payload)
        else { return .other }
        let seconds = json.count(at: "duration", "secs", in: payload) ?? 0
        let nanos = json.count(at: "duration", "nanos", in: payload) ?? 0
        let milliseconds = seconds.multipliedReportingOverflow(by: 1_000).partialValue + nanos / 1_000_000
        return .mcpCallEnd(id: callId, server: server, tool: tool, milliseconds: milliseconds, failure: mcpFailure())
    }

    /// `result` is `{"Ok": {"content": […], "isError": …}}` or `{"Err": "message"}`.
    private func mcpFailure() -> String? {
        if let error = json.value(at: "result", "Err", in: payload) {
            return failureText("failed", error.kind == .string ? try? json.string(error) : json.rawText(error))
        }
        guard json.value(at: "result", "Ok", "isError", in: payload)?.kind == .true else { return nil }
        guard let content = json.value(at: "result", "Ok", "content", in: payload) else { return "failed" }
        return failureText("failed", text(of: content))
    }

    // MARK: - Outputs

    /// Why a call's output says it failed; `nil` when it does not. An output is a string
    /// (plain text, `Exit code: N` first, or older versions' JSON `{"output", "metadata": {"exit_code"}}`),
    /// an object with a `text` (and perhaps `success`), or an array of content items.
    private func outputFailure() -> String? {
        guard let output = json.value(at: "output", in: payload) else { return nil }
        if output.kind == .object, json.value(at: "success", in: output)?.kind == .false {
            return failureText("failed", json.string(at: "text", in: output) ?? json.string(at: "content", in: output))
        }
        guard let text = text(of: output) else { return nil }
        if let (inner, root) = JSONText.object(inLine: Array(text.utf8)),
            let exitCode = inner.value(at: "metadata", "exit_code", in: root).flatMap(inner.int64)
        {
            return exitCode == 0 ? nil : exitFailure(exitCode, text: inner.string(at: "output", in: root))
        }
        let prefix = "Exit code: "
        guard text.hasPrefix(prefix) else { return nil }
        let digits = text.dropFirst(prefix.count).prefix { $0 == "-" || $0.isNumber }
        guard let exitCode = Int64(decimalText: digits), exitCode != 0 else { return nil }
        let body = text.range(of: "\nOutput:\n").map { String(text[$0.upperBound...]) }
        return exitFailure(exitCode, text: body)
    }

    private func commandText() -> String? {
        json.string(at: "stderr", in: payload) ?? json.string(at: "aggregated_output", in: payload)
    }

    private func exitFailure(_ code: Int64, text: String?) -> String {
        failureText("exit code \(code)", text)
    }

    private func failureText(_ headline: String, _ detail: String?) -> String {
        let detail = detail.map(AgentToolCall.oneLine) ?? ""
        return AgentToolCall.oneLine(detail.isEmpty ? headline : headline + ": " + detail)
    }

    /// The text of a string, an object's `text`, or the `text` of an array's items, joined.
    private func text(of value: JSONText.Value) -> String? {
        switch value.kind {
        case .string:
            return try? json.string(value)
        case .object:
            return json.string(at: "text", in: value)
        case .array:
            var parts: [String] = []
            try? json.elements(of: value) { item in
                if item.kind == .object, let text = json.string(at: "text", in: item) { parts.append(text) }
            }
            return parts.isEmpty ? nil : parts.joined(separator: " ")
        default:
            return nil
        }
    }
}
