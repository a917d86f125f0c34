import Foundation

/// A tool call read from another agent's session log (OpenAI Codex CLI, Gemini CLI), with
/// what its row needs: the readers of those formats differ in how they find these, not in
/// the row they make of one.
///
/// ```swift
/// let call = AgentToolCall(skillId: "mcp:github/create_issue", runId: "codex:s1:call_1", sessionId: "s1",
///                          start: 1_772_442_000_000, executionMs: 840, failure: nil, model: "gpt-5")
/// call.metric(source: "codex").hasKnownTokens   // false: no usage given
/// ```
struct AgentToolCall {
    var skillId: String
    var runId: String
    var sessionId: String
    var start: Int64
    var executionMs: Int64
    /// Why it failed, on one line; `nil` when it succeeded.
    var failure: String?
    var model: String?
    /// The tokens of the model response that made the call, when they are its alone; `nil`: unknown.
    var usage: AgentUsage?

    /// The longest error message kept, in characters (as for Claude Code transcripts).
    static let maximumErrorLength = ClaudeCodeReader.maximumErrorLength

    /// `mcp:<server>/<tool>` for a tool named `<server>__<tool>` or `mcp__<server>__<tool>`, as Codex
    /// names MCP tools (its own tools have no `__`) and Gemini CLI names an MCP tool whose name another
    /// server took first; else `nil`.
    static func mcpSkillId(forQualifiedName name: String) -> String? {
        let qualified = name.hasPrefix("mcp__") ? name.dropFirst(5) : Substring(name)
        guard let separator = qualified.range(of: "__") else { return nil }
        let server = qualified[..<separator.lowerBound]
        let tool = qualified[separator.upperBound...]
        guard !server.isEmpty, !tool.isEmpty else { return nil }
        return "mcp:\(server)/\(tool)"
    }

    /// `tool:<name>`, the id of a row made of a tool that is neither a skill nor an MCP call.
    static func toolSkillId(_ name: String) -> String { "tool:\(name)" }

    /// `text` on one line (runs of whitespace and newlines made one space), cut to ``maximumErrorLength``.
    static func oneLine(_ text: some StringProtocol) -> String {
        let words = text.prefix(4 * maximumErrorLength).split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        return String(words.joined(separator: " ").prefix(maximumErrorLength))
    }

    /// The row. Unknown usage makes a row whose tokens are unknown (`tokens_known` 0, token columns 0).
    func metric(source: String) -> SkillMetrics {
        var row = SkillMetrics(
            skillId: skillId, executionMs: max(0, executionMs), tokensIn: usage?.input ?? 0,
            tokensOut: usage?.output ?? 0, success: failure == nil, timestamp: start, model: model, error: failure,
            sessionId: sessionId, runId: runId, source: source)
        if let usage {
            row.tokensEstimated = false
            row.cacheReadTokens = usage.cacheRead
            if usage.reasoning > 0 { row.metadata = #"{"reasoning_tokens":\#(usage.reasoning)}"# }
        } else {
            row.tokensKnown = false
        }
        return row
    }
}

/// The tokens of one model response, as Skill Forge counts them: `input` without the
/// cached part, which is `cacheRead`; `output` with the reasoning, of which `reasoning` is a part.
struct AgentUsage: Equatable {
    var input: Int64 = 0
    var output: Int64 = 0
    var cacheRead: Int64 = 0
    var reasoning: Int64 = 0
}
