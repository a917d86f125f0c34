import Foundation

/// A field value as JSONL and CSV carry it.
enum FieldValue {
    case text(String)
    case integer(Int64)
    /// A number that is not a 64-bit integer, as written (`2.0`, `1.10`, `1e3`), so text columns keep it verbatim.
    case number(String)
    case boolean(Bool)
    /// A JSON object or array, as its text.
    case json(String)
    case null

    /// How a message shows the value.
    var shown: String {
        switch self {
        case .text(let text): text.debugDescription
        case .integer(let value): String(value)
        case .number(let text): text
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
struct MetricFields: MetricFieldSource {
    /// The columns of `skill_metrics`, in table order: the fields of a metric.
    typealias Column = SkillMetrics.CodingKeys

    /// Every accepted name, snake_case and camelCase, as bytes, with its column.
    private static let names: [(bytes: [UInt8], column: Column)] = Column.allCases.flatMap { column in
        [(Array(column.columnName.utf8), column), (Array(column.stringValue.utf8), column)]
    }

    /// The required columns.
    static let required = Column.allCases.filter(\.isRequired)

    /// The column a name stands for, if any.
    static func column(named name: String) -> Column? {
        column(named: ArraySlice(name.utf8))
    }

    /// The column whose name these UTF-8 bytes spell, without making a string.
    static func column(named bytes: ArraySlice<UInt8>) -> Column? {
        names.first { $0.bytes.count == bytes.count && $0.bytes.elementsEqual(bytes) }?.column
    }

    private var values = [FieldValue?](repeating: nil, count: Column.allCases.count)

    /// Sets a column's value.
    mutating func set(_ column: Column, _ value: FieldValue) {
        values[column.rawValue] = value
    }

    /// The metric the fields describe (not yet validated).
    ///
    /// - Throws: A description of the first missing or malformed field.
    func metric() throws(FieldProblem) -> SkillMetrics {
        // Missing token counts are checked by `init(fields:)`, which knows whether the tokens are known.
        for column in Self.required where !column.isTokenCount && values[column.rawValue].map(isNull) ?? true {
            throw missing(column)
        }
        return try SkillMetrics(fields: self)
    }

    func missing(_ column: Column) -> FieldProblem {
        guard case .null? = values[column.rawValue] else {
            return FieldProblem("missing \(column.columnName)", field: column.columnName)
        }
        let unknown = column.isTokenCount ? " (tokens_known false marks a run whose tokens are unknown)" : ""
        return FieldProblem("\(column.columnName) null: a value is required\(unknown)", field: column.columnName)
    }

    private func isNull(_ value: FieldValue) -> Bool {
        if case .null = value { return true }
        if case .text(let text) = value, text.allSatisfy(\.isWhitespace) { return true }
        return false
    }

    func text(_ column: Column) throws(FieldProblem) -> String? {
        switch values[column.rawValue] {
        case nil, .null: return nil
        case .text(let text): return text.isEmpty ? nil : text
        case .integer(let value): return String(value)
        case .number(let text): return text
        case .boolean(let value):
            throw FieldProblem(column, "\(value): should be text")
        case .json(let text):
            // Only metadata holds JSON; it may come as an object rather than as its text.
            guard column == .metadata else {
                throw FieldProblem(column, "\(FieldValue.json(text).shown): should be text")
            }
            return text
        }
    }

    /// A whole number; for `timestamp`, Unix milliseconds or an ISO 8601 time too.
    /// An `id` is never read: the database numbers the rows it stores.
    func integer(_ column: Column) throws(FieldProblem) -> Int64? {
        switch column {
        case .id: nil
        case .timestamp: try timestamp(column)
        default: try wholeNumber(column)
        }
    }

    private func wholeNumber(_ column: Column) throws(FieldProblem) -> Int64? {
        switch values[column.rawValue] {
        case nil, .null: return nil
        case .integer(let value): return value
        case .number(let text): return try Self.decimalInteger(text, shown: text, column: column)
        case .text(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            return try Self.decimalInteger(trimmed, shown: text.debugDescription, column: column)
        case .boolean, .json:
            throw FieldProblem(column, "\(values[column.rawValue]?.shown ?? ""): not a whole number")
        }
    }

    /// A whole number written in decimal digits (an optional `-`, then 0 to 9). Anything else is
    /// refused, `0x10`, `1e3` and `1.0` included, rather than read by a parser of wider forms.
    private static func decimalInteger(_ text: String, shown: String, column: Column) throws(FieldProblem) -> Int64 {
        if let value = Int64(decimalText: text) { return value }
        if Int64.isDecimal(text) {
            throw FieldProblem(column, "\(shown): does not fit in a 64-bit integer")
        }
        throw FieldProblem(column, "\(shown): not a whole number in decimal digits")
    }

    func boolean(_ column: Column) throws(FieldProblem) -> Bool? {
        switch values[column.rawValue] {
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
        throw FieldProblem(column, "\(values[column.rawValue]?.shown ?? ""): should be true or false (or 1 or 0)")
    }

    /// A decimal number (`0.0125`, `1e-5`, `3`), as a JSON number or as text; `nan`, `inf`
    /// and hex floats are refused (``Double/init(decimalText:)``).
    func real(_ column: Column) throws(FieldProblem) -> Double? {
        let text: String
        switch values[column.rawValue] {
        case nil, .null: return nil
        case .integer(let value): return Double(value)
        case .number(let number): text = number
        case .text(let written):
            text = written.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return nil }
        case .boolean, .json:
            throw FieldProblem(column, "\(values[column.rawValue]?.shown ?? ""): not a number")
        }
        guard let value = Double(decimalText: text) else {
            throw FieldProblem(column, "\(values[column.rawValue]?.shown ?? ""): not a decimal number")
        }
        return value
    }

    /// Unix milliseconds as a number, or a text that ``TimestampParser`` reads (digits or ISO 8601).
    private func timestamp(_ column: Column) throws(FieldProblem) -> Int64? {
        guard case .text(let text)? = values[column.rawValue] else { return try wholeNumber(column) }
        do {
            return try TimestampParser.unixMilliseconds(from: text)
        } catch {
            throw FieldProblem(column, "\(text.debugDescription): \(error.problem ?? "not Unix milliseconds or an ISO 8601 time")")
        }
    }
}

/// A field that is missing or cannot be read.
struct FieldProblem: Error, CustomStringConvertible {
    var description: String
    /// The column the problem concerns, when one does.
    var field: String?

    init(_ description: String, field: String? = nil) {
        self.description = description
        self.field = field
    }

    /// A problem of `column`, whose description begins with the column's name.
    init(_ column: MetricFields.Column, _ description: String) {
        self.init("\(column.columnName) \(description)", field: column.columnName)
    }
}
