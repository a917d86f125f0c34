import Foundation

/// One JSON text (RFC 8259) read in place, for the import hot paths.
///
/// Foundation's `JSONDecoder` and `JSONSerialization` cost about 20 µs per
/// short line on Linux, which would cap an import at 50,000 rows a second (see
/// docs/PERFORMANCE.md). This reader builds no tree: ``members(of:_:)`` walks
/// an object's members and hands out ``Value`` spans, and a value's string or
/// number is decoded only when asked for. Walking validates what it passes
/// over, nested values included, so a text that is not JSON (truncated,
/// binary, nested deeper than ``maximumDepth``) is reported with the column
/// where it goes wrong.
///
/// ```swift
/// let text = JSONText(Array(#"{"skill_id": "a", "execution_ms": 12}"#.utf8))
/// try text.members(of: text.root()) { key, value in print(key, text.describe(value)) }
/// ```
struct JSONText {
    /// Nesting beyond this is refused (Foundation refuses past 512 too).
    static let maximumDepth = 512

    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The kinds of JSON values.
    enum Kind { case object, array, string, number, `true`, `false`, null }

    /// A value: its kind and where it lies in the text.
    struct Value {
        var kind: Kind
        /// For strings, the first byte after the opening quote.
        var start: Int
        /// For strings, the closing quote.
        var end: Int
        /// Whether a string holds escapes (and must be decoded, not copied).
        var hasEscapes = false
    }

    /// A text that is not JSON: where and why.
    struct SyntaxError: Error, Equatable, CustomStringConvertible {
        /// The 0-based byte offset of the problem.
        var offset: Int
        var problem: String

        var description: String { "not valid JSON at column \(offset + 1): \(problem)" }
    }

    // MARK: - Reading

    /// The whole text's single value (whitespace around it allowed).
    func root() throws(SyntaxError) -> Value {
        var index = skipWhitespace(from: 0)
        let value = try readValue(at: &index)
        index = skipWhitespace(from: index)
        guard index == bytes.count else { throw SyntaxError(offset: index, problem: "unexpected text after the value") }
        return value
    }

    /// Calls `body` with each member of an object, in order.
    ///
    /// - Throws: ``SyntaxError``, or what `body` throws.
    func members(of object: Value, _ body: (_ key: Value, _ value: Value) throws -> Void) throws {
        guard object.kind == .object else { return }
        var index = skipWhitespace(from: object.start + 1)
        if byte(at: index) == UInt8(ascii: "}") { return }
        while true {
            guard byte(at: index) == UInt8(ascii: "\"") else {
                throw SyntaxError(offset: index, problem: "expected a member name in quotes")
            }
            let key = try readString(at: &index)
            index = skipWhitespace(from: index)
            guard byte(at: index) == UInt8(ascii: ":") else { throw SyntaxError(offset: index, problem: "expected ':'") }
            index = skipWhitespace(from: index + 1)
            let value = try readValue(at: &index)
            try body(key, value)
            index = skipWhitespace(from: index)
            switch byte(at: index) {
            case UInt8(ascii: ","): index = skipWhitespace(from: index + 1)
            case UInt8(ascii: "}"): return
            default: throw SyntaxError(offset: index, problem: "expected ',' or '}'")
            }
        }
    }

    /// Calls `body` with each element of an array, in order.
    func elements(of array: Value, _ body: (Value) throws -> Void) throws {
        guard array.kind == .array else { return }
        var index = skipWhitespace(from: array.start + 1)
        if byte(at: index) == UInt8(ascii: "]") { return }
        while true {
            let value = try readValue(at: &index)
            try body(value)
            index = skipWhitespace(from: index)
            switch byte(at: index) {
            case UInt8(ascii: ","): index = skipWhitespace(from: index + 1)
            case UInt8(ascii: "]"): return
            default: throw SyntaxError(offset: index, problem: "expected ',' or ']'")
            }
        }
    }

    /// The member of `object` named `name`, if any.
    func member(_ name: String, of object: Value) throws -> Value? {
        var found: Value?
        try members(of: object) { key, value in
            if found == nil, equals(key, name) { found = value }
        }
        return found
    }

    // MARK: - Values

