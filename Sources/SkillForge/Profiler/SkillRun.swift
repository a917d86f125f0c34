import Synchronization

/// What a profiled body can tell the ``Profiler`` about its execution.
///
/// ```swift
/// try await profiler.profile(skill: "summarise") { run in
///     let response = try await llm.complete(prompt)
///     run.recordUsage(input: response.inputTokens, output: response.outputTokens, model: response.model)
///     return response.text
/// }
/// ```
///
/// Calls add up: a body that makes three model calls can report each one.
/// It is safe to call from any task or thread.
public final class SkillRun: Sendable {
    /// The skill being profiled.
    public let skillId: String

    private let state = Mutex(State())

    struct State {
        var reported: ReportedUsage?
        var model: String?
        var outputText: String?
    }

    init(skillId: String) {
        self.skillId = skillId
    }

    /// Adds real token usage, as reported by the model's API.
    ///
    /// - Parameters:
    ///   - input: Input (prompt) tokens.
    ///   - output: Output (completion) tokens.
    ///   - cacheRead: Input tokens read from the prompt cache.
    ///   - cacheCreation: Input tokens written to the prompt cache.
    ///   - model: The model that answered; the last one reported is stored.
    public func recordUsage(
        input: Int, output: Int, cacheRead: Int? = nil, cacheCreation: Int? = nil, model: String? = nil
    ) {
        state.withLock { state in
            state.reported = (state.reported ?? ReportedUsage()).adding(
                ReportedUsage(
                    tokensIn: Int64(input), tokensOut: Int64(output),
                    cacheReadTokens: cacheRead.map(Int64.init), cacheCreationTokens: cacheCreation.map(Int64.init)))
            if let model { state.model = model }
        }
    }

    /// Names the model that ran the skill, without reporting usage.
    public func recordModel(_ model: String) {
        state.withLock { $0.model = model }
    }

    /// Gives the skill's output text, from which output tokens are estimated
    /// when no usage is reported with ``recordUsage(input:output:cacheRead:cacheCreation:model:)``.
    public func recordOutput(_ text: String) {
        state.withLock { state in state.outputText = (state.outputText ?? "") + text }
    }

    var snapshot: State { state.withLock { $0 } }
}

/// Token usage as a model's API reports it.
public struct ReportedUsage: Sendable, Hashable, Codable {
    /// Input tokens.
    public var tokensIn: Int64 = 0
    /// Output tokens.
    public var tokensOut: Int64 = 0
    /// Input tokens read from the prompt cache, if reported.
    public var cacheReadTokens: Int64?
    /// Input tokens written to the prompt cache, if reported.
    public var cacheCreationTokens: Int64?
    /// The model, if reported.
    public var model: String?

    /// Creates a usage report.
    public init(
        tokensIn: Int64 = 0, tokensOut: Int64 = 0, cacheReadTokens: Int64? = nil,
        cacheCreationTokens: Int64? = nil, model: String? = nil
    ) {
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.cacheReadTokens = cacheReadTokens
        self.cacheCreationTokens = cacheCreationTokens
        self.model = model
    }

    /// The sum of two reports (saturating at `Int64.max`); the later model wins.
    func adding(_ other: ReportedUsage) -> ReportedUsage {
        func add(_ a: Int64, _ b: Int64) -> Int64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? .max : sum
        }
        func sum(_ a: Int64?, _ b: Int64?) -> Int64? { a == nil && b == nil ? nil : add(a ?? 0, b ?? 0) }
        return ReportedUsage(
            tokensIn: add(tokensIn, other.tokensIn),
            tokensOut: add(tokensOut, other.tokensOut),
            cacheReadTokens: sum(cacheReadTokens, other.cacheReadTokens),
            cacheCreationTokens: sum(cacheCreationTokens, other.cacheCreationTokens),
            model: other.model ?? model)
    }
}
