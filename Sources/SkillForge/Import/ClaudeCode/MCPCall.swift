import Foundation

/// An MCP tool call awaiting its result.
struct MCPCall {
    let skillId: String
    let id: String
    let location: SourceLocation
    let start: Int64
    let sessionId: String?
    let model: String?
    let inputBytes: Int64

    /// `mcp:<server>/<tool>` for a tool named `mcp__<server>__<tool>`, else `nil`.
    static func skillId(forTool name: String) -> String? {
        guard name.hasPrefix("mcp__") else { return nil }
        let rest = name.dropFirst(5)
        guard let separator = rest.range(of: "__") else { return nil }
        let server = rest[..<separator.lowerBound]
        let tool = rest[separator.upperBound...]
        guard !server.isEmpty, !tool.isEmpty else { return nil }
        return "mcp:\(server)/\(tool)"
    }

    /// The row of the call, answered by `result` at `end`, timed from `queuedUntil` when it
    /// waited for the calls issued beside it (``ToolBatch``).
    func metric(
        answeredBy result: ToolResult, in line: TranscriptLine, at end: Int64, queuedUntil: Int64? = nil
    ) -> SkillMetrics {
        let error = result.isError ? line.text(of: result) : nil
        let queued = max(0, min(queuedUntil ?? start, end) - start)
        let start = start + queued
        var row = SkillMetrics(
            skillId: skillId, executionMs: max(0, end - start),
            tokensIn: TokenEstimate.tokens(inBytes: line.textBytes(of: result)),
            tokensOut: TokenEstimate.tokens(inBytes: inputBytes), success: !result.isError, timestamp: start,
            model: model,
            error: error.map { String(($0.isEmpty ? "failed" : $0).prefix(ClaudeCodeReader.maximumErrorLength)) },
            tokensEstimated: true, sessionId: sessionId, runId: id, source: ClaudeCodeReader.source)
        if queued > 0 { row.metadata = #"{"queued_ms":\#(queued)}"# }
        return row
    }
}
