import Foundation

/// What a Claude Code hook event makes Skill Forge do.
///
/// - A finished MCP tool call (`PostToolUse` or `PostToolUseFailure` of a tool
///   `mcp__<server>__<tool>`) is recorded at once as a row `mcp:<server>/<tool>`:
///   the hook's `duration_ms`, its failure and error, tokens estimated from the
///   input and the response as the transcript importer estimates them, run id the
///   `tool_use_id`.
/// - The end of a turn (`Stop`), of a subagent (`SubagentStop`, its own transcript)
///   and of a session (`SessionEnd`) imports the transcript with the Claude Code
///   importer: every skill execution it closes (with the tokens of the lines
///   attributed to the skill) and every MCP call. Run ids are the transcript's
///   `tool_use` ids, so what the hooks stored, a later hook and a later
///   `import --from claude-code` of the same session skip as already stored.
/// - Everything else is ignored, with the reason.
///
/// ```swift
/// if case .record(let run) = event.action(now: Date()) { … }
/// ```
public enum ClaudeCodeHookAction: Sendable, Equatable {
    case record(SkillMetrics)
    case importTranscripts([String])
    case ignore(String)
}

extension ClaudeCodeHookEvent {
    /// The `source` of the rows recorded from hook events.
    public static let source = "claude-code-hook"

    /// What to do with this event; `now` is when the tool call ended (the hook runs then).
    public func action(now: Date = Date()) -> ClaudeCodeHookAction {
        switch name {
        case "PostToolUse", "PostToolUseFailure":
            return toolCallAction(now: now)
        case "Stop", "SessionEnd":
            return transcriptsAction([transcriptPath])
        case "SubagentStop":
            return transcriptsAction([agentTranscriptPath ?? transcriptPath])
        case "UserPromptExpansion":
            return .ignore("a skill typed as /name is read from the transcript at Stop")
        default:
            return .ignore("\(name) events record nothing")
        }
    }

    private func toolCallAction(now: Date) -> ClaudeCodeHookAction {
        guard let toolName, let skillId = MCPCall.skillId(forTool: toolName) else {
            return .ignore("\(toolName ?? "a tool without a name") is not an MCP tool: skills are read from the transcript at Stop")
        }
        guard let toolUseId, !toolUseId.isEmpty else { return .ignore("\(toolName) has no tool_use_id") }
        guard let durationMs, durationMs.isFinite, durationMs >= 0, durationMs <= Double(MetricLimits.maximumExecutionMs) else {
            return .ignore("\(toolName) has no usable duration_ms: the transcript import at Stop records it")
        }
        let failed = name == "PostToolUseFailure" || responseIsError
        let executionMs = Int64(durationMs.rounded())
        var failure: String?
        if failed {
            let text = (error ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let said = isInterrupt ? "interrupted" + (text.isEmpty ? "" : ": \(text)") : (text.isEmpty ? "failed" : text)
            failure = String(said.prefix(ClaudeCodeReader.maximumErrorLength))
        }
        return .record(SkillMetrics(
            skillId: skillId, executionMs: executionMs,
            tokensIn: TokenEstimate.tokens(inBytes: responseBytes), tokensOut: TokenEstimate.tokens(inBytes: inputBytes),
            success: !failed, timestamp: now.unixMilliseconds - executionMs, error: failure, tokensEstimated: true,
            sessionId: sessionId, runId: toolUseId, source: Self.source))
    }

    /// Only absolute paths of regular `.jsonl` files: an HTTP hook's body names the path, and
    /// the collector must not be made to read `/dev/zero` or a file that is no transcript.
    private func transcriptsAction(_ paths: [String?]) -> ClaudeCodeHookAction {
        let files = paths.compactMap { $0 }.filter { path in
            path.hasPrefix("/") && path.hasSuffix(".jsonl")
                && (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular
        }
        guard !files.isEmpty else { return .ignore("\(name) names no transcript (an absolute path of a .jsonl file)") }
        return .importTranscripts(files)
    }
}
