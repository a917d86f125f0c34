import MCP

/// One argument of a tool: its name, its JSON type and bounds, and what it means.
///
/// A tool's JSON Schema is built from its parameters (``schema``), and
/// ``ToolArguments`` reads a value with the same parameter, so the bounds a
/// client is shown are the bounds that are checked.
struct ToolParameter: Sendable {
    /// The JSON type of the value, with its bounds.
    enum Kind: Sendable {
        case string
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case boolean
        /// A JSON object (`metadata`).
        case object
        /// Unix milliseconds, or a text such as `2026-11-20T10:00:00Z`.
        case timestamp
    }

    /// The argument's name, snake_case.
    let name: String
    let kind: Kind
    /// What the argument means, for the model that fills it in.
    let description: String
    let isRequired: Bool
    /// The value used when the argument is left out, shown in the schema.
    let defaultValue: Value?

    /// A text argument.
    static func string(_ name: String, _ description: String, required: Bool = false, default defaultValue: String? = nil) -> Self {
        Self(name: name, kind: .string, description: description, isRequired: required, defaultValue: defaultValue.map(Value.string))
    }

    /// A whole-number argument within `range`.
    static func integer(
        _ name: String, _ description: String, in range: ClosedRange<Int>, required: Bool = false, default defaultValue: Int? = nil
    ) -> Self {
        Self(name: name, kind: .integer(range), description: description, isRequired: required, defaultValue: defaultValue.map(Value.int))
    }

    /// A number argument within `range`.
    static func number(
        _ name: String, _ description: String, in range: ClosedRange<Double>, required: Bool = false, default defaultValue: Double? = nil
    ) -> Self {
        Self(name: name, kind: .number(range), description: description, isRequired: required, defaultValue: defaultValue.map(Value.double))
    }

    /// A true-or-false argument.
    static func boolean(_ name: String, _ description: String, required: Bool = false, default defaultValue: Bool? = nil) -> Self {
        Self(name: name, kind: .boolean, description: description, isRequired: required, defaultValue: defaultValue.map(Value.bool))
    }

    /// A JSON object argument.
    static func object(_ name: String, _ description: String) -> Self {
        Self(name: name, kind: .object, description: description, isRequired: false, defaultValue: nil)
    }

    /// A point in time, as Unix milliseconds or a timestamp text.
    static func timestamp(_ name: String, _ description: String) -> Self {
        Self(name: name, kind: .timestamp, description: description, isRequired: false, defaultValue: nil)
    }

    // MARK: - JSON Schema

    /// The argument's JSON Schema: `{"type": "integer", "minimum": 1, "maximum": 1000000, "description": "…"}`.
    var schema: Value {
        var schema: [String: Value] = ["description": .string(description)]
        switch kind {
        case .string:
            schema["type"] = "string"
        case .integer(let range):
            schema["type"] = "integer"
            schema["minimum"] = .int(range.lowerBound)
            schema["maximum"] = .int(range.upperBound)
        case .number(let range):
            schema["type"] = "number"
            schema["minimum"] = .double(range.lowerBound)
            schema["maximum"] = .double(range.upperBound)
        case .boolean:
            schema["type"] = "boolean"
        case .object:
            schema["type"] = "object"
        case .timestamp:
            schema["type"] = ["integer", "string"]
        }
        if let defaultValue { schema["default"] = defaultValue }
        return .object(schema)
    }
}
