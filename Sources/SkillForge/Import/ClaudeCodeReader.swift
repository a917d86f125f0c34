import Foundation

/// Reads Claude Code session transcripts (`~/.claude/projects/<project>/<session>.jsonl`,
/// and the subagent files `agent-*.jsonl` and `<session>/subagents/agent-*.jsonl`) and
/// derives one row per skill execution and one per MCP tool call.
///
/// The format is Claude Code's own, undocumented and changing: one JSON object per
/// line, with a `type` (`user`, `assistant`, `summary`, `system`, …). An API message is
/// often written on several lines, one per content block, each repeating the message's
/// `id`, `requestId` and `usage`. Assistant lines written while a skill runs carry
/// `"attributionSkill": "<name>"`.
///
/// ## Skill executions
///
/// An execution starts at an assistant `tool_use` named `Skill` (the skill's name in
/// `input.skill`, or in `input.command` as older versions wrote it; a leading `/` is
/// dropped). It owns:
/// - the assistant lines attributed to its skill (`attributionSkill` == the name);
/// - the `tool_result` lines answering its own Skill call and the tool calls of the
///   lines it owns.
///
/// It ends, before the line that ends it, at the first of:
/// 1. an assistant line of another API message that is not attributed to its skill
///    (attributed to another skill, or to none): the model has moved on;
/// 2. a `Skill` call in another API message (a nested or following skill); a line
///    attributed to the open skill that makes such a call is still the open
///    execution's (its usage counts there) before it ends it;
/// 3. a user line that is a new prompt: neither tool results nor text Claude Code
///    writes itself (`isMeta`, `sourceToolUseID`, `isCompactSummary`);
/// 4. the end of the file.
///
/// Other lines (the rest of the calling message, the skill's instructions Claude Code
/// adds as an `isMeta` line, results of tool calls the skill does not own, `system`
/// lines, unknown types) neither end an execution nor extend it. Skill calls in the
/// same API message run side by side; each owns the lines attributed to its name.
/// Sidechain lines (`isSidechain`) form a chain of their own, so a subagent's lines
/// interleaved in an older transcript do not end the main chain's execution.
///
/// A row's `skill_id` is the skill's name; `timestamp` the Skill call's; `execution_ms`
/// from there to the last timestamp of a line the execution owns; the token columns the
/// sums of `message.usage` over the messages it owns, each message counted once (keyed
/// by `message.id` and `requestId`; if its lines disagree, the largest value of each
/// field); `success` whether no owned `tool_result` has `is_error: true` (`error` then
/// holds the first failing tool and its message); `model` the owned messages' (else the
/// calling message's); `run_id` the Skill call's `tool_use` id; `source` `claude-code`;
/// `metadata` the count of owned API messages and tool calls, and whether it ran in a
/// sidechain. A subagent's tokens are not in the row of the skill that started it: its
/// lines are in another file, read as a stream of its own.
///
/// ## MCP tool calls
///
/// A `tool_use` named `mcp__<server>__<tool>` becomes a row `mcp:<server>/<tool>`
/// (the server is the text up to the first `__`) when its `tool_result` arrives:
/// `execution_ms` from the call's line to the result's, `success` unless the result has
/// `is_error: true`, `run_id` the `tool_use` id, `model` the calling message's.
/// Transcripts give no usage per tool call, so tokens are estimated with
/// ``TokenEstimate`` (4 bytes a token, rounded up) and `tokens_estimated` is set:
/// `tokens_out` from the UTF-8 bytes of the call's `input` JSON as written in the line,
/// `tokens_in` from the bytes of the result's text (its string content, or the `text`
/// of its text blocks; images are not counted). A call whose result never arrives is
/// ignored.
///
/// ## What is ignored
///
/// Transcripts are not ours to reject, so no line is ever `.invalid`; these are
/// counted as `.ignored`: lines of any type but `user` and `assistant`; lines that are
/// not JSON objects or lack a `message` object; lines too long to hold; Skill calls
/// without a name or an id and executions whose call has no timestamp; MCP calls
/// without a result or a timestamp. A file whose last line is cut short (still being
/// written) also leaves its open executions ignored rather than stored with partial
/// numbers under a run id that would block the complete row later. The rows derived
/// are checked like every import, and one that breaks a rule (a skill name over 200
/// characters, a token count beyond 64 bits) is `.skipped` at its call's line, with the
/// reason, rather than stopping the import. A file with no line that looks like Claude
/// Code's at all (a metrics file given to `--from claude-code`) is `.unrecognizedInput`.
///
/// Memory stays constant whatever the file's size: the reader holds the open
/// executions and the MCP calls awaiting a result, never the file.
struct ClaudeCodeReader: RecordReader {
    /// The `source` of every row.
    static let source = "claude-code"
    /// The longest error message kept from a failing tool result, in characters.
    static let maximumErrorLength = 500

    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        var lines = try input.lines()
        var transcript = Transcript()
        var holdsTranscriptLines = false
        while let line = try lines.next() {
            let location = SourceLocation(file: input.displayName, line: lines.lineNumber)
            if lines.lineNumber % 4_096 == 0 { progress(lines.bytesRead) }
            switch line {
            case .tooLong:
                try emit(.ignored(location))
            case .text(let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard let entry = TranscriptLine(parsing: Array(bytes)) else {
                    if lines.lastLineIsUnterminated { transcript.endsMidLine = true }
                    try emit(.ignored(location))
                    continue
                }
                if entry.isTranscriptLine { holdsTranscriptLines = true }
                try transcript.consume(entry, at: location, emit: emit)
            }
        }
        try transcript.finish(emit: emit)
        if !holdsTranscriptLines { try emit(.unrecognizedInput) }
        progress(lines.bytesRead)
    }
}

