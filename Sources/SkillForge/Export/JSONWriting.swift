/// Writes JSON text into a byte buffer, fast enough for exports of millions of rows.
///
/// ```swift
/// var buffer: [UInt8] = []
/// JSONWriting.appendString("say \"hi\"\n", to: &buffer)   // "say \"hi\"\n" with escapes
/// ```
enum JSONWriting {
    /// Appends `text` as a JSON string literal: quoted, with `"`, `\` and control characters escaped.
    static func appendString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Most stored text (skill ids, run ids, versions) needs no escape: copy it whole.
            if !bytes.contains(where: needsEscape) {
                buffer.append(contentsOf: bytes)
            } else {
                for byte in bytes { appendEscaped(byte, to: &buffer) }
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func appendEscaped(_ byte: UInt8, to buffer: inout [UInt8]) {
        let escape: UInt8
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape = byte
        case 0x0A: escape = UInt8(ascii: "n")
        case 0x0D: escape = UInt8(ascii: "r")
        case 0x09: escape = UInt8(ascii: "t")
        case 0..<0x20:
            buffer.append(contentsOf: "\\u00".utf8)
            Hex.append(CollectionOfOne(byte), to: &buffer)
            return
        default:
            buffer.append(byte)
            return
        }
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(escape)
    }

    /// Appends an integer's decimal digits (without making a `String`: exports write millions).
    static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            buffer.append(contentsOf: scratch[(20 - count)...])
        }
    }

    /// Appends a finite number in the shortest form that reads back as the same `Double`
    /// (`0.0125`, `1e-05`: valid JSON and CSV numbers); `null` for infinities and NaN, which JSON has no form for.
    static func appendReal(_ value: Double, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: (value.isFinite ? value.description : "null").utf8)
    }

    /// Appends `"key":` (the key must need no escaping).
    static func appendKey(_ key: StaticString, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        appendRaw(key, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: ":"))
    }

    /// Appends text that is already JSON (punctuation, keys, constants) as it is.
    static func appendRaw(_ text: StaticString, to buffer: inout [UInt8]) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }
}
