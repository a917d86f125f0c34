import Foundation

/// Other agents' session logs, which `import` recognises in order to say what a
/// file is, rather than "line 1: missing skill_id" or "imported 0 of 0 records".
/// Those Skill Forge reads (``importFormat``) are detected as their format; the others
/// are refused, naming what they are.
///
/// ```swift
/// ForeignAgentLog(head: Data(#"{"type":"session_meta","payload":{}}"#.utf8))   // .codex
/// ```
enum ForeignAgentLog: Equatable {
    /// OpenAI Codex CLI: `~/.codex/sessions/…/rollout-*.jsonl`, first line `"type": "session_meta"`.
    case codex
    /// Gemini CLI: a JSON document with `sessionId` and `messages`, or JSON Lines whose header has `sessionId` and `projectHash`.
    case gemini
    /// GitHub Copilot CLI: `events.jsonl`, lines `"type": "session.start"` … with `data`.
    case copilot
    /// Cursor's agent transcripts: lines with `role` and `message` and no `type`.
    case cursor
    /// OpenCode: one JSON file per message part, with `sessionID` and `messageID`.
    case openCode

    /// What the file is, as an error says it.
    var description: String {
        switch self {
        case .codex: "an OpenAI Codex CLI rollout"
        case .gemini: "a Gemini CLI session"
        case .copilot: "a GitHub Copilot CLI events file"
        case .cursor: "a Cursor agent transcript"
        case .openCode: "an OpenCode session part"
        }
    }

    /// The format that reads such a log, if Skill Forge has one.
    var importFormat: ImportFormat? {
        switch self {
        case .codex: .codex
        case .gemini: .gemini
        case .copilot, .cursor, .openCode: nil
        }
    }

    /// The problem an import of such a file in another format reports: the `--from` to use,
    /// or that Skill Forge does not read it.
    var problem: String {
        if let importFormat { return "is \(description): use --from \(importFormat.rawValue)" }
        return "is \(description), which Skill Forge does not import yet (it imports metric JSONL, CSV, "
            + "OTLP JSON traces and logs, Claude Code transcripts, OpenAI Codex CLI rollouts and Gemini CLI sessions)"
    }

    /// Recognises a log from the beginning of its file: its first line when that is a
    /// whole JSON object, else (a pretty-printed document) the keys in `head`.
    init?(head: Data) {
        let start = head.firstIndex { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) } ?? head.endIndex
        let lineEnd = head[start...].firstIndex(of: UInt8(ascii: "\n")) ?? head.endIndex
        let text = JSONText(Array(head[start..<lineEnd]))
        if let root = try? text.root(), root.kind == .object {
            self.init(firstObject: root, in: text)
        } else {
            let has = { (key: String) in head.range(of: Data("\"\(key)\"".utf8)) != nil }
            guard has("messages") && (has("sessionId") || has("projectHash") || has("lastUpdated")) else { return nil }
            self = .gemini
        }
    }

    private init?(firstObject root: JSONText.Value, in text: JSONText) {
        let member = { (name: String) in (try? text.member(name, of: root)) ?? nil }
        let type = member("type").flatMap { $0.kind == .string ? try? text.string($0) : nil }
        if type == "session_meta" && member("payload") != nil {
            self = .codex
        } else if let type, type.hasPrefix("session."), member("data") != nil {
            self = .copilot
        } else if member("sessionId") != nil && member("projectHash") != nil {
            self = .gemini
        } else if member("sessionID") != nil && member("messageID") != nil {
            self = .openCode
        } else if type == nil && member("role") != nil && member("message") != nil {
            self = .cursor
        } else {
            return nil
        }
    }
}
