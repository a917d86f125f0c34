import Foundation

/// Reads OpenAI Codex CLI rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`) and
/// derives one row per MCP tool call and, with ``TelemetryOptions/allTools``, one per
/// other tool call.
///
/// A rollout is JSON Lines: `{"timestamp", "type", "payload"}`, `type` one of
/// `session_meta` (first: the session's `id`), `turn_context` (the `model` of the turns
/// that follow), `response_item` (messages, reasoning, tool calls and their outputs,
/// paired by `call_id`), `event_msg` (events; `token_count` carries the session's
/// cumulative usage), `compacted` and others. Versions 0.53 to 0.146 differ in which
/// events they keep and how an output is written; see docs/IMPORT.md.
///
/// ## Rows
///
/// - An MCP call: an `event_msg` `mcp_tool_call_end` (`invocation.server`, `.tool`,
///   `duration`, `result` `Ok` with `isError`, or `Err`), or, in versions that do not keep
///   that event, a `function_call` named `<server>__<tool>` (`mcp__<server>__<tool>`)
///   answered by its output. Row `mcp:<server>/<tool>`.
/// - With `allTools`, every other `function_call`, `custom_tool_call`,
///   `local_shell_call` and `tool_search_call` answered by its output: `tool:<name>`
///   (`tool:shell`, `tool:apply_patch`, `tool:update_plan`).
///
/// `timestamp` is the call's line (an MCP end event without a call: its line less the
/// duration); `execution_ms` the end event's `duration`, else call line to output line;
/// `success` unless the call's `exec_command_end` has a non-zero `exit_code`, its
/// `patch_apply_end` has `success: false`, or its output says so (`Exit code: N`, an older
/// JSON output's `metadata.exit_code`, an MCP `isError` or `Err`); `run_id`
/// `codex:<session id>:<call_id>`; `session_id` the first `session_meta`'s `id`; `model` the
/// latest `turn_context`'s; `source` `codex`.
///
/// Tokens: each `token_count` with `info` ends a turn (one model response); the
/// difference of its `total_token_usage` from the previous one is the turn's usage. It
/// is a row's when the turn made exactly one call (of any kind, rows or not); otherwise,
/// or when no `token_count` follows, or a total went down, the row's tokens are unknown.
/// `tokens_in` is `input_tokens` less `cached_input_tokens` (which are `cache_read_tokens`),
/// `tokens_out` is `output_tokens`, reasoning included (`metadata.reasoning_tokens`).
///
/// Codex has skills (`~/.codex/skills`), but a rollout does not mark their use: the model
/// reads a skill's `SKILL.md` with an ordinary tool call, so no row is a skill's.
///
/// ## What is ignored
///
/// Like a Claude Code transcript, a rollout is not ours to reject: lines that are not
/// rollout lines (not JSON, no `type` or `payload`) are counted as ignored, and so are calls
/// with no `call_id`, no usable timestamp or no session before them, and calls never
/// answered (an interrupted session). Rows that break a validation rule are skipped with
/// the reason. A file whose last line is cut short leaves its open rows ignored. Memory
/// holds the calls awaiting an output and the current turn's rows, never the file.
struct CodexReader: RecordReader {
    /// The `source` of every row.
    static let source = "codex"
    let options: TelemetryOptions

    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        var rollout = Rollout(allTools: options.allTools)
        try input.forEachAgentLogLine(progress: progress, emit: emit) { line in
            guard let entry = RolloutLine(parsing: line.bytes) else {
                if line.mayBeCutShort { rollout.endsMidLine = true }
                // A JSON object without `type` or `payload` is some other line; anything else could not be read.
                try emit(JSONText.object(inLine: line.bytes) == nil ? line.unreadable : .ignored(line.location, .untypedLine))
                return
            }
            try rollout.consume(entry, at: line.location, emit: emit)
        }
        try rollout.finish(emit: emit)
        if !rollout.holdsRolloutLines { try emit(.unrecognizedInput) }
    }
}
