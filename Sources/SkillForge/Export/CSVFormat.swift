import Foundation

/// Writes CSV text as RFC 4180 defines it.
///
/// A field is quoted when it holds a comma, a double quote, a line break, or
/// leading or trailing spaces; quotes inside are doubled. Lines end with LF.
///
/// ```swift
/// CSVFormat.line(["skill", "say \"hi\", then leave"])   // skill,"say ""hi"", then leave"\n
/// ```
public enum CSVFormat {
    /// One field, quoted if it needs to be.
    public static func field(_ text: String) -> String {
        var text = text
        guard text.withUTF8(needsQuotes) else { return text }
        var bytes: [UInt8] = []
        appendField(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one field's bytes, quoted if it needs to be (exports write millions of fields).
    static func appendField(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard needsQuotes(bytes) else { return buffer.append(contentsOf: bytes) }
            buffer.append(UInt8(ascii: "\""))
            for byte in bytes {
                buffer.append(byte)
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            }
            buffer.append(UInt8(ascii: "\""))
        }
    }

    /// Whether a field holds a comma, a quote or a line break, or starts or ends with a space.
    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
            || bytes.contains { byte in
                byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                    || byte == UInt8(ascii: "\r")
            }
    }

    /// One line: the fields, separated by commas, ending with a newline.
    public static func line(_ fields: some Sequence<String>) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