    /// Whether a string value is `name` (a member name, say), compared byte for
    /// byte without decoding unless it holds escapes. Readers compare every key
    /// of every line with names, so this is on their hot path.
    func matches(_ value: Value, _ name: StaticString) -> Bool {
        name.withUTF8Buffer { matches(value, utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Whether a string value is `name`; see ``matches(_:_:)-(_,StaticString)``.
    func equals(_ value: Value, _ name: String) -> Bool {
        var name = name
        return name.withUTF8 { matches(value, utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Whether a string value is the text whose UTF-8 bytes are `expected`.
    func matches(_ value: Value, utf8 expected: UnsafeRawBufferPointer) -> Bool {
        guard value.kind == .string else { return false }
        if value.hasEscapes { return (try? string(value)).map { $0.utf8.elementsEqual(expected) } ?? false }
        let count = value.end - value.start
        guard count == expected.count else { return false }
        return bytes.withUnsafeBytes { text in
            guard count > 0, let base = text.baseAddress, let other = expected.baseAddress else { return true }
            return memcmp(base + value.start, other, count) == 0
        }
    }

    /// A string value's text.
    func string(_ value: Value) throws(SyntaxError) -> String {
        guard value.hasEscapes else {
            guard let text = String(validating: bytes[value.start..<value.end], as: UTF8.self) else {
                throw SyntaxError(offset: value.start, problem: "a string is not valid UTF-8")
            }
            return text
        }
        // Decoded into bytes, then checked once: appending to a String's scalars piece by
        // piece costs time proportional to the string so far (quadratic in all).
        var utf8: [UInt8] = []
        utf8.reserveCapacity(value.end - value.start)
        var index = value.start
        while index < value.end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            default:  // u, validated when the string was read
                var code = hexValue(at: index)
                index += 4
                if (0xD800...0xDBFF).contains(code), index + 6 <= value.end, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    let low = hexValue(at: index + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                // A lone surrogate becomes U+FFFD. (Escapes give whole characters, so the
                // raw bytes around them are valid UTF-8 or not just as they are.)
                UTF8.encode(Unicode.Scalar(code) ?? "\u{FFFD}") { utf8.append($0) }
            }
        }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw SyntaxError(offset: value.start, problem: "a string is not valid UTF-8")
        }
        return text
    }

    /// A number value as an integer when it is a whole number that fits (`12`, `-0`, `1e3`, `2.0`), else `nil`.
    func int64(_ value: Value) -> Int64? {
        guard value.kind == .number else { return nil }
        var index = value.start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var result: Int64 = 0
        while index < value.end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return double(value).flatMap { Int64(exactly: $0) } }
            let (times, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            result = sum
            index += 1
        }
        return result
    }

    /// A number value as a `Double`.
    func double(_ value: Value) -> Double? {
        guard value.kind == .number else { return nil }
        return Double(String(decoding: bytes[value.start..<value.end], as: UTF8.self))
    }

    /// The raw JSON text of a value (an object or array kept as text, say).
    func rawText(_ value: Value) -> String {
        value.kind == .string
            ? String(decoding: bytes[(value.start - 1)...value.end], as: UTF8.self)
            : String(decoding: bytes[value.start..<value.end], as: UTF8.self)
    }

    /// A short description of a value for messages.
    func describe(_ value: Value) -> String {
        let text = rawText(value)
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }

    // MARK: - Scanning

    private func byte(at index: Int) -> UInt8 {
        index < bytes.count ? bytes[index] : 0
    }

    private func skipWhitespace(from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    /// Reads the value at `index` and moves past it; nested values are skipped, validated.
    private func readValue(at index: inout Int) throws(SyntaxError) -> Value {
        guard index < bytes.count else { throw SyntaxError(offset: index, problem: "the text ends where a value should be") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return try readString(at: &index)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = index
            let kind: Kind = bytes[index] == UInt8(ascii: "{") ? .object : .array
            try skipContainer(at: &index)
            return Value(kind: kind, start: start, end: index)
        case UInt8(ascii: "t"): return try readLiteral("true", .true, at: &index)
        case UInt8(ascii: "f"): return try readLiteral("false", .false, at: &index)
        case UInt8(ascii: "n"): return try readLiteral("null", .null, at: &index)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber(at: &index)
        default:
            throw SyntaxError(offset: index, problem: "unexpected character where a value should be")
        }
    }

    private func readLiteral(_ literal: StaticString, _ kind: Kind, at index: inout Int) throws(SyntaxError) -> Value {
        let length = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            index + length <= bytes.count && bytes[index..<(index + length)].elementsEqual(expected)
        }
        guard matches else { throw SyntaxError(offset: index, problem: "unexpected character where a value should be") }
        defer { index += length }
        return Value(kind: kind, start: index, end: index + length)
    }

    private func readNumber(at index: inout Int) throws(SyntaxError) -> Value {
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - first
        }
        if byte(at: index) == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits() > 0 else { throw SyntaxError(offset: index, problem: "a number needs digits") }
        if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 {
            throw SyntaxError(offset: integerStart, problem: "a number cannot start with 0")
        }
        if byte(at: index) == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw SyntaxError(offset: index, problem: "a number needs digits after '.'") }
        }
        if byte(at: index) == UInt8(ascii: "e") || byte(at: index) == UInt8(ascii: "E") {
            index += 1
            if byte(at: index) == UInt8(ascii: "+") || byte(at: index) == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw SyntaxError(offset: index, problem: "a number needs digits in its exponent") }
        }
        return Value(kind: .number, start: start, end: index)
    }

    /// Reads a string starting at its opening quote; `index` ends after the closing one.
    private func readString(at index: inout Int) throws(SyntaxError) -> Value {
        let start = index + 1
        var hasEscapes = false
        index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return Value(kind: .string, start: start, end: index, hasEscapes: hasEscapes)
            }
            if byte < 0x20 {
                throw SyntaxError(offset: index, problem: "a string holds a raw control character")
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                switch self.byte(at: index + 1) {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 6 <= bytes.count, (0..<4).allSatisfy({ isHexDigit(bytes[index + 2 + $0]) }) else {
                        throw SyntaxError(offset: index, problem: "a \\u escape needs four hex digits")
                    }
                    index += 6
                default:
                    throw SyntaxError(offset: index, problem: "unknown escape in a string")
                }
                continue
            }
            index += 1
        }
        throw SyntaxError(offset: start - 1, problem: "a string is not closed (the text may be truncated)")
    }

    /// Skips an object or array, checking its brackets, separators, strings, literals and numbers.
    private func skipContainer(at index: inout Int) throws(SyntaxError) {
        var closers: [UInt8] = []
        var expectingValue = true
        repeat {
            index = skipWhitespace(from: index)
            guard index < bytes.count else {
                throw SyntaxError(offset: index, problem: "the text ends inside an object or array (truncated?)")
            }
            let byte = bytes[index]
            if expectingValue {
                guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") else {
                    _ = try readValue(at: &index)
                    expectingValue = false
                    continue
                }
                guard closers.count < Self.maximumDepth else {
                    throw SyntaxError(offset: index, problem: "nested deeper than \(Self.maximumDepth) levels")
                }
                let closer = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                closers.append(closer)
                index = skipWhitespace(from: index + 1)
                if self.byte(at: index) == closer {
                    closers.removeLast()
                    index += 1
                    expectingValue = false
                } else if closer == UInt8(ascii: "}") {
                    try skipKey(at: &index)
                }
            } else if byte == UInt8(ascii: ",") {
                index += 1
                if closers.last == UInt8(ascii: "}") {
                    index = skipWhitespace(from: index)
                    try skipKey(at: &index)
                }
                expectingValue = true
            } else if byte == closers.last {
                closers.removeLast()
                index += 1
            } else {
                throw SyntaxError(offset: index, problem: "expected ',' or a closing bracket")
            }
        } while !closers.isEmpty
    }

    /// Skips `"key" :` inside an object being skipped.
    private func skipKey(at index: inout Int) throws(SyntaxError) {
        guard byte(at: index) == UInt8(ascii: "\"") else {
            throw SyntaxError(offset: index, problem: "expected a member name in quotes")
        }
        _ = try readString(at: &index)
        index = skipWhitespace(from: index)
        guard byte(at: index) == UInt8(ascii: ":") else { throw SyntaxError(offset: index, problem: "expected ':'") }
        index += 1
    }

    private func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// The four hex digits at `index` (checked when their string was read).
    func hexValue(at index: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { value, offset in
            let byte = bytes[index + offset]
            let digit: UInt8 = byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : (byte | 0x20) - UInt8(ascii: "a") + 10
            return value << 4 | UInt32(digit)
        }
    }
}
