import Crypto
import Foundation

/// Reads the attributes of one Claude Code event, with the types its monitoring
/// reference gives them and the leniency of real exporters: numbers as
/// `intValue`, `doubleValue` or decimal text, flags as `boolValue` or
/// `"true"`/`"false"`. A value of the wrong kind is an ``AttributeProblem``.
struct EventAttributes {
    let record: OTLPLogRecord
    /// The event's name, without `claude_code.`.
    let name: String
    /// The key of the event's identity (``OTLPLogRecord/identityKey(eventName:)``).
    let eventKey: Int64

    init(_ record: OTLPLogRecord, name: String) {
        self.record = record
        self.name = name
        eventKey = record.identityKey(eventName: name)
    }

    // MARK: - Values

    /// A text attribute (a number is taken as its decimal text); `nil` when absent or empty.
    func text(_ key: String) throws(AttributeProblem) -> String? {
        switch record.attribute(key) {
        case nil, .empty: return nil
        case .string(let text): return text.isEmpty ? nil : text
        case .int(let number): return String(number)
        case let value?: throw AttributeProblem(key, "\(Self.shown(value)): should be a string")
        }
    }

    /// A whole number: an `intValue`, a whole `doubleValue`, or decimal digits as text.
    func whole(_ key: String) throws(AttributeProblem) -> Int64? {
        switch record.attribute(key) {
        case nil, .empty: return nil
        case .int(let number): return number
        case .double(let number) where number.rounded() == number:
            if let whole = Int64(exactly: number) { return whole }
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            if let whole = Int64(decimalText: trimmed) { return whole }
        default: break
        }
        throw AttributeProblem(key, "\(Self.shown(record.attribute(key))): not a whole number")
    }

    /// A number: a `doubleValue`, an `intValue`, or a decimal number as text.
    func number(_ key: String) throws(AttributeProblem) -> Double? {
        switch record.attribute(key) {
        case nil, .empty: return nil
        case .double(let number): return number
        case .int(let number): return Double(number)
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            if let number = Double(decimalText: trimmed) { return number }
        default: break
        }
        throw AttributeProblem(key, "\(Self.shown(record.attribute(key))): not a number")
    }

