import Foundation

/// One skill execution being read.
struct SkillExecution {
    let skill: String
    let runId: String
    let location: SourceLocation
    /// When it started: its call, or the result of a call issued beside it that it waited for.
    private(set) var start: Int64?
    /// How long its launch waited for the calls issued beside it (``ToolBatch``).
    private var queued: Int64 = 0
    let sessionId: String?
    let callingModel: String?
    let isSidechain: Bool
    /// Whether the user typed it as `/name` rather than the model calling the Skill tool.
    let isTyped: Bool
    private var end: Int64?
    private var model: String?
    /// Usage per API message (`message.id` and `requestId`), each counted once.
    private var usage: [String: TokenUsage] = [:]
    /// The model of each API message that names one.
    private var models: [String: String] = [:]
    /// The tool calls it made (id → tool name), whose results belong to it.
    private var tools: [String: String]
    private var toolCalls = 0
    /// The first failing tool and its message; `nil` while none failed.
    private var failure: String?

    init(
        skill: String, runId: String, location: SourceLocation, start: Int64?, sessionId: String?,
        callingModel: String?, isSidechain: Bool, isTyped: Bool = false
    ) {
        self.skill = skill
        self.runId = runId
        self.location = location
        self.start = start
        self.sessionId = sessionId
        self.callingModel = callingModel
        self.isSidechain = isSidechain
        self.isTyped = isTyped
        end = start
        tools = isTyped ? [:] : [runId: "Skill"]
    }

    /// Whether the tool call `id` is one of the execution's.
    func owns(_ id: String) -> Bool {
        tools[id] != nil
    }

    /// Adds an assistant line attributed to the skill.
    mutating func own(_ line: TranscriptLine, message: String) {
        extend(to: line.timestamp)
        if model == nil { model = line.model }
        usage[message, default: TokenUsage()].formMaximum(line.usage)
        if models[message] == nil, let model = line.model { models[message] = model }
        for use in line.toolUses {
            guard let id = use.id, tools[id] == nil else { continue }
            tools[id] = use.name
            toolCalls += 1
        }
    }

    /// Adds the result of one of its tool calls; `queuedUntil`, for its own launch, is the
    /// result of a sibling call it waited for.
    mutating func receive(_ result: ToolResult, in line: TranscriptLine, queuedUntil: Int64? = nil) {
        if result.toolUseId == runId, let start, let queuedUntil, queuedUntil > start {
            (self.start, queued) = (queuedUntil, queuedUntil - start)
        }
        extend(to: line.timestamp)
        guard result.isError, failure == nil else { return }
        let text = line.text(of: result)
        let tool = tools[result.toolUseId] ?? "tool"
        failure = String((text.isEmpty ? tool + " failed" : tool + ": " + text).prefix(ClaudeCodeReader.maximumErrorLength))
    }

    /// Moves its end to `timestamp` when that is later.
    mutating func extend(to timestamp: Int64?) {
        guard let timestamp else { return }
        end = max(end ?? timestamp, timestamp)
    }

    /// The row, or `nil` when the Skill call has no timestamp. Its cost is the sum
    /// of its requests' costs by `pricing`, each request with its own tier, or
    /// unknown when one request's model is.
    func metric(pricing: PriceList) -> SkillMetrics? {
        guard let start else { return nil }
        let total = usage.values.reduce(TokenUsage(), +)
        var metadata = #"{"messages":\#(usage.count),"tool_calls":\#(toolCalls)"#
        if queued > 0 { metadata += #","queued_ms":\#(queued)"# }
        if isTyped { metadata += #","typed":true"# }
        if isSidechain { metadata += #","sidechain":true"# }
        metadata += "}"
        var row = SkillMetrics(
            skillId: skill, executionMs: max(0, (end ?? start) - start), tokensIn: total.input,
            tokensOut: total.output, success: failure == nil, timestamp: start, model: model ?? callingModel, error: failure,
            tokensEstimated: false, cacheReadTokens: total.cacheRead, cacheCreationTokens: total.cacheCreation,
            sessionId: sessionId, runId: runId, source: ClaudeCodeReader.source, metadata: metadata)
        if usage.isEmpty {
            // No message attributed to the skill (a transcript from before `attributionSkill`): its tokens are
            // unknown, not 0.
            (row.tokensEstimated, row.cacheReadTokens, row.cacheCreationTokens) = (nil, nil, nil)
            row.tokensKnown = false
        } else if let cost = cost(by: pricing, model: row.model) {
            (row.costUsd, row.costEstimated) = (cost, true)
        }
        return row
    }

    /// The sum of the requests' costs, or `nil` when a request's model (its own, else `model`) has no price.
    private func cost(by pricing: PriceList, model: String?) -> Double? {
        var total = 0.0
        for (message, request) in usage {
            guard let requestModel = models[message] ?? model, let cost = pricing.cost(of: request, model: requestModel)
            else { return nil }
            total += cost
        }
        return PriceList.storable(total)
    }
}
