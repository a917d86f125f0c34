import Foundation
import MCP
import SkillForge

/// The `record_run` tool's arguments, the columns of `skill_metrics`, and how a
/// call becomes a run.
///
/// The arguments are read exactly as `import --from jsonl` reads a line, by
/// the library's reader (``ReceivedRuns/init(metricsJSON:)``), which checks
/// every field by the rules of the store; the schema here only describes them.
enum RecordRun {
    /// The arguments, in the order of the table's columns; names are the table's snake_case ones.
    static let parameters: [ToolParameter] = [
        .string("skill_id", "The skill's name, as the agent knows it.", required: true),
        .integer(
            "execution_ms", "Wall-clock duration of the execution in milliseconds (at most 30 days).",
            in: 0...Int(MetricLimits.maximumExecutionMs), required: true),
        .integer(
            "tokens_in", "Input (prompt) tokens; leave out both tokens_in and tokens_out when they are unknown.",
            in: 0...Int(MetricLimits.maximumTokens)),
        .integer(
            "tokens_out", "Output (completion) tokens; leave out both tokens_in and tokens_out when they are unknown.",
            in: 0...Int(MetricLimits.maximumTokens)),
        .boolean("success", "Whether the execution succeeded.", required: true),
        .timestamp("timestamp", "When the execution started: Unix milliseconds or 2026-11-20T10:00:00Z (default: now)."),
        .string("version", "The skill's version, such as 1.2.0 or a git revision."),
        .string("model", "The model that ran the skill."),
        .string("error", "The error message of a failed execution."),
        .boolean("tokens_estimated", "The token counts are estimates, not reported usage."),
        .integer("cache_read_tokens", "Input tokens read from the prompt cache.", in: 0...Int(MetricLimits.maximumTokens)),
        .integer("cache_creation_tokens", "Input tokens written to the prompt cache.", in: 0...Int(MetricLimits.maximumTokens)),
        .string("session_id", "The agent session id."),
        .string("run_id", "A unique id of this execution (default: a new UUID); an id already stored is refused."),
        .object("metadata", "Extra details, a JSON object."),
        .number("cost_usd", "What the execution cost in US dollars, such as 0.0125.", in: 0...MetricLimits.maximumCostUsd),
    ]

    /// The run a call's arguments describe, checked by the rules of the store, not yet stored.
    ///
    /// A missing `timestamp` is `now`, a missing `run_id` a new UUID (as `skill-forge record`
    /// gives), and the source is ``MetricSource/mcp``. Without `tokens_in` and `tokens_out`
    /// the run's tokens are unknown (`tokens_known` false), as with `record`; one without
    /// the other is refused as missing.
    ///
    /// - Throws: ``ToolError`` naming the first missing or invalid field and its value.
    static func metric(from arguments: ToolArguments, now: Date) throws(ToolError) -> SkillMetrics {
        var fields = arguments.values
        if (fields["timestamp"] ?? .null) == .null { fields["timestamp"] = .int(Int(now.unixMilliseconds)) }
        if (fields["run_id"] ?? .null) == .null { fields["run_id"] = .string(RunIdentity.random()) }
        fields["source"] = .string(MetricSource.mcp)
        if (fields["tokens_in"] ?? .null) == .null && (fields["tokens_out"] ?? .null) == .null {
            fields["tokens_known"] = .bool(false)
        }
        let json: Data
        do {
            json = try JSONEncoder().encode(fields)
        } catch {
            throw ToolError(message: "the arguments cannot be written as JSON: \(error)")
        }
        let received = ReceivedRuns(metricsJSON: Array(json))
        if let problem = received.problems.first {
            throw ToolError(argument: problem.field, message: problem.detail)
        }
        guard let metric = received.metrics.first else {
            throw ToolError(message: "the arguments describe no run")
        }
        return metric
    }
}
