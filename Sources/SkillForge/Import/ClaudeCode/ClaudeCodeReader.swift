import Foundation

/// Reads Claude Code session transcripts (`~/.claude/projects/<project>/<session>.jsonl`,
/// and the subagent files `agent-*.jsonl` and `<session>/subagents/agent-*.jsonl`) and
/// derives one row per skill execution and one per MCP tool call.
///
/// The format is Claude Code's own, undocumented and changing: one JSON object per
/// line, with a `type` (`user`, `assistant`, `summary`, `system`, …). An API message is
/// often written on several lines, one per content block, each repeating the message's
/// `id`, `requestId` and `usage`. Assistant lines written while a skill runs carry
/// `"attributionSkill": "<name>"`.
///
/// ## Skill executions
///
/// An execution starts at an assistant `tool_use` named `Skill` (the skill's name in
/// `input.skill`, or in `input.command` as older versions wrote it; a leading `/` is
/// dropped). It owns:
/// - the assistant lines attributed to its skill (`attributionSkill` == the name);
/// - the `tool_result` lines answering its own Skill call and the tool calls of the
///   lines it owns.
///
/// It ends, before the line that ends it, at the first of:
/// 1. an assistant line of another API message that is not attributed to its skill
///    (attributed to another skill, or to none): the model has moved on;
/// 2. a `Skill` call in another API message (a nested or following skill); a line
///    attributed to the open skill that makes such a call is still the open
///    execution's (its usage counts there) before it ends it;
/// 3. a user line that is a new prompt: neither tool results nor text Claude Code
///    writes itself (`isMeta`, `sourceToolUseID`, `isCompactSummary`);
/// 4. the end of the file.
///
/// Other lines (the rest of the calling message, the skill's instructions Claude Code
/// adds as an `isMeta` line, results of tool calls the skill does not own, `system`
/// lines, unknown types) neither end an execution nor extend it. Skill calls in the
/// same API message run side by side; each owns the lines attributed to its name.
/// Sidechain lines (`isSidechain`) form a chain of their own, so a subagent's lines
/// interleaved in an older transcript do not end the main chain's execution.
///
/// A row's `skill_id` is the skill's name; `timestamp` the Skill call's; `execution_ms`
/// from there to the last timestamp of a line the execution owns; the token columns the
/// sums of `message.usage` over the messages it owns, each message counted once (keyed
/// by `message.id` and `requestId`; if its lines disagree, the largest value of each
/// field); `success` whether no owned `tool_result` has `is_error: true` (`error` then
/// holds the first failing tool and its message); `model` the owned messages' (else the
/// calling message's); `run_id` the Skill call's `tool_use` id; `source` `claude-code`;
/// `metadata` the count of owned API messages and tool calls, and whether it ran in a
/// sidechain. An execution that owns no API message (`"messages":0`: every transcript
/// written before Claude Code marked lines with `attributionSkill`) has unknown tokens:
/// `tokens_known` 0, the token columns 0, no cache tokens. A subagent's tokens are not in the row of the skill that started it: its
/// lines are in another file, read as a stream of its own.
///
/// ## MCP tool calls
///
/// A `tool_use` named `mcp__<server>__<tool>` becomes a row `mcp:<server>/<tool>`
/// (the server is the text up to the first `__`) when its `tool_result` arrives:
/// `execution_ms` from the call's line to the result's, `success` unless the result has
/// `is_error: true`, `run_id` the `tool_use` id, `model` the calling message's.
/// Transcripts give no usage per tool call, so tokens are estimated with
/// ``TokenEstimate`` (4 bytes a token, rounded up) and `tokens_estimated` is set:
/// `tokens_out` from the UTF-8 bytes of the call's `input` JSON as written in the line,
/// `tokens_in` from the bytes of the result's text (its string content, or the `text`
/// of its text blocks; images are not counted). A call whose result never arrives is
/// ignored.
///
/// ## What is ignored
///
/// Transcripts are not ours to reject, so no line is ever `.invalid`; these are
/// counted as `.ignored`, by kind (``IgnoredKind``), for the summary to say what they
/// were: lines of any type but `user` and `assistant`, named by their type (`progress
/// line`); user and assistant lines without a `message` object; lines too long to
/// hold; Skill calls without a name or an id and executions whose call has no
/// timestamp; MCP calls without a result or a timestamp. A file whose last line is cut
/// short (still being written) also leaves its open executions ignored rather than
/// stored with partial numbers under a run id that would block the complete row
/// later. A line before the last that is not a JSON object could not be read: it is
/// `.skipped`, and reported. The rows derived
/// are checked like every import, and one that breaks a rule (a skill name over 200
/// characters, a token count beyond 64 bits) is `.skipped` at its call's line, with the
/// reason, rather than stopping the import. A file with no line that looks like Claude
/// Code's at all (a metrics file given to `--from claude-code`) is `.unrecognizedInput`.
///
/// Memory stays constant whatever the file's size: the reader holds the open
/// executions and the MCP calls awaiting a result, never the file.
struct ClaudeCodeReader: RecordReader {
    /// The `source` of every row.
    static let source = "claude-code"
    /// The longest error message kept from a failing tool result, in characters.
    static let maximumErrorLength = 500
    /// The prices of the requests each execution made (its cost when the transcript states none).
    var pricing: PriceList = .shipped

    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        var transcript = Transcript(pricing: pricing)
        var holdsTranscriptLines = false
        try input.forEachAgentLogLine(progress: progress, emit: emit) { line in
            guard let entry = TranscriptLine(parsing: line.bytes) else {
                if line.mayBeCutShort { transcript.endsMidLine = true }
                try emit(line.unreadable)
                return
            }
            if entry.isTranscriptLine { holdsTranscriptLines = true }
            try transcript.consume(entry, at: line.location, emit: emit)
        }
        try transcript.finish(emit: emit)
        if !holdsTranscriptLines { try emit(.unrecognizedInput) }
    }
}
