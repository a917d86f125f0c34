import Foundation

/// The state of one file: the open executions of each chain, and the MCP calls
/// awaiting their results.
struct Transcript {
    /// Whether the file's last line was cut short (the file is being written).
    var endsMidLine = false
    private var main: Chain
    private var sidechain: Chain
    private var pendingCalls: [String: MCPCall] = [:]

    /// A transcript whose executions are priced by `pricing`, request by request.
    init(pricing: PriceList) {
        main = Chain(pricing: pricing)
        sidechain = Chain(pricing: pricing)
    }

    mutating func consume(_ line: TranscriptLine, at location: SourceLocation, emit: (ImportItem) throws -> Void)
        throws
    {
        switch line.kind {
        case .other:
            try emit(.ignored(location))
        case .assistant:
            try startCalls(in: line, at: location, emit: emit)
            if line.isSidechain {
                try sidechain.assistant(line, at: location, emit: emit)
            } else {
                try main.assistant(line, at: location, emit: emit)
            }
        case .user:
            try answerCalls(in: line, emit: emit)
            if line.isSidechain {
                try sidechain.user(line, emit: emit)
            } else {
                try main.user(line, emit: emit)
            }
        }
    }

    /// Ends every chain at the end of the file and ignores the calls left unanswered.
    mutating func finish(emit: (ImportItem) throws -> Void) throws {
        try main.close(completely: !endsMidLine, emit: emit)
        try sidechain.close(completely: !endsMidLine, emit: emit)
        for call in pendingCalls.values.sorted(by: { $0.location.line < $1.location.line }) {
            try emit(.ignored(call.location))
        }
        pendingCalls.removeAll()
    }

    /// Remembers the MCP calls of an assistant line until their results arrive.
    private mutating func startCalls(
        in line: TranscriptLine, at location: SourceLocation, emit: (ImportItem) throws -> Void
    ) throws {
        for use in line.toolUses {
            guard let skillId = MCPCall.skillId(forTool: use.name) else { continue }
            guard let id = use.id, let start = line.timestamp else {
                try emit(.ignored(location))
                continue
            }
            pendingCalls[id] = MCPCall(
                skillId: skillId, id: id, location: location, start: start, sessionId: line.sessionId,
                model: line.model, inputBytes: use.inputBytes)
        }
    }

    /// Emits the MCP calls a user line answers.
    private mutating func answerCalls(in line: TranscriptLine, emit: (ImportItem) throws -> Void) throws {
        guard !pendingCalls.isEmpty else { return }
        for result in line.toolResults {
            guard let call = pendingCalls.removeValue(forKey: result.toolUseId) else { continue }
            guard let end = line.timestamp else {
                try emit(.ignored(call.location))
                continue
            }
            try emit(.transcriptRow(call.metric(answeredBy: result, in: line, at: end), at: call.location))
        }
    }
}

// MARK: - Chains

/// One chain of messages (the main conversation, or a subagent's sidechain) and the
/// skill executions open in it: those started by one API message, usually one.
struct Chain {
    private var callMessage = ""
    private var open: [SkillExecution] = []
    /// The prices of the executions' requests.
    let pricing: PriceList

    init(pricing: PriceList) {
        self.pricing = pricing
    }

    /// Applies an assistant line: it may extend, end or start executions.
    mutating func assistant(_ line: TranscriptLine, at location: SourceLocation, emit: (ImportItem) throws -> Void)
        throws
    {
        let calls = line.toolUses.filter { $0.name == "Skill" }
        guard !open.isEmpty || !calls.isEmpty else { return }
        let message = line.messageKey ?? "line \(location.line)"
        var owned = false
        if !open.isEmpty {
            if let index = executionIndex(for: line.attributionSkill) {
                open[index].own(line, message: message)
                owned = true
            } else if message != callMessage {
                try close(completely: true, emit: emit)
            }
        }
        guard !calls.isEmpty else { return }
        if open.isEmpty || message != callMessage {
            try close(completely: true, emit: emit)
            callMessage = message
        }
        for call in calls {
            guard let id = call.id, let skill = call.skill else {
                try emit(.ignored(location))
                continue
            }
            guard !open.contains(where: { $0.runId == id }) else { continue }  // the same line twice
            open.append(
                SkillExecution(
                    skill: skill, runId: id, location: location, start: line.timestamp, sessionId: line.sessionId,
                    callingModel: line.model, isSidechain: line.isSidechain))
        }
        if !owned, let index = executionIndex(for: line.attributionSkill) {
            open[index].own(line, message: message)
        }
    }

    /// Applies a user line: tool results extend the executions that own them, a new prompt ends them.
    mutating func user(_ line: TranscriptLine, emit: (ImportItem) throws -> Void) throws {
        guard !open.isEmpty else { return }
        if !line.toolResults.isEmpty {
            for result in line.toolResults {
                if let index = open.firstIndex(where: { $0.owns(result.toolUseId) }) {
                    open[index].receive(result, in: line)
                }
            }
        } else if line.isPrompt {
            try close(completely: true, emit: emit)
        }
    }

    /// Ends the open executions: emits them, or ignores them when the file was cut short.
    mutating func close(completely: Bool, emit: (ImportItem) throws -> Void) throws {
        for execution in open {
            if completely, let metric = execution.metric(pricing: pricing) {
                try emit(.transcriptRow(metric, at: execution.location))
            } else {
                try emit(.ignored(execution.location))
            }
        }
        open.removeAll(keepingCapacity: true)
    }

    /// The open execution a line attributed to `skill` belongs to (the latest of that name).
    private func executionIndex(for skill: String?) -> Int? {
        guard let skill else { return nil }
        return open.lastIndex { $0.skill == skill }
    }
}
