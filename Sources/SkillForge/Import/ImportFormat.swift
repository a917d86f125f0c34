import Foundation

/// The formats `skill-forge import` reads.
public enum ImportFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// One metric per line as a JSON object (the seed's camelCase or the table's snake_case names).
    case jsonl
    /// A header row naming the same fields as JSONL, then one metric per row (RFC 4180).
    case csv
    /// OpenTelemetry traces in OTLP's JSON encoding: one `TracesData` document, or one per line.
    case otlp
    /// Claude Code's telemetry: OpenTelemetry logs in OTLP's JSON encoding, one `LogsData` document or one per line.
    case otlpLogs = "otlp-logs"
    /// Claude Code session transcripts (`~/.claude/projects/**/*.jsonl`).
    case claudeCode = "claude-code"
    /// OpenAI Codex CLI rollouts (`~/.codex/sessions/**/rollout-*.jsonl`).
    case codex
    /// Gemini CLI sessions (`~/.gemini/tmp/<project>/chats/session-*.json`, and the JSONL form).
    case gemini

    /// The format in words, for messages: `metric JSONL`, `CSV`.
    var displayName: String {
        switch self {
        case .jsonl: "metric JSONL"
        case .csv: "CSV"
        case .otlp: "OTLP JSON traces"
        case .otlpLogs: "OTLP JSON logs"
        case .claudeCode: "Claude Code transcripts"
        case .codex: "OpenAI Codex CLI rollouts"
        case .gemini: "Gemini CLI sessions"
        }
    }

    /// What a file read in this format holds at least one of, for the error of a file that holds none:
    /// `Claude Code transcript line`. `nil` for formats whose every line must be theirs.
    var recordName: String? {
        switch self {
        case .claudeCode: "Claude Code transcript line"
        case .codex: "OpenAI Codex CLI rollout line"
        case .gemini: "Gemini CLI session"
        case .jsonl, .csv, .otlp, .otlpLogs: nil
        }
    }

    /// Guesses the format of a file from its first non-empty line.
    ///
    /// A line starting with `{` is OTLP traces when it holds `resourceSpans`, OTLP
    /// logs when it holds `resourceLogs`, a
    /// Claude Code transcript when it looks like a transcript line (see
    /// ``isTranscriptLine(_:)``), and metric JSONL otherwise; anything else is CSV.
    public static func detect(firstLine: String) -> ImportFormat {
        let line = firstLine.trimmingCharacters(in: .whitespaces)
        guard line.hasPrefix("{") else { return .csv }
        if line.contains("\"resourceSpans\"") { return .otlp }
        if line.contains("\"resourceLogs\"") { return .otlpLogs }
        return isTranscriptLine(line) ? .claudeCode : .jsonl
    }

    /// Whether a JSON line is a Claude Code transcript line.
    ///
    /// Transcripts start with many kinds of lines (`summary` and
    /// `file-history-snapshot` lines have no `sessionId`), so the test is: a
    /// top-level string `type`, a member only transcript lines have (`uuid`,
    /// `sessionId`, `leafUuid`, `messageId`), and no `skill_id` or `skillId`, which
    /// every metric line has (a metric line may well have a `sessionId`). A line
    /// that is not JSON (cut short, say) falls back to looking for a `sessionId`
    /// and a `type` of the usual kinds in its text.
    static func isTranscriptLine(_ line: String) -> Bool {
        let text = JSONText(Array(line.utf8))
        guard let root = try? text.root(), root.kind == .object else {
            return line.contains("\"sessionId\"")
                && ["user", "assistant", "summary", "system", "queue-operation", "file-history-snapshot"].contains {
                    line.contains("\"type\":\"\($0)\"") || line.contains("\"type\": \"\($0)\"")
                }
        }
        var hasType = false
        var hasTranscriptMember = false
        var hasSkillId = false
        try? text.members(of: root) { key, value in
            if text.equals(key, "type") {
                hasType = value.kind == .string
            } else if ["uuid", "sessionId", "leafUuid", "messageId"].contains(where: { text.equals(key, $0) }) {
                hasTranscriptMember = true
            } else if text.equals(key, "skill_id") || text.equals(key, "skillId") {
                hasSkillId = true
            }
        }
        return hasType && hasTranscriptMember && !hasSkillId
    }
}
