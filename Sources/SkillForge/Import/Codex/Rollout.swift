import Foundation

/// The state of one rollout file: the session, the calls awaiting their outputs, and the
/// rows of the current turn awaiting the `token_count` that says what the turn cost.
///
/// A turn here is one model response: the lines between two `token_count` events that
/// carry usage. The calls in it were made by that response, so its usage (the difference
/// of the cumulative totals) is a call's own only when the turn made exactly one call.
struct Rollout {
    let allTools: Bool
    /// Whether the file's last line was cut short (the file is being written).
    var endsMidLine = false
    private var sessionId: String?
    private var model: String?
    private var totals = CodexTokenTotals()
    /// The calls made in the current turn, rows or not.
    private var callsInTurn = 0
    /// Calls awaiting their output, by call id.
    private var pending: [String: PendingCall] = [:]
    /// Rows of calls made in the current turn, ended before it.
    private var waiting: [(call: AgentToolCall, location: SourceLocation)] = []
    /// Whether a line looked like a rollout's at all.
    private(set) var holdsRolloutLines = false

    init(allTools: Bool) {
        self.allTools = allTools
    }

    /// A call made, with what its row will need.
    private struct PendingCall {
        var skillId: String
        let start: Int64
        let model: String?
        let location: SourceLocation
        /// The usage of the turn that made it, once that turn ended: `.some(nil)` when it is not the call's alone.
        var turnUsage: AgentUsage??
        /// How the call ended, from an `exec_command_end` or `patch_apply_end` event.
        var failure: String??
    }

    mutating func consume(_ line: RolloutLine, at location: SourceLocation, emit: (ImportItem) throws -> Void) throws {
        holdsRolloutLines = true
        switch line.event {
        case .sessionMeta(let id, let model):
            // Later session_meta lines are those of the sessions a fork or a subagent copied in.
            guard sessionId == nil else { return }
            sessionId = id
            if self.model == nil { self.model = model }
        case .turnContext(let model):
            if let model { self.model = model }
        case .call(let id, let name):
            callsInTurn += 1
            try start(id: id, name: name, at: line.timestamp, location: location, emit: emit)
        case .otherCall:
            callsInTurn += 1
        case .output(let id, let failure):
            try answer(id: id, failure: failure, at: line.timestamp, emit: emit)
        case .callEnd(let id, let failure):
            pending[id]?.failure = .some(failure)
        case .mcpCallEnd(let id, let server, let tool, let milliseconds, let failure):
            try endMCPCall(
                id: id, skillId: "mcp:\(server)/\(tool)", milliseconds: milliseconds, failure: failure,
                at: line.timestamp, location: location, emit: emit)
        case .tokenCount(let newTotals):
            guard let newTotals else { return }
            try endTurn(usage: newTotals.usage(since: totals), emit: emit)
            totals = newTotals
        case .other:
            break
        }
    }

    /// At the end of the file: rows of a turn no `token_count` ended have unknown tokens;
    /// calls without an output are ignored (an interrupted session), and so is everything
    /// open when the last line was cut short (its complete form may come later).
    mutating func finish(emit: (ImportItem) throws -> Void) throws {
        for (call, location) in waiting {
            try emit(endsMidLine ? .ignored(location, .unfinishedRun) : .transcriptRow(call.metric(source: CodexReader.source), at: location))
        }
        waiting.removeAll()
        for call in pending.values.sorted(by: { $0.location.line < $1.location.line }) {
            try emit(.ignored(call.location, .unansweredCall))
        }
        pending.removeAll()
    }

    // MARK: - Calls

    private mutating func start(
        id: String?, name: String, at timestamp: Int64?, location: SourceLocation, emit: (ImportItem) throws -> Void
    ) throws {
        let mcp = AgentToolCall.mcpSkillId(forQualifiedName: name)
        guard mcp != nil || allTools else { return }
        guard let id, let timestamp, sessionId != nil else {
            try emit(.ignored(location, .incompleteCall))
            return
        }
        if let earlier = pending[id] { try emit(.ignored(earlier.location, .unansweredCall)) }  // a call id used twice: the first goes unanswered
        pending[id] = PendingCall(
            skillId: mcp ?? AgentToolCall.toolSkillId(name), start: timestamp, model: model, location: location)
    }

    private mutating func answer(id: String, failure: String?, at timestamp: Int64?, emit: (ImportItem) throws -> Void)
        throws
    {
        guard let call = pending.removeValue(forKey: id) else { return }
        guard let timestamp else {
            try emit(.ignored(call.location, .incompleteCall))
            return
        }
        try finish(
            call, id: id, executionMs: timestamp - call.start, failure: call.failure ?? failure, emit: emit)
    }

    /// An MCP call's end event: its row, from the call made before it if there is one
    /// (whose output then adds nothing), else from the event alone, made in the current turn.
    private mutating func endMCPCall(
        id: String?, skillId: String, milliseconds: Int64, failure: String?, at timestamp: Int64?,
        location: SourceLocation, emit: (ImportItem) throws -> Void
    ) throws {
        if let id, var call = pending.removeValue(forKey: id) {
            call.skillId = skillId
            try finish(call, id: id, executionMs: milliseconds, failure: failure, emit: emit)
            return
        }
        callsInTurn += 1
        guard let id, let timestamp, sessionId != nil else {
            try emit(.ignored(location, .incompleteCall))
            return
        }
        let call = PendingCall(
            skillId: skillId, start: max(0, timestamp - milliseconds), model: model, location: location)
        try finish(call, id: id, executionMs: milliseconds, failure: failure, emit: emit)
    }

    /// Emits the call's row once its turn's usage is known, else keeps it until then.
    private mutating func finish(
        _ call: PendingCall, id: String, executionMs: Int64, failure: String?, emit: (ImportItem) throws -> Void
    ) throws {
        guard let sessionId else { return }
        let row = AgentToolCall(
            skillId: call.skillId, runId: "codex:\(sessionId):\(id)", sessionId: sessionId, start: call.start,
            executionMs: executionMs, failure: failure, model: call.model, usage: call.turnUsage ?? nil)
        if call.turnUsage == nil {
            waiting.append((row, call.location))
        } else {
            try emit(.transcriptRow(row.metric(source: CodexReader.source), at: call.location))
        }
    }

    // MARK: - Turns

    /// Ends the current turn: its usage goes to its one call, if it made exactly one.
    private mutating func endTurn(usage: AgentUsage?, emit: (ImportItem) throws -> Void) throws {
        let owned = callsInTurn == 1 ? usage : nil
        for (var call, location) in waiting {
            call.usage = owned
            try emit(.transcriptRow(call.metric(source: CodexReader.source), at: location))
        }
        waiting.removeAll()
        for id in pending.keys where pending[id]?.turnUsage == nil {
            pending[id]?.turnUsage = .some(owned)
        }
        callsInTurn = 0
    }
}
