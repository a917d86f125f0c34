import Foundation

/// Reading the few members an agent's log line needs, by path, without building a tree.
///
/// ```swift
/// let text = JSONText(Array(#"{"payload":{"type":"token_count"}}"#.utf8))
/// let root = try text.root()
/// text.string(at: "payload", "type", in: root)   // "token_count"
/// ```
extension JSONText {
    /// The value at a path of member names under `object`; `nil` when a step is missing or is not an object.
    func value(at path: String..., in object: Value) -> Value? {
        value(at: path, in: object)
    }

    func value(at path: [String], in object: Value) -> Value? {
        var current = object
        for name in path {
            guard current.kind == .object, let next = (try? member(name, of: current)) ?? nil else { return nil }
            current = next
        }
        return current
    }

    /// The text of the non-empty string at the path; `nil` for another kind or an empty string.
    func string(at path: String..., in object: Value) -> String? {
        value(at: path, in: object).flatMap(nonEmptyString)
    }

    /// The whole number at the path (a JSON number or a string of digits) when it is zero or more.
    func count(at path: String..., in object: Value) -> Int64? {
        guard let value = value(at: path, in: object) else { return nil }
        let number = value.kind == .string ? (try? string(value)).flatMap { Int64(decimalText: $0) } : int64(value)
        return number.flatMap { $0 >= 0 ? $0 : nil }
    }

    /// A string value's text; `nil` for another kind, an empty string or text that is not UTF-8.
    func nonEmptyString(_ value: Value) -> String? {
        guard value.kind == .string, value.end > value.start else { return nil }
        return try? string(value)
    }

    /// The Unix milliseconds of a timestamp value (ISO 8601 text or epoch milliseconds) in the
    /// range ``TranscriptTime`` accepts; `nil` for anything else.
    func timestamp(_ value: Value) -> Int64? {
        switch value.kind {
        case .string:
            if !value.hasEscapes, let milliseconds = TimestampParser.dateTimeMilliseconds(bytes[value.start..<value.end]) {
                return TranscriptTime.plausible(milliseconds)
            }
            guard let text = try? string(value) else { return nil }
            return (try? TimestampParser.unixMilliseconds(from: text)).flatMap(TranscriptTime.plausible)
        case .number:
            return int64(value).flatMap(TranscriptTime.plausible)
        default:
            return nil
        }
    }

    /// The root of a line that is one JSON object; `nil` for anything else.
    static func object(inLine bytes: [UInt8]) -> (JSONText, Value)? {
        let text = JSONText(bytes)
        guard let root = try? text.root(), root.kind == .object else { return nil }
        return (text, root)
    }
}
