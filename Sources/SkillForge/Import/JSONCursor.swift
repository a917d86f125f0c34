import Foundation

/// Walks JSON text that ``JSONText/root()`` has validated, reading each byte once more.
///
/// `JSONText.members(of:)` skips, and checks, every value it passes, so each
/// level of nesting reads its contents again: walking an exporter's batch of
/// 512 spans, eight levels deep, went at 26 MB/s where validating it once goes
/// at 330. The cursor trusts that validation instead: it never checks syntax
/// and hands out ``JSONText/Value``s that the text decodes as usual. Use it
/// on validated text only.
struct JSONCursor {
    let text: JSONText
    /// The offset of the value the cursor is at.
    private(set) var index: Int

    /// A cursor at `value`, a value of `text`.
    init(_ text: JSONText, at value: JSONText.Value) {
        self.text = text
        index = value.kind == .string ? value.start - 1 : value.start
    }

    /// The kind of the value at the cursor.
    var kind: JSONText.Kind {
        switch text.bytes[index] {
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "t"): .true
        case UInt8(ascii: "f"): .false
        case UInt8(ascii: "n"): .null
        default: .number
        }
    }

    /// Reads the value at the cursor and moves past it; an object or array is skipped whole.
    mutating func value() -> JSONText.Value {
        let bytes = text.bytes
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return readString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    _ = readString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                index += 1
            } while depth > 0
            return JSONText.Value(kind: bytes[start] == UInt8(ascii: "{") ? .object : .array, start: start, end: index)
        case UInt8(ascii: "t"):
            index += 4
            return JSONText.Value(kind: .true, start: start, end: index)
        case UInt8(ascii: "f"):
            index += 5
            return JSONText.Value(kind: .false, start: start, end: index)
        case UInt8(ascii: "n"):
            index += 4
            return JSONText.Value(kind: .null, start: start, end: index)
        default:
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
            return JSONText.Value(kind: .number, start: start, end: index)
        }
    }

    /// Calls `body` with each member's key and the cursor at its value, for an object; a value
    /// `body` leaves unread is skipped. Anything but an object is skipped whole.
    mutating func members(_ body: (_ key: JSONText.Value, _ value: inout JSONCursor) throws -> Void) rethrows {
        guard text.bytes[index] == UInt8(ascii: "{") else {
            _ = value()
            return
        }
        index += 1
        skipWhitespace()
        guard text.bytes[index] != UInt8(ascii: "}") else {
            index += 1
            return
        }
        while true {
            let key = readString()
            skipWhitespace()
            index += 1  // :
            skipWhitespace()
            let start = index
            try body(key, &self)
            if index == start { _ = value() }
            skipWhitespace()
            let separator = text.bytes[index]
            index += 1
            guard separator == UInt8(ascii: ",") else { return }
            skipWhitespace()
        }
    }

    /// Calls `body` with each element's position and the cursor at it, for an array; an element
    /// `body` leaves unread is skipped. Anything but an array is skipped whole.
    mutating func elements(_ body: (_ position: Int, _ element: inout JSONCursor) throws -> Void) rethrows {
        guard text.bytes[index] == UInt8(ascii: "[") else {
            _ = value()
            return
        }
        index += 1
        skipWhitespace()
        guard text.bytes[index] != UInt8(ascii: "]") else {
            index += 1
            return
        }
        var position = 0
        while true {
            let start = index
            try body(position, &self)
            if index == start { _ = value() }
            position += 1
            skipWhitespace()
            let separator = text.bytes[index]
            index += 1
            guard separator == UInt8(ascii: ",") else { return }
            skipWhitespace()
        }
    }

    /// Reads the string whose opening quote is at the cursor.
    private mutating func readString() -> JSONText.Value {
        let bytes = text.bytes
        let start = index + 1
        var end = start
        var hasEscapes = false
        while bytes[end] != UInt8(ascii: "\"") {
            if bytes[end] == UInt8(ascii: "\\") {
                hasEscapes = true
                end += 2
            } else {
                end += 1
            }
        }
        index = end + 1
        return JSONText.Value(kind: .string, start: start, end: end, hasEscapes: hasEscapes)
    }

    private mutating func skipWhitespace() {
        let bytes = text.bytes
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }
}
