import Foundation

/// Writes CSV text as RFC 4180 defines it.
///
/// A field is quoted when it holds a comma, a double quote, a line break, or
/// leading or trailing spaces; quotes inside are doubled. Lines end with LF.
///
/// ```swift
/// CSVFormat.line(["skill", "say \"hi\", then leave"])   // skill,"say ""hi"", then leave"\n
/// CSVFormat.protectedText("=HYPERLINK(\"x\")")           // '=HYPERLINK("x")
/// ```
///
/// Text that a spreadsheet would run as a formula is protected as OWASP
/// recommends (see ``protectedText(_:)``); the CSV importer undoes it.
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

    // MARK: - Formula injection

    /// The first characters that make a spreadsheet read a cell as a formula:
    /// `=`, `+`, `-`, `@`, tab and carriage return.
    private static let formulaStarts: [UInt8] = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]

    /// Whether `bytes` are any number of `'` followed by a formula start.
    private static func looksLikeFormula(_ bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first(where: { $0 != UInt8(ascii: "'") }) else { return false }
        return formulaStarts.contains(first)
    }

    /// Text with a `'` in front when a spreadsheet would read it as a formula:
    /// when it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, after
    /// any number of `'` (so that ``unprotectedText(_:)`` gives the text back
    /// whatever it was).
    ///
    /// ```swift
    /// CSVFormat.protectedText("-5 retries")   // '-5 retries
    /// CSVFormat.protectedText("'=x")          // ''=x
    /// CSVFormat.protectedText("summarise")    // summarise
    /// ```
    public static func protectedText(_ text: String) -> String {
        looksLikeFormula(text.utf8) ? "'" + text : text
    }

    /// The text ``protectedText(_:)`` protected: without its first `'` when the
    /// rest looks like a formula, else unchanged.
    public static func unprotectedText(_ text: String) -> String {
        text.utf8.first == UInt8(ascii: "'") && looksLikeFormula(text.utf8.dropFirst()) ? String(text.dropFirst()) : text
    }

    /// Appends a text field, protected (``protectedText(_:)``) and quoted if it needs to be.
    static func appendTextField(_ text: String, to buffer: inout [UInt8]) {
        appendField(protectedText(text), to: &buffer)
    }

    /// A cell of a report: a number as it is, anything else protected (``protectedText(_:)``).
    public static func reportCell(_ text: String) -> String {
        Double(text) != nil ? text : protectedText(text)
    }
}
