import Foundation

/// Turns the messages of one Gemini CLI session into rows.
struct GeminiSession {
    let allTools: Bool
    var sessionId: String?
    /// Whether the file held a session at all (a header, or a document with `messages`).
    var isRecognized = false

    init(allTools: Bool) {
        self.allTools = allTools
    }

    /// Emits a row for each of the message's tool calls that makes one: MCP calls always,
    /// others with `allTools`. A call with no `id`, that has not ended or lacks a timestamp,
    /// or read before the session's id, is ignored.
    func consume(_ message: GeminiMessage, at location: SourceLocation, emit: (ImportItem) throws -> Void) throws {
        for call in message.toolCalls {
            let mcp = AgentToolCall.mcpSkillId(forQualifiedName: call.name)
            guard mcp != nil || allTools else { continue }
            guard let id = call.id, call.hasEnded, let start = message.timestamp, let end = call.timestamp,
                let sessionId
            else {
                try emit(.ignored(location, .incompleteCall))
                continue
            }
            let row = AgentToolCall(
                skillId: mcp ?? AgentToolCall.toolSkillId(call.name), runId: "gemini:\(sessionId):\(id)",
                sessionId: sessionId, start: start, executionMs: end - start, failure: call.failure, model: message.model,
                usage: message.toolCalls.count == 1 ? message.usage : nil)
            try emit(.transcriptRow(row.metric(source: GeminiReader.source), at: location))
        }
    }
}
