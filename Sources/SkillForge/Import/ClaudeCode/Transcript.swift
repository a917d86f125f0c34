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
            try emit(.ignored(location, line.otherKind))
        case .assistant:
            try startCalls(in: line, at: location, emit: emit)
            try withChain(of: line) { try $0.assistant(line, at: location, emit: emit) }
        case .user:
            let queues = withChain(of: line) { $0.queues(answeredBy: line) }
            try answerCalls(in: line, queuedUntil: queues, emit: emit)
            try withChain(of: line) { try $0.user(line, at: location, queuedUntil: queues, emit: emit) }
        }
    }

    /// Runs `body` on the chain `line` belongs to: the sidechain (a subagent's) or the main one.
    private mutating func withChain<T>(of line: TranscriptLine, _ body: (inout Chain) throws -> T) rethrows -> T {
        line.isSidechain ? try body(&sidechain) : try body(&main)
    }

    /// Ends every chain at the end of the file and ignores the calls left unanswered.
    mutating func finish(emit: (ImportItem) throws -> Void) throws {
        try main.close(completely: !endsMidLine, emit: emit)
        try sidechain.close(completely: !endsMidLine, emit: emit)
        for call in pendingCalls.values.sorted(by: { $0.location.line < $1.location.line }) {
            try emit(.ignored(call.location, .unansweredCall))
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
                try emit(.ignored(location, .incompleteCall))
                continue
            }
            pendingCalls[id] = MCPCall(
                skillId: skillId, id: id, location: location, start: start, sessionId: line.sessionId,
                model: line.model, inputBytes: use.inputBytes)
        }
    }

    /// Emits the MCP calls a user line answers; `queuedUntil` holds, by call id, the sibling
    /// results they waited for (``ToolBatch``).
    private mutating func answerCalls(
        in line: TranscriptLine, queuedUntil: [String: Int64], emit: (ImportItem) throws -> Void
    ) throws {
        guard !pendingCalls.isEmpty else { return }
        for result in line.toolResults {
            guard let call = pendingCalls.removeValue(forKey: result.toolUseId) else { continue }
            guard let end = line.timestamp else {
                try emit(.ignored(call.location, .incompleteCall))
                continue
            }
            let metric = call.metric(answeredBy: result, in: line, at: end, queuedUntil: queuedUntil[call.id])
            try emit(.transcriptRow(metric, at: call.location))
        }
    }
}

// MARK: - Chains

/// One chain of messages (the main conversation, or a subagent's sidechain) and the
/// skill executions open in it: those started by one API message, usually one, or by
/// a prompt typed as `/skill-name`.
struct Chain {
    /// The chain's latest assistant message's tool calls, which its results answer (parallel calls).
    private var batch = ToolBatch()
    private var callMessage = ""
    private var open: [SkillExecution] = []
    /// The latest prompt typed as `/name`, until the line that says it ran a skill (its
    /// instructions, `isMeta`) or the first assistant line (a built-in command: `/compact`).
    private var command: SlashCommand?

    /// A prompt typed as `/name`.
    private struct SlashCommand {
        let name: String
        let uuid: String
        let line: TranscriptLine
        let location: SourceLocation
    }

    /// The prices of the executions' requests.
    let pricing: PriceList

    init(pricing: PriceList) {
        self.pricing = pricing
    }

    /// By call id, when each tool result of a user line stopped waiting for a sibling call's
    /// result (``ToolBatch``); calls that waited for none are left out.
    mutating func queues(answeredBy line: TranscriptLine) -> [String: Int64] {
        var queues: [String: Int64] = [:]
        for result in line.toolResults {
            if let until = batch.queuedUntil(answering: result.toolUseId, at: line.timestamp) { queues[result.toolUseId] = until }
        }
        return queues
    }

    /// Applies an assistant line: it may extend, end or start executions.
    mutating func assistant(_ line: TranscriptLine, at location: SourceLocation, emit: (ImportItem) throws -> Void)
        throws
    {
        batch.add(line)
        command = nil
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
                try emit(.ignored(location, .incompleteCall))
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
    /// `queuedUntil` holds, by call id, the sibling results the calls waited for (``ToolBatch``).
    mutating func user(
        _ line: TranscriptLine, at location: SourceLocation, queuedUntil: [String: Int64],
        emit: (ImportItem) throws -> Void
    ) throws {
        if let command, line.isSkillInstructions, line.parentUuid == nil || line.parentUuid == command.uuid {
            self.command = nil
            callMessage = ""
            var execution = SkillExecution(
                skill: command.name, runId: command.uuid, location: command.location, start: command.line.timestamp,
                sessionId: command.line.sessionId, callingModel: nil, isSidechain: command.line.isSidechain,
                isTyped: true)
            execution.extend(to: line.timestamp)
            open.append(execution)
            return
        }
        if !line.toolResults.isEmpty {
            for result in line.toolResults {
                if let index = open.firstIndex(where: { $0.owns(result.toolUseId) }) {
                    open[index].receive(result, in: line, queuedUntil: queuedUntil[result.toolUseId])
                }
            }
        } else if line.isPrompt {
            try close(completely: true, emit: emit)
            command = nil
            if let name = line.slashCommand, let uuid = line.uuid {
                command = SlashCommand(name: name, uuid: uuid, line: line, location: location)
            }
        }
    }

    /// Ends the open executions: emits them, or ignores them when the file was cut short.
    mutating func close(completely: Bool, emit: (ImportItem) throws -> Void) throws {
        for execution in open {
            if !completely {
                try emit(.ignored(execution.location, .unfinishedRun))
            } else if let metric = execution.metric(pricing: pricing) {
                try emit(.transcriptRow(metric, at: execution.location))
            } else {
                try emit(.ignored(execution.location, .incompleteCall))
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
