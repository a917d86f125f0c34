import Foundation

/// How Claude Code's telemetry events become runs; ``allTools`` also applies to the Codex and
/// Gemini importers (``ImportFormat/codex``, ``ImportFormat/gemini``).
///
/// ```swift
/// let received = ReceivedTelemetry(otlpLogsJSON: body, options: TelemetryOptions(allTools: true))
/// ```
public struct TelemetryOptions: Sendable, Hashable {
    /// Whether every tool call becomes a run (`tool:<name>`, such as `tool:Bash`), not only Skill and MCP calls.
    public var allTools: Bool

    /// Creates options.
    public init(allTools: Bool = false) {
        self.allTools = allTools
    }
}

/// What one log record of Claude Code's telemetry (`CLAUDE_CODE_ENABLE_TELEMETRY=1`,
/// `OTEL_LOGS_EXPORTER=otlp`) contributes to a run, following Claude Code's
/// monitoring reference (code.claude.com/docs/en/monitoring-usage):
///
/// | Event | Becomes |
/// |---|---|
/// | `claude_code.tool_result` of the `Skill` tool | a contribution to the run `claude-code:<session.id>:<prompt.id>:<skill>`: start = time − `duration_ms`, end = time, `success`, `error` (else `error_type`) |
/// | `claude_code.tool_result` of an MCP tool | a run of its own, `mcp:<server>/<tool>`, `claude-code:<session.id>:<tool_use_id>`, tokens estimated from `tool_input_size_bytes` (output) and `tool_result_size_bytes` (input) |
/// | `claude_code.tool_result` of another tool | with ``TelemetryOptions/allTools``, a run of its own, `tool:<name>`; else ignored |
/// | `claude_code.api_request` with `skill.name` | a contribution to that skill's run of its prompt: start = time − `duration_ms`, end = time, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_creation_tokens`, `cost_usd` (else `cost_usd_micros`), `model` |
/// | `claude_code.skill_activated` | a contribution to that skill's run of its prompt: start = end = time |
/// | anything else (an `api_request` in no skill, `user_prompt`, other services' logs) | ignored |
///
/// The skill of a Skill call is `skill_name` in `tool_parameters` (a JSON
/// string, sent with `OTEL_LOG_TOOL_DETAILS=1`), else `skill` in `tool_input`.
/// A redacted name (`custom_skill`, `third-party`), a Skill call without its
/// skill's name, or a user-configured MCP tool logged as `mcp_tool` without its
/// names, is **redacted**: it becomes nothing, and is counted. A Claude Code
/// event with a malformed value (`duration_ms` that is not a number, a time
/// before 2000) is **rejected**, naming the attribute.
enum ClaudeCodeEvent {
    /// A part of a run.
    case contribution(RunContribution)
    /// An event that attributes to nothing, or another service's log record.
    case ignored
    /// An event whose skill or tool is known only by a placeholder.
    case redacted
    /// A malformed Claude Code event.
    case rejected(field: String?, problem: String)

    /// The `source` of the rows.
    static let source = "claude-code-otel"
    /// Skill names that Claude Code writes instead of the real one unless `OTEL_LOG_TOOL_DETAILS=1`.
    static let redactedNames: Set<String> = ["custom_skill", "third-party"]

    /// Maps one log record.
    init(_ record: OTLPLogRecord, options: TelemetryOptions) {
        guard let name = Self.eventName(of: record) else {
            self = .ignored
            return
        }
        let event = EventAttributes(record, name: name)
        do {
            switch name {
            case "tool_result": self = try Self.toolResult(event, options: options)
            case "api_request": self = try Self.apiRequest(event)
            case "skill_activated": self = try Self.skillActivation(event)
            default: self = .ignored
            }
        } catch {
            self = .rejected(field: error.field, problem: error.description)
        }
    }

