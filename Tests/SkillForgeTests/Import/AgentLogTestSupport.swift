import Foundation

@testable import SkillForge

/// The row a tool call in another agent's log (Codex, Gemini) should give, every column spelled
/// out by the caller; `tokens` `nil` for unknown tokens (`tokens_known` 0, the token columns 0).
func expectedAgentRow(
    source: String, skill: String, runId: String, session: String, timestamp: Int64, ms: Int64, failure: String?,
    model: String?, tokens: (in: Int64, cacheRead: Int64, out: Int64)?, metadata: String?
) -> SkillMetrics {
    SkillMetrics(
        skillId: skill, executionMs: ms, tokensIn: tokens?.in ?? 0, tokensOut: tokens?.out ?? 0, success: failure == nil,
        timestamp: timestamp, model: model, error: failure, tokensEstimated: tokens.map { _ in false },
        cacheReadTokens: tokens?.cacheRead, sessionId: session, runId: runId, source: source, metadata: metadata,
        tokensKnown: tokens == nil ? false : nil)
}
