import Foundation

/// The attributes the reader maps; every other one is skipped unread.
struct SpanAttributes {
    var operationName: String?
    var toolName: String?
    var agentName: String?
    var requestModel: String?
    var responseModel: String?
    var conversationId: String?
    var sessionId: String?
    var errorType: String?
    /// `exception.type` and `exception.message`: on an `exception` event, where OpenTelemetry
    /// records them, or on the span itself, as older SDKs did.
    var exception = SpanException()
    var usage = Usage()
    /// `gen_ai.aggregated_usage.*`: the totals of an agent's run that pydantic-ai puts on its `invoke_agent` span.
    var aggregatedUsage = Usage()

    // `skill_forge.*` overrides: `nil` when absent, `.some(nil)` when given as empty (NULL).
    var version: String??
    var tokensEstimated: Bool??
    var runId: String??
    var source: String??
    var metadata: String??
    var error: String??
    var executionMs: Int64??
    /// `skill_forge.cost_usd`: the run's cost, absent when unknown.
    var costUsd: Double?

    /// The first malformed value of a mapped attribute.
    var problem: String?

    /// Reads an `attributes` array of `{"key": …, "value": {…}}` objects.
    mutating func read(_ list: inout JSONCursor) throws {
        let text = list.text
        try list.elements { _, attribute in
            var key: JSONText.Value?
            var value: JSONText.Value?
            attribute.members { name, member in
                if text.matches(name, "key") {
                    key = member.value()
                } else if text.matches(name, "value") {
                    value = member.value()
                }
            }
            guard let key, let name = AttributeKey.find(key, in: text) else { return }
            set(name, to: try AttributeValue(value, in: text))
        }
    }

    /// Interprets one mapped attribute, whatever encoding it was read from (OTLP JSON or protobuf).
    mutating func set(_ name: AttributeKey, to attribute: AttributeValue) {
        let key = name.rawValue
        func string() -> String? {
            let result = attribute.text
            if result == nil, !attribute.isEmpty { note("\(key) \(attribute.shown): should be a string") }
            return result
        }
        func count() -> Int64? {
            let result = attribute.integer
            if result == nil { note("\(key) \(attribute.shown): not a whole number") }
            return result
        }
        func override<T>(_ read: () -> T?) -> T?? {
            attribute.isEmpty ? .some(nil) : .some(read())
        }
        switch name {
        case .operationName: operationName = string()
        case .toolName: toolName = string()
        case .agentName: agentName = string()
        case .requestModel: requestModel = string()
        case .responseModel: responseModel = string()
        case .conversationId: conversationId = string()
        case .sessionId: sessionId = string()
        case .errorType: errorType = string().flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        case .exceptionType: exception.type = string()
        case .exceptionMessage: exception.message = string()
        case .inputTokens: usage.input = usage.count(key, attribute)
        case .outputTokens: usage.output = usage.count(key, attribute)
        case .cacheReadTokens: usage.cacheRead = usage.count(key, attribute)
        case .cacheCreationTokens: usage.cacheCreation = usage.count(key, attribute)
        case .aggregatedInputTokens: aggregatedUsage.input = aggregatedUsage.count(key, attribute)
        case .aggregatedOutputTokens: aggregatedUsage.output = aggregatedUsage.count(key, attribute)
        case .version: version = override(string)
        case .runId: runId = override(string)
        case .source: source = override(string)
        case .metadata: metadata = override(string)
        case .error: error = override(string)
        case .executionMs: executionMs = override(count)
        case .costUsd:
            costUsd = attribute.real
            if costUsd == nil, !attribute.isEmpty { note("\(key) \(attribute.shown): not a number") }
        case .tokensEstimated:
            tokensEstimated = override {
                if case .boolean(let flag) = attribute { return flag }
                note("\(key) \(attribute.shown): should be a boolValue")
                return nil
            }
        }
    }

    private mutating func note(_ message: String) {
        if problem == nil { problem = message }
    }
}