// MARK: - Transcript

/// The state of one file: the open executions of each chain, and the MCP calls
/// awaiting their results.
private struct Transcript {
    /// Whether the file's last line was cut short (the file is being written).
    var endsMidLine = false
    private var main = Chain()
    private var sidechain = Chain()
    private var pendingCalls: [String: MCPCall] = [:]

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
private struct Chain {
    private var callMessage = ""
    private var open: [SkillExecution] = []

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
            if completely, let metric = execution.metric() {
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

// MARK: - Skill executions

/// One skill execution being read.
private struct SkillExecution {
    let skill: String
    let runId: String
    let location: SourceLocation
    let start: Int64?
    let sessionId: String?
    let callingModel: String?
    let isSidechain: Bool
    private var end: Int64?
    private var model: String?
    /// Usage per API message (`message.id` and `requestId`), each counted once.
    private var usage: [String: TokenUsage] = [:]
    /// The tool calls it made (id → tool name), whose results belong to it.
    private var tools: [String: String]
    private var toolCalls = 0
    /// The first failing tool and its message; `nil` while none failed.
    private var failure: String?

    init(
        skill: String, runId: String, location: SourceLocation, start: Int64?, sessionId: String?,
        callingModel: String?, isSidechain: Bool
    ) {
        self.skill = skill
        self.runId = runId
        self.location = location
        self.start = start
        self.sessionId = sessionId
        self.callingModel = callingModel
        self.isSidechain = isSidechain
        end = start
        tools = [runId: "Skill"]
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
        for use in line.toolUses {
            guard let id = use.id, tools[id] == nil else { continue }
            tools[id] = use.name
            toolCalls += 1
        }
    }

    /// Adds the result of one of its tool calls.
    mutating func receive(_ result: ToolResult, in line: TranscriptLine) {
        extend(to: line.timestamp)
        guard result.isError, failure == nil else { return }
        let text = line.text(of: result)
        let tool = tools[result.toolUseId] ?? "tool"
        failure = String((text.isEmpty ? tool + " failed" : tool + ": " + text).prefix(ClaudeCodeReader.maximumErrorLength))
    }

    private mutating func extend(to timestamp: Int64?) {
        guard let timestamp else { return }
        end = max(end ?? timestamp, timestamp)
    }

    /// The row, or `nil` when the Skill call has no timestamp.
    func metric() -> SkillMetrics? {
        guard let start else { return nil }
        let total = usage.values.reduce(TokenUsage(), +)
        var metadata = #"{"messages":\#(usage.count),"tool_calls":\#(toolCalls)"#
        if isSidechain { metadata += #","sidechain":true"# }
        metadata += "}"
        return SkillMetrics(
            skillId: skill, executionMs: max(0, (end ?? start) - start), tokensIn: total.input,
            tokensOut: total.output, success: failure == nil, timestamp: start, model: model ?? callingModel, error: failure,
            tokensEstimated: false, cacheReadTokens: total.cacheRead, cacheCreationTokens: total.cacheCreation,
            sessionId: sessionId, runId: runId, source: ClaudeCodeReader.source, metadata: metadata)
    }
}

/// The `usage` of an API message.
private struct TokenUsage {
    var input: Int64 = 0
    var output: Int64 = 0
    var cacheRead: Int64 = 0
    var cacheCreation: Int64 = 0

    /// Keeps the larger value of each field (a message's lines may report growing counts).
    mutating func formMaximum(_ other: TokenUsage) {
        input = max(input, other.input)
        output = max(output, other.output)
        cacheRead = max(cacheRead, other.cacheRead)
        cacheCreation = max(cacheCreation, other.cacheCreation)
    }

    /// The sums, saturating rather than overflowing (validation reports absurd totals).
    static func + (left: TokenUsage, right: TokenUsage) -> TokenUsage {
        func add(_ a: Int64, _ b: Int64) -> Int64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? .max : sum
        }
        return TokenUsage(
            input: add(left.input, right.input), output: add(left.output, right.output),
            cacheRead: add(left.cacheRead, right.cacheRead), cacheCreation: add(left.cacheCreation, right.cacheCreation))
    }
}

// MARK: - MCP calls

/// An MCP tool call awaiting its result.
private struct MCPCall {
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

    /// The row of the call, answered by `result` at `end`.
    func metric(answeredBy result: ToolResult, in line: TranscriptLine, at end: Int64) -> SkillMetrics {
        let error = result.isError ? line.text(of: result) : nil
        return SkillMetrics(
            skillId: skillId, executionMs: max(0, end - start),
            tokensIn: TokenEstimate.tokens(inBytes: line.textBytes(of: result)),
            tokensOut: TokenEstimate.tokens(inBytes: inputBytes), success: !result.isError, timestamp: start,
            model: model,
            error: error.map { String(($0.isEmpty ? "failed" : $0).prefix(ClaudeCodeReader.maximumErrorLength)) },
            tokensEstimated: true, sessionId: sessionId, runId: id, source: ClaudeCodeReader.source)
    }
}

// MARK: - Lines

/// A `tool_use` block.
private struct ToolUse {
    var id: String?
    var name = ""
    /// For a `Skill` call, the skill's name.
    var skill: String?
    /// The UTF-8 bytes of its `input` JSON, as written.
    var inputBytes: Int64 = 0
}

/// A `tool_result` block.
private struct ToolResult {
    var toolUseId: String
    var isError: Bool
    /// Its `content`: a string, or an array of blocks.
    var content: JSONText.Value?
}

/// What the reader needs from one transcript line, read with ``JSONText`` in one walk
/// of the members it uses.
private struct TranscriptLine {
    enum Kind { case user, assistant, other }

    private let json: JSONText
    private(set) var kind = Kind.other
    /// Whether the line looks like one of Claude Code's, of any type: a string `type`
    /// and a member only transcript lines have (`uuid`, `sessionId`, `leafUuid`, `messageId`).
    private(set) var isTranscriptLine = false
    private(set) var timestamp: Int64?
    private(set) var isSidechain = false
    /// Whether Claude Code wrote a user line itself (`isMeta`, `sourceToolUseID`, `isCompactSummary`).
    private(set) var isGenerated = false
    private(set) var usage = TokenUsage()
    private(set) var toolUses: [ToolUse] = []
    private(set) var toolResults: [ToolResult] = []
    /// Whether a user line holds text or other blocks besides tool results.
    private var hasContent = false
    // Strings most lines never need are decoded only when asked for.
    private var sessionIdValue: JSONText.Value?
    private var attributionValue: JSONText.Value?
    private var requestIdValue: JSONText.Value?
    private var messageIdValue: JSONText.Value?
    private var modelValue: JSONText.Value?

    var sessionId: String? { sessionIdValue.flatMap(nonEmptyString) }
    /// The skill the line is attributed to.
    var attributionSkill: String? { attributionValue.flatMap(nonEmptyString).flatMap(Self.skillName) }
    /// `message.id` and `requestId`: the API message the line is part of.
    var messageKey: String? {
        guard let id = messageIdValue.flatMap(nonEmptyString) else { return nil }
        return id + "\u{1F}" + (requestIdValue.flatMap(nonEmptyString) ?? "")
    }
    /// `message.model`, unless it is Claude Code's `<synthetic>` (messages it writes itself).
    var model: String? {
        guard let value = modelValue, !json.matches(value, "<synthetic>") else { return nil }
        return nonEmptyString(value)
    }

    /// Whether a user line is a new prompt: not tool results, not written by Claude Code.
    var isPrompt: Bool { kind == .user && toolResults.isEmpty && hasContent && !isGenerated }

    /// Reads a line; `nil` when it is not a JSON object.
    ///
    /// The object is not checked by ``JSONText/root()`` first: walking its members
    /// checks every value passed over, and a separate pass would cost a quarter of
    /// the reading time. Only text after the closing brace (`{…} x}`) goes unchecked.
    init?(parsing bytes: [UInt8]) {
        json = JSONText(bytes)
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), bytes[first] == UInt8(ascii: "{"),
            let last = bytes.lastIndex(where: { !isSpace($0) }), bytes[last] == UInt8(ascii: "}"), last > first
        else { return nil }
        do {
            try read(JSONText.Value(kind: .object, start: first, end: last + 1))
        } catch {
            return nil
        }
    }

    /// The start of a tool result's text (its string, or its text blocks joined), on one
    /// line: enough for an error message, without decoding a long output whole.
    func text(of result: ToolResult) -> String {
        let limit = 4 * ClaudeCodeReader.maximumErrorLength
        var parts: [String] = []
        var length = 0
        forEachText(of: result) { value in
            guard length < limit, let text = try? json.string(json.prefix(of: value, bytes: limit)) else { return }
            parts.append(text)
            length += text.utf8.count
        }
        return parts.joined(separator: " ").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The UTF-8 bytes of a tool result's text, counted without decoding it.
    func textBytes(of result: ToolResult) -> Int64 {
        var count: Int64 = 0
        forEachText(of: result) { value in count += json.decodedByteCount(of: value) }
        return count
    }

    private func forEachText(of result: ToolResult, _ body: (JSONText.Value) -> Void) {
        guard let content = result.content else { return }
        if content.kind == .string {
            body(content)
            return
        }
        try? json.elements(of: content) { block in
            if block.kind == .string {
                body(block)
            } else if let type = try json.member("type", of: block), json.matches(type, "text"),
                let text = try json.member("text", of: block), text.kind == .string
            {
                body(text)
            }
        }
    }

    // MARK: Reading

    // Each walk reads a local copy of `json`, so that its closure may write `self`.

    private mutating func read(_ root: JSONText.Value) throws {
        let json = json
        var type: JSONText.Value?
        var message: JSONText.Value?
        var hasTranscriptMember = false
        try json.members(of: root) { key, value in
            if json.matches(key, "type") {
                type = value
            } else if json.matches(key, "message") {
                message = value
            } else if json.matches(key, "timestamp") {
                timestamp = readTimestamp(value)
            } else if json.matches(key, "sessionId") {
                sessionIdValue = value
                hasTranscriptMember = true
            } else if json.matches(key, "uuid") || json.matches(key, "leafUuid") || json.matches(key, "messageId") {
                hasTranscriptMember = true
            } else if json.matches(key, "isSidechain") {
                isSidechain = value.kind == .true
            } else if json.matches(key, "isMeta") || json.matches(key, "isCompactSummary") {
                if value.kind == .true { isGenerated = true }
            } else if json.matches(key, "sourceToolUseID") {
                if value.kind == .string { isGenerated = true }
            } else if json.matches(key, "attributionSkill") {
                attributionValue = value
            } else if json.matches(key, "requestId") {
                requestIdValue = value
            }
        }
        isTranscriptLine = type?.kind == .string && hasTranscriptMember
        guard let type, let message, message.kind == .object else { return }
        if json.matches(type, "assistant") {
            kind = .assistant
        } else if json.matches(type, "user") {
            kind = .user
        } else {
            return
        }
        try readMessage(message)
    }

    private mutating func readMessage(_ message: JSONText.Value) throws {
        let json = json
        var content: JSONText.Value?
        try json.members(of: message) { key, value in
            if json.matches(key, "content") {
                content = value
            } else if json.matches(key, "id") {
                messageIdValue = value
            } else if json.matches(key, "model") {
                modelValue = value
            } else if json.matches(key, "usage") {
                try readUsage(value)
            }
        }
        guard let content else { return }
        switch content.kind {
        case .string:
            hasContent = json.bytes[content.start..<content.end].contains { $0 != 0x20 }
        case .array:
            try json.elements(of: content) { block in try readBlock(block) }
        default:
            break
        }
    }

    private mutating func readUsage(_ usage: JSONText.Value) throws {
        let json = json
        try json.members(of: usage) { key, value in
            let count = max(0, json.int64(value) ?? 0)
            if json.matches(key, "input_tokens") {
                self.usage.input = count
            } else if json.matches(key, "output_tokens") {
                self.usage.output = count
            } else if json.matches(key, "cache_read_input_tokens") {
                self.usage.cacheRead = count
            } else if json.matches(key, "cache_creation_input_tokens") {
                self.usage.cacheCreation = count
            }
        }
    }

    private mutating func readBlock(_ block: JSONText.Value) throws {
        let json = json
        guard block.kind == .object else {
            hasContent = true
            return
        }
        var type: JSONText.Value?
        var id: String?
        var name: String?
        var input: JSONText.Value?
        var toolUseId: String?
        var isError = false
        var content: JSONText.Value?
        try json.members(of: block) { key, value in
            if json.matches(key, "type") {
                type = value
            } else if json.matches(key, "id") {
                id = nonEmptyString(value)
            } else if json.matches(key, "name") {
                name = nonEmptyString(value)
            } else if json.matches(key, "input") {
                input = value
            } else if json.matches(key, "tool_use_id") {
                toolUseId = nonEmptyString(value)
            } else if json.matches(key, "is_error") {
                isError = value.kind == .true
            } else if json.matches(key, "content") {
                content = value
            }
        }
        guard let type else {
            hasContent = true
            return
        }
        if json.matches(type, "tool_use"), kind == .assistant, let name {
            var use = ToolUse(id: id, name: name)
            if let input, input.kind == .object {
                use.inputBytes = Int64(input.end - input.start)
                if name == "Skill" { use.skill = try skillName(in: input) }
            }
            toolUses.append(use)
        } else if json.matches(type, "tool_result"), let toolUseId {
            toolResults.append(ToolResult(toolUseId: toolUseId, isError: isError, content: content))
        } else {
            hasContent = true
        }
    }

    /// The skill a `Skill` call names: `input.skill`, or the first word of `input.command`.
    private func skillName(in input: JSONText.Value) throws -> String? {
        if let skill = try json.member("skill", of: input), let name = nonEmptyString(skill) {
            return Self.skillName(name)
        }
        if let command = try json.member("command", of: input), let text = nonEmptyString(command),
            let word = text.split(separator: " ").first
        {
            return Self.skillName(String(word))
        }
        return nil
    }

    /// A skill's name without surrounding spaces or a leading `/`; `nil` if nothing is left.
    private static func skillName(_ text: String) -> String? {
        var name = Substring(text.trimmingCharacters(in: .whitespaces))
        if name.hasPrefix("/") { name = name.dropFirst() }
        return name.isEmpty ? nil : String(name)
    }

    /// A string value's text; `nil` for another kind, an empty string or text that is not UTF-8.
    private func nonEmptyString(_ value: JSONText.Value) -> String? {
        guard value.kind == .string, value.end > value.start else { return nil }
        return try? json.string(value)
    }

    private func readTimestamp(_ value: JSONText.Value) -> Int64? {
        switch value.kind {
        case .string:
            if !value.hasEscapes, let milliseconds = TimestampParser.dateTimeMilliseconds(json.bytes[value.start..<value.end]) {
                return TranscriptTime.plausible(milliseconds)
            }
            guard let text = try? json.string(value) else { return nil }
            return (try? TimestampParser.unixMilliseconds(from: text)).flatMap(TranscriptTime.plausible)
        case .number:
            return json.int64(value).flatMap(TranscriptTime.plausible)
        default:
            return nil
        }
    }
}

// MARK: - Rows

extension ImportItem {
    /// A row derived from a transcript, or, when it breaks a validation rule (an absurd
    /// token count, say), the row skipped with the reason: a transcript is not ours to
    /// reject, so one bad line never stops an import.
    fileprivate static func transcriptRow(_ metric: SkillMetrics, at location: SourceLocation) -> ImportItem {
        guard let problem = metric.validationProblem else { return .metric(metric, location) }
        return .skipped(location, "row skipped: \(problem)")
    }
}

// MARK: - JSON helpers

extension JSONText {
    /// The UTF-8 bytes a string value decodes to, counted in place. (Lone surrogates
    /// count as U+FFFD, as ``string(_:)`` decodes them.)
    fileprivate func decodedByteCount(of value: Value) -> Int64 {
        guard value.hasEscapes else { return Int64(value.end - value.start) }
        var count: Int64 = 0
        var index = value.start
        while index < value.end {
            guard bytes[index] == UInt8(ascii: "\\") else {
                count += 1
                index += 1
                continue
            }
            guard bytes[index + 1] == UInt8(ascii: "u") else {
                count += 1
                index += 2
                continue
            }
            let code = hexValue(at: index + 2)
            if (0xD800...0xDBFF).contains(code), index + 12 <= value.end, bytes[index + 6] == UInt8(ascii: "\\"),
                bytes[index + 7] == UInt8(ascii: "u"), (0xDC00...0xDFFF).contains(hexValue(at: index + 8))
            {
                count += 4
                index += 12
                continue
            }
            count += code < 0x80 ? 1 : code < 0x800 ? 2 : 3
            index += 6
        }
        return count
    }

    /// A string value cut after about `limit` bytes of its text, between characters
    /// (never inside an escape or a UTF-8 sequence).
    fileprivate func prefix(of value: Value, bytes limit: Int) -> Value {
        guard value.end - value.start > limit else { return value }
        var index = value.start
        while index < value.end, index - value.start < limit {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += bytes[index + 1] == UInt8(ascii: "u") ? 6 : 2
            } else {
                index += byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            }
        }
        var cut = value
        cut.end = min(index, value.end)
        return cut
    }
}

// MARK: - Timestamps

/// The range of transcript timestamps (read by ``TimestampParser``) that the reader accepts.
private enum TranscriptTime {
    /// 10000-01-01T00:00:00Z: later instants are refused, so durations cannot overflow.
    static let latest: Int64 = 253_402_300_800_000

    /// A timestamp in range, else `nil`.
    static func plausible(_ milliseconds: Int64) -> Int64? {
        (0..<latest).contains(milliseconds) ? milliseconds : nil
    }
}
