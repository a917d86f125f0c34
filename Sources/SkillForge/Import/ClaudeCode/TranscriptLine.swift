import Foundation

/// A `tool_use` block.
struct ToolUse {
    var id: String?
    var name = ""
    /// For a `Skill` call, the skill's name.
    var skill: String?
    /// The UTF-8 bytes of its `input` JSON, as written.
    var inputBytes: Int64 = 0
}

/// A `tool_result` block.
struct ToolResult {
    var toolUseId: String
    var isError: Bool
    /// Its `content`: a string, or an array of blocks.
    var content: JSONText.Value?
}

/// What the reader needs from one transcript line, read with ``JSONText`` in one walk
/// of the members it uses.
struct TranscriptLine {
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
    /// Whether the line is `isMeta`: text Claude Code adds to the conversation, such as a skill's instructions.
    private(set) var isMeta = false
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
    private var typeValue: JSONText.Value?
    private var uuidValue: JSONText.Value?
    private var parentUuidValue: JSONText.Value?
    private var contentValue: JSONText.Value?

    var sessionId: String? { sessionIdValue.flatMap(nonEmptyString) }
    var uuid: String? { uuidValue.flatMap(nonEmptyString) }
    var parentUuid: String? { parentUuidValue.flatMap(nonEmptyString) }

    /// The skill or command a prompt typed as `/name` ran: Claude Code writes the prompt as
    /// `<command-message>name</command-message>\n<command-name>/name</command-name>`.
    var slashCommand: String? {
        guard kind == .user, let text = leadingText(bytes: 4_096),
            let open = text.range(of: "<command-name>/"),
            let close = text.range(of: "</command-name>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return Self.skillName(String(text[open.upperBound..<close.lowerBound]))
    }

    /// Whether the line is the skill's instructions that Claude Code adds when a skill is launched
    /// ("Base directory for this skill: …"), by the Skill tool or by a `/name` prompt.
    var isSkillInstructions: Bool {
        kind == .user && isMeta && leadingText(bytes: 64)?.hasPrefix("Base directory for this skill:") == true
    }
    /// What a line that is no message is, for the import's summary: `progress line`,
    /// `system line`, `odd-shaped user line`.
    var otherKind: IgnoredKind {
        guard let type = typeValue.flatMap(nonEmptyString), type.utf8.count <= 40,
            type.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return .untypedLine }
        if type == "user" || type == "assistant" { return IgnoredKind("odd-shaped \(type) line") }
        return IgnoredKind("\(type) line")
    }
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

    /// The start of the message's text: its string content, or its first text block; at most `bytes` of it.
    private func leadingText(bytes: Int) -> String? {
        guard let content = contentValue else { return nil }
        var first: JSONText.Value?
        Self.forEachText(in: content, of: json) { value in if first == nil { first = value } }
        guard let first else { return nil }
        return try? json.string(json.prefix(of: first, bytes: bytes))
    }

    private func forEachText(of result: ToolResult, _ body: (JSONText.Value) -> Void) {
        guard let content = result.content else { return }
        Self.forEachText(in: content, of: json, body)
    }

    /// Calls `body` with a content's string, or with each string block and `text` of its text blocks.
    private static func forEachText(in content: JSONText.Value, of json: JSONText, _ body: (JSONText.Value) -> Void) {
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
                timestamp = json.timestamp(value)
            } else if json.matches(key, "sessionId") {
                sessionIdValue = value
                hasTranscriptMember = true
            } else if json.matches(key, "uuid") {
                uuidValue = value
                hasTranscriptMember = true
            } else if json.matches(key, "parentUuid") {
                parentUuidValue = value
            } else if json.matches(key, "leafUuid") || json.matches(key, "messageId") {
                hasTranscriptMember = true
            } else if json.matches(key, "isSidechain") {
                isSidechain = value.kind == .true
            } else if json.matches(key, "isMeta") {
                if value.kind == .true { (isGenerated, isMeta) = (true, true) }
            } else if json.matches(key, "isCompactSummary") {
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
        typeValue = type
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
        contentValue = content
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

    private func nonEmptyString(_ value: JSONText.Value) -> String? { json.nonEmptyString(value) }
}
