import Foundation

/// A field value as JSONL and CSV carry it.
enum FieldValue {
    case text(String)
    case integer(Int64)
    case number(Double)
    case boolean(Bool)
    /// A JSON object or array, as its text.
    case json(String)
    case null

    /// How a message shows the value.
    var shown: String {
        switch self {
        case .text(let text): text.debugDescription
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .boolean(let value): String(value)
        case .json(let text): text.count > 40 ? String(text.prefix(37)) + "..." : text
        case .null: "null"
        }
    }
}

/// Builds a ``SkillMetrics`` from named fields: the seed's camelCase names
/// (`skillId`, `executionMs`, …) or the table's snake_case ones (`skill_id`,
/// `execution_ms`, …), as JSONL objects and CSV headers name them.
///
/// The problems it reports name the field and the value, as validation does:
/// `tokens_in "12x": not a whole number`.
struct MetricFields {
    /// The column each accepted name stands for.
    static let columns: [String: String] = {
        var columns: [String: String] = [:]
        for column in [
            "id", "skill_id", "execution_ms", "tokens_in", "tokens_out", "success", "timestamp", "version", "model",
            "error", "tokens_estimated", "cache_read_tokens", "cache_creation_tokens", "session_id", "run_id",
            "source", "metadata",
        ] {
            columns[column] = column
            columns[camelCase(column)] = column
        }
        return columns
    }()

    /// The required columns.
    static let required = ["skill_id", "execution_ms", "tokens_in", "tokens_out", "success", "timestamp"]

    private static func camelCase(_ snake: String) -> String {
        let parts = snake.split(separator: "_")
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
    }

    private var values: [String: FieldValue] = [:]

    /// Sets a field by any accepted name; unknown names are ignored.
    ///
    /// - Returns: Whether the name is a known field.
    @discardableResult
    mutating func set(_ name: String, _ value: FieldValue) -> Bool {
        guard let column = Self.columns[name] else { return false }
        values[column] = value
        return true
    }

    /// The metric the fields describe (not yet validated).
    ///
    /// - Throws: A description of the first missing or malformed field.
    func metric() throws(FieldProblem) -> SkillMetrics {
        for column in Self.required where values[column] == nil || values[column].map(isNull) == true {
            throw FieldProblem("missing \(column)")
        }
        var metric = SkillMetrics(
            skillId: try text("skill_id") ?? "",
            executionMs: try integer("execution_ms") ?? 0,
            tokensIn: try integer("tokens_in") ?? 0,
            tokensOut: try integer("tokens_out") ?? 0,
            success: try boolean("success") ?? false,
            timestamp: try timestamp("timestamp") ?? 0)
        metric.version = try text("version")
        metric.model = try text("model")
        metric.error = try text("error")
        metric.tokensEstimated = try boolean("tokens_estimated")
        metric.cacheReadTokens = try integer("cache_read_tokens")
        metric.cacheCreationTokens = try integer("cache_creation_tokens")
        metric.sessionId = try text("session_id")
        metric.runId = try text("run_id")
        metric.source = try text("source")
        metric.metadata = try text("metadata")
        return metric
    }

    private func isNull(_ value: FieldValue) -> Bool {
        if case .null = value { return true }
        if case .text(let text) = value, text.isEmpty { return true }
        return false
    }

    private func text(_ column: String) throws(FieldProblem) -> String? {
        switch values[column] {
        case nil, .null: return nil
        case .text(let text): return text.isEmpty ? nil : text
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .boolean(let value):
            throw FieldProblem("\(column) \(value): should be text")
        case .json(let text):
            // Only metadata holds JSON; it may come as an object rather than as its text.
            guard column == "metadata" else { throw FieldProblem("\(column) \(FieldValue.json(text).shown): should be text") }
            return text
        }
    }

    private func integer(_ column: String) throws(FieldProblem) -> Int64? {
        switch values[column] {
        case nil, .null: return nil
        case .integer(let value): return value
        case .number(let value):
            guard value.rounded() == value, let exact = Int64(exactly: value) else {
                throw FieldProblem("\(column) \(value): not a whole number")
            }
            return exact
        case .text(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            if let value = Int64(trimmed) { return value }
            if let value = Double(trimmed), value.rounded() == value, let exact = Int64(exactly: value) { return exact }
            throw FieldProblem("\(column) \(text.debugDescription): not a whole number")
        case .boolean, .json:
            throw FieldProblem("\(column) \(values[column]?.shown ?? ""): not a whole number")
        }
    }

    private func boolean(_ column: String) throws(FieldProblem) -> Bool? {
        switch values[column] {
        case nil, .null: return nil
        case .boolean(let value): return value
        case .integer(0): return false
        case .integer(1): return true
        case .text(let text):
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "": return nil
            case "1", "true", "yes": return true
            case "0", "false", "no": return false
            default: break
            }
        default: break
        }
        throw FieldProblem("\(column) \(values[column]?.shown ?? ""): should be true or false (or 1 or 0)")
    }

    private func timestamp(_ column: String) throws(FieldProblem) -> Int64? {
        if case .text(let text)? = values[column], Int64(text.trimmingCharacters(in: .whitespaces)) == nil {
            do {
                return try TimestampParser.unixMilliseconds(from: text)
            } catch {
                throw FieldProblem("\(column) \(text.debugDescription): not Unix milliseconds or an ISO 8601 time")
            }
        }
        return try integer(column)
    }
}

/// A field that is missing or cannot be read.
struct FieldProblem: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
