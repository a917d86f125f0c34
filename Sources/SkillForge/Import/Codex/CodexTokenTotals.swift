import Foundation

/// A `token_count` event's `info.total_token_usage`: the session's usage so far, in
/// OpenAI's terms (`input_tokens` includes `cached_input_tokens`; `output_tokens`
/// includes `reasoning_output_tokens`).
struct CodexTokenTotals: Equatable {
    var input: Int64 = 0
    var cachedInput: Int64 = 0
    var output: Int64 = 0
    var reasoning: Int64 = 0

    /// The totals an `info` object holds; `nil` without a `total_token_usage`.
    init?(json: JSONText, info: JSONText.Value) {
        guard let totals = json.value(at: "total_token_usage", in: info), totals.kind == .object else { return nil }
        input = json.count(at: "input_tokens", in: totals) ?? 0
        cachedInput = json.count(at: "cached_input_tokens", in: totals) ?? 0
        output = json.count(at: "output_tokens", in: totals) ?? 0
        reasoning = json.count(at: "reasoning_output_tokens", in: totals) ?? 0
    }

    /// No usage yet: where a session starts.
    init() {}

    /// The usage between `earlier` and these totals, as Skill Forge counts tokens; `nil`
    /// when a count went down (the counter was reset: the difference means nothing).
    func usage(since earlier: CodexTokenTotals) -> AgentUsage? {
        let input = input - earlier.input
        let cached = cachedInput - earlier.cachedInput
        let output = output - earlier.output
        let reasoning = reasoning - earlier.reasoning
        guard input >= 0, cached >= 0, output >= 0, reasoning >= 0, cached <= input else { return nil }
        return AgentUsage(input: input - cached, output: output, cacheRead: cached, reasoning: reasoning)
    }
}