/// The attribute keys the reader maps.
enum AttributeKey: String, CaseIterable {
    case operationName = "gen_ai.operation.name"
    case toolName = "gen_ai.tool.name"
    case agentName = "gen_ai.agent.name"
    case requestModel = "gen_ai.request.model"
    case responseModel = "gen_ai.response.model"
    case conversationId = "gen_ai.conversation.id"
    case sessionId = "session.id"
    case errorType = "error.type"
    case exceptionType = "exception.type"
    case exceptionMessage = "exception.message"
    case inputTokens = "gen_ai.usage.input_tokens"
    case outputTokens = "gen_ai.usage.output_tokens"
    case cacheReadTokens = "gen_ai.usage.cache_read.input_tokens"
    case cacheCreationTokens = "gen_ai.usage.cache_creation.input_tokens"
    case aggregatedInputTokens = "gen_ai.aggregated_usage.input_tokens"
    case aggregatedOutputTokens = "gen_ai.aggregated_usage.output_tokens"
    case version = "skill_forge.version"
    case runId = "skill_forge.run_id"
    case source = "skill_forge.source"
    case metadata = "skill_forge.metadata"
    case error = "skill_forge.error"
    case executionMs = "skill_forge.execution_ms"
    case tokensEstimated = "skill_forge.tokens_estimated"
    case costUsd = "skill_forge.cost_usd"

    /// The keys and their bytes by length, to find a key without decoding it.
    private static let byLength: [[(key: AttributeKey, bytes: [UInt8])]] = {
        var table = [[(key: AttributeKey, bytes: [UInt8])]](repeating: [], count: 64)
        for key in allCases { table[key.rawValue.utf8.count].append((key, Array(key.rawValue.utf8))) }
        return table
    }()

    /// The key the string `value` names, if it is one the reader maps.
    static func find(_ value: JSONText.Value, in text: JSONText) -> AttributeKey? {
        guard value.kind == .string else { return nil }
        if value.hasEscapes { return (try? text.string(value)).flatMap(AttributeKey.init(rawValue:)) }
        let length = value.end - value.start
        guard length < byLength.count else { return nil }
        return byLength[length].first { candidate in candidate.bytes.withUnsafeBytes { text.matches(value, utf8: $0) } }?.key
    }

    /// The key `name` is, if it is one the reader maps (`init(rawValue:)` compares it with every key in turn).
    static func find(_ name: String) -> AttributeKey? {
        var name = name
        return name.withUTF8 { name in
            guard name.count < byLength.count else { return nil }
            return byLength[name.count].first { candidate in candidate.bytes.elementsEqual(name) }?.key
        }
    }
}

/// An attribute's `AnyValue`, for the kinds the mapping uses.
enum AttributeValue {
    case string(String)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)
    /// No value at all (`"value": {}`): NULL.
    case empty
    /// A value of another kind (array, kvlist, bytes) or a malformed one, as its JSON text.
    case other(String)

    init(_ value: JSONText.Value?, in text: JSONText) throws {
        self = .empty
        guard let value, value.kind == .object else {
            if let value, value.kind != .null { self = .other(text.describe(value)) }
            return
        }
        var result = AttributeValue.empty
        var cursor = JSONCursor(text, at: value)
        try cursor.members { key, found in
            let member = found.value()
            if text.matches(key, "stringValue") {
                result = member.kind == .string ? .string(try text.string(member)) : .other(text.describe(member))
            } else if text.matches(key, "intValue") {
                result = try OTLPNumber.signed(member, in: text).map(AttributeValue.integer) ?? .other(text.describe(member))
            } else if text.matches(key, "doubleValue") {
                result = text.double(member).map(AttributeValue.double) ?? .other(text.describe(member))
            } else if text.matches(key, "boolValue") {
                switch member.kind {
                case .true: result = .boolean(true)
                case .false: result = .boolean(false)
                default: result = .other(text.describe(member))
                }
            } else {
                result = .other(text.describe(member))
            }
        }
        self = result
    }

    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }

    /// The value as text: a string, or a number written as text.
    var text: String? {
        switch self {
        case .string(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The value as a whole number: an `intValue`, a whole `doubleValue`, or a string of digits.
    var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .double(let value): value.rounded() == value ? Int64(exactly: value) : nil
        case .string(let text): Int64(text)
        default: nil
        }
    }

    /// The value as a number: a `doubleValue`, an `intValue`, or a string in decimal (``Double/init(decimalText:)``).
    var real: Double? {
        switch self {
        case .double(let value): value
        case .integer(let value): Double(value)
        case .string(let text): Double(decimalText: text)
        default: nil
        }
    }

    /// How messages show the value.
    var shown: String {
        switch self {
        case .string(let text): text.debugDescription
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .boolean(let value): String(value)
        case .empty: "(empty)"
        case .other(let text): text
        }
    }
}
