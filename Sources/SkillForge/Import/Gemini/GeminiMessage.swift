import Foundation

/// What the Gemini reader needs from one message of a session: `{"id", "timestamp",
/// "type", "model", "tokens", "toolCalls"}`, the same in the JSON document and the JSONL form.
struct GeminiMessage {
    let id: String?
    let timestamp: Int64?
    let model: String?
    /// `tokens`, as Skill Forge counts them; `nil` when the message has none.
    let usage: AgentUsage?
    let toolCalls: [GeminiToolCall]

    init(json: JSONText, object: JSONText.Value) {
        id = json.string(at: "id", in: object)
        timestamp = json.value(at: "timestamp", in: object).flatMap(json.timestamp)
        model = json.string(at: "model", in: object)
        usage = json.value(at: "tokens", in: object).flatMap { $0.kind == .object ? Self.usage(json: json, tokens: $0) : nil }
        var calls: [GeminiToolCall] = []
        if let list = json.value(at: "toolCalls", in: object), list.kind == .array {
            try? json.elements(of: list) { call in
                if call.kind == .object { calls.append(GeminiToolCall(json: json, object: call)) }
            }
        }
        toolCalls = calls
    }

    /// Gemini's counts (`input` includes `cached`; `thoughts` and `tool`, the tool-use prompt, are
    /// counted apart from `input` and `output`): `tokens_in` is input less cached plus tool,
    /// `tokens_out` output plus thoughts.
    private static func usage(json: JSONText, tokens: JSONText.Value) -> AgentUsage {
        let input = json.count(at: "input", in: tokens) ?? 0
        let cached = min(input, json.count(at: "cached", in: tokens) ?? 0)
        let thoughts = json.count(at: "thoughts", in: tokens) ?? 0
        let output = json.count(at: "output", in: tokens) ?? 0
        let tool = json.count(at: "tool", in: tokens) ?? 0
        return AgentUsage(
            input: (input - cached).addingReportingOverflow(tool).partialValue,
            output: output.addingReportingOverflow(thoughts).partialValue, cacheRead: cached, reasoning: thoughts)
    }
}

/// One entry of a message's `toolCalls`.
struct GeminiToolCall {
    let id: String?
    let name: String
    let status: String?
    /// When its result was recorded.
    let timestamp: Int64?
    /// Why it failed, on one line; `nil` when it succeeded (or has not ended).
    let failure: String?

    /// Whether it ended: `success`, `error` or `cancelled` (not `scheduled`, `executing`, …).
    var hasEnded: Bool { ["success", "error", "cancelled"].contains(status ?? "") }

    init(json: JSONText, object: JSONText.Value) {
        id = json.string(at: "id", in: object)
        name = json.string(at: "name", in: object) ?? "unnamed"
        status = json.string(at: "status", in: object)
        timestamp = json.value(at: "timestamp", in: object).flatMap(json.timestamp)
        let display = json.string(at: "resultDisplay", in: object)
        var output: String?
        var error: String?
        if let results = json.value(at: "result", in: object), results.kind == .array {
            try? json.elements(of: results) { result in
                guard result.kind == .object else { return }
                output = output ?? json.string(at: "functionResponse", "response", "output", in: result)
                error = error ?? json.string(at: "functionResponse", "response", "error", in: result)
            }
        }
        failure = Self.failure(status: status, error: error ?? display, output: output, display: display)
    }

    /// `error`: the response's error (else what was displayed); `cancelled`; `success` with a shell's
    /// `Exit Code: N` other than 0 in its output (the last such line, as the shell tool writes it last).
    private static func failure(status: String?, error: String?, output: String?, display: String?) -> String? {
        switch status {
        case "error":
            return AgentToolCall.oneLine(error.map { "error: " + $0 } ?? "error")
        case "cancelled":
            return "cancelled"
        case "success":
            guard let output, let marker = output.range(of: "Exit Code: ", options: .backwards) else { return nil }
            let digits = output[marker.upperBound...].prefix { $0 == "-" || $0.isNumber }
            guard let code = Int64(decimalText: digits), code != 0 else { return nil }
            return AgentToolCall.oneLine(display.map { "exit code \(code): " + $0 } ?? "exit code \(code)")
        default:
            return nil
        }
    }
}