    /// A flag: a `boolValue`, or `"true"`/`"false"` (Claude Code's way), `1`/`0`.
    func flag(_ key: String) throws(AttributeProblem) -> Bool? {
        switch record.attribute(key) {
        case nil, .empty: return nil
        case .bool(let flag): return flag
        case .int(1): return true
        case .int(0): return false
        case .string(let text):
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: break
            }
        default: break
        }
        throw AttributeProblem(key, "\(Self.shown(record.attribute(key))): should be \"true\" or \"false\"")
    }

    // MARK: - Times

    /// When the event happened, in Unix milliseconds: `time_unix_nano`, else the
    /// `event.timestamp` attribute (ISO 8601), else `observed_time_unix_nano`.
    func time() throws(AttributeProblem) -> Int64 {
        if record.timeUnixNano > 0 { return Int64(record.timeUnixNano / 1_000_000) }
        if let timestamp = try text("event.timestamp") {
            do {
                return try TimestampParser.unixMilliseconds(from: timestamp)
            } catch {
                throw AttributeProblem("event.timestamp", "\(timestamp.debugDescription): \(error.problem ?? "not an ISO 8601 time")")
            }
        }
        if record.observedTimeUnixNano > 0 { return Int64(record.observedTimeUnixNano / 1_000_000) }
        throw AttributeProblem(nil, "the event has no time (timeUnixNano, event.timestamp or observedTimeUnixNano)")
    }

    /// The span of an event logged as something completes: from its time minus `duration_ms`
    /// (rounded to the millisecond) to its time.
    func span() throws(AttributeProblem) -> (start: Int64, end: Int64) {
        guard let duration = try number("duration_ms") else { throw AttributeProblem("duration_ms", "is missing") }
        guard duration >= 0, duration <= Double(MetricLimits.maximumExecutionMs), let milliseconds = Int64(exactly: duration.rounded())
        else {
            throw AttributeProblem(
                "duration_ms", "\(Self.shown(record.attribute("duration_ms"))): must be from 0 to \(MetricLimits.maximumExecutionMs) (30 days)")
        }
        let end = try time()
        return (end - milliseconds, end)
    }

    // MARK: - Tool details

    /// The members of `tool_parameters`, a JSON object written as a string (sent with `OTEL_LOG_TOOL_DETAILS=1`).
    func parameters() throws(AttributeProblem) -> JSONMembers? {
        guard let text = try text("tool_parameters") else { return nil }
        guard let members = JSONMembers(text) else { throw AttributeProblem("tool_parameters", "\(text.debugDescription): not a JSON object") }
        return members
    }

    /// The members of `tool_input`, when it is a whole JSON object (Claude Code cuts long inputs short).
    func toolInput() -> JSONMembers? {
        (try? text("tool_input")).flatMap { $0.flatMap(JSONMembers.init) }
    }

    // MARK: - Runs

    /// The run of a skill in the event's prompt: `claude-code:<session.id>:<prompt.id>:<skill>`,
    /// or `nil` without a session or prompt id.
    func promptRunId(skill: String) -> String? {
        guard let session = try? text("session.id"), let prompt = try? text("prompt.id") else { return nil }
        return Self.runId("claude-code:\(session):\(prompt):\(skill)")
    }

    /// The run of one tool call: `claude-code:<session.id>:<tool_use_id>` (the event's key in hex without a tool-use id).
    func callRunId() -> String {
        let session = (try? text("session.id")) ?? ""
        let call = (try? text("tool_use_id")) ?? String(UInt64(bitPattern: eventKey), radix: 16)
        return Self.runId("claude-code:\(session):\(call)")
    }

    /// `id`, or when it is longer than a run id may be, `claude-code:sha256:` and the first 128 bits of its SHA-256 in hex.
    private static func runId(_ id: String) -> String {
        guard id.count > MetricLimits.maximumNameLength else { return id }
        return "claude-code:sha256:" + Hex.string(SHA256.hash(data: Array(id.utf8)).prefix(16))
    }

    /// The event as a contribution to `runId`.
    func contribution(
        runId: String, skillId: String, start: Int64, end: Int64, succeeded: Bool? = nil, error: String? = nil,
        usage: RunContribution.Usage? = nil, cost: Double? = nil, model: String? = nil
    ) -> RunContribution {
        RunContribution(
            eventKey: eventKey, runId: runId, skillId: skillId, event: name, start: start, end: end,
            succeeded: succeeded, error: error, usage: usage, costUsd: cost, model: model,
            sessionId: try? text("session.id"), source: ClaudeCodeEvent.source)
    }

    /// How messages show a value.
    private static func shown(_ value: TelemetryValue?) -> String {
        switch value {
        case .string(let text): text.debugDescription
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        case .bytes(let data): "\(data.count) bytes"
        case .array: "an array"
        case .keyValues: "a key-value list"
        case .empty, nil: "(empty)"
        }
    }
}

/// A malformed attribute of a Claude Code event.
struct AttributeProblem: Error, CustomStringConvertible {
    var field: String?
    var description: String

    init(_ field: String?, _ problem: String) {
        self.field = field
        description = field.map { "\($0) \(problem)" } ?? problem
    }
}

/// The top-level text members of a JSON object written as a string (`tool_parameters`).
struct JSONMembers {
    private var members: [String: String] = [:]

    /// The members of `text`, or `nil` when it is not a JSON object.
    init?(_ text: String) {
        let json = JSONText(Array(text.utf8))
        guard let root = try? json.root(), root.kind == .object else { return nil }
        try? json.members(of: root) { key, value in
            if value.kind == .string, let name = try? json.string(key) { members[name] = try json.string(value) }
        }
    }

    /// A member's text, `nil` when absent, not text or empty.
    func text(_ key: String) -> String? {
        members[key].flatMap { $0.isEmpty ? nil : $0 }
    }
}