    /// The event's name without `claude_code.`: from `event_name`, else the body, else the
    /// `event.name` attribute of a record of the `claude-code` service; `nil` for other records.
    static func eventName(of record: OTLPLogRecord) -> String? {
        let prefix = "claude_code."
        for candidate in [record.eventName, record.body?.text] {
            if let candidate, candidate.hasPrefix(prefix) { return String(candidate.dropFirst(prefix.count)) }
        }
        guard let name = record.attribute("event.name")?.text,
            record.resourceAttributes.first(where: { $0.key == "service.name" })?.value.text == "claude-code"
        else { return nil }
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
    }

    /// A rejection's problem as messages show it: `claude_code.api_request: duration_ms "fast": not a number`.
    static func describe(_ problem: String, of record: OTLPLogRecord) -> String {
        "claude_code.\(eventName(of: record) ?? "event"): \(problem)"
    }

    // MARK: - Events

    private static func toolResult(_ event: EventAttributes, options: TelemetryOptions) throws(AttributeProblem) -> ClaudeCodeEvent {
        guard let tool = try event.text("tool_name") else { throw AttributeProblem("tool_name", "is missing") }
        let (start, end) = try event.span()
        let succeeded = try event.flag("success")
        var error: String?
        if succeeded == false {
            let (message, type) = (try event.text("error"), try event.text("error_type"))
            error = String((message ?? type ?? "failed").prefix(MetricLimits.maximumErrorLength))
        }
        let parameters = try event.parameters()
        if tool == "Skill" {
            guard let skill = parameters?.text("skill_name") ?? event.toolInput()?.text("skill"),
                !redactedNames.contains(skill)
            else { return .redacted }
            guard let runId = event.promptRunId(skill: skill) else { return .ignored }
            return .contribution(event.contribution(
                runId: runId, skillId: skill, start: start, end: end, succeeded: succeeded, error: error))
        }
        let skillId: String
        if let server = parameters?.text("mcp_server_name"), let mcpTool = parameters?.text("mcp_tool_name") {
            skillId = "mcp:\(server)/\(mcpTool)"
        } else if let mcp = MCPCall.skillId(forTool: tool) {
            skillId = mcp
        } else if tool == "mcp_tool" {
            return .redacted
        } else if options.allTools {
            skillId = "tool:\(tool)"
        } else {
            return .ignored
        }
        let inputBytes = try event.whole("tool_input_size_bytes")
        let resultBytes = try event.whole("tool_result_size_bytes")
        let usage = inputBytes == nil && resultBytes == nil
            ? nil
            : RunContribution.Usage(
                input: TokenEstimate.tokens(inBytes: resultBytes ?? 0), output: TokenEstimate.tokens(inBytes: inputBytes ?? 0),
                isEstimated: true)
        return .contribution(event.contribution(
            runId: event.callRunId(), skillId: skillId, start: start, end: end, succeeded: succeeded, error: error,
            usage: usage))
    }

    private static func apiRequest(_ event: EventAttributes) throws(AttributeProblem) -> ClaudeCodeEvent {
        guard let skill = try event.text("skill.name") else { return .ignored }
        if redactedNames.contains(skill) { return .redacted }
        let (start, end) = try event.span()
        let usage = RunContribution.Usage(
            input: try event.whole("input_tokens") ?? 0, output: try event.whole("output_tokens") ?? 0,
            cacheRead: try event.whole("cache_read_tokens"), cacheCreation: try event.whole("cache_creation_tokens"))
        var cost = try event.number("cost_usd")
        if cost == nil, let micros = try event.whole("cost_usd_micros") { cost = Double(micros) / 1_000_000 }
        guard let runId = event.promptRunId(skill: skill) else { return .ignored }
        return .contribution(event.contribution(
            runId: runId, skillId: skill, start: start, end: end, usage: usage, cost: cost,
            model: try event.text("model")))
    }

    private static func skillActivation(_ event: EventAttributes) throws(AttributeProblem) -> ClaudeCodeEvent {
        guard let skill = try event.text("skill.name") else { return .ignored }
        if redactedNames.contains(skill) { return .redacted }
        let time = try event.time()
        guard let runId = event.promptRunId(skill: skill) else { return .ignored }
        return .contribution(event.contribution(runId: runId, skillId: skill, start: time, end: time))
    }
}
