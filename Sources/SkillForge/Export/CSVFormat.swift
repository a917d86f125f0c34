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
        let needsQuotes = text.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        } || text.utf8.first == UInt8(ascii: " ") || text.utf8.last == UInt8(ascii: " ")
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One line: the fields, separated by commas, ending with a newline.
    public static func line(_ fields: some Sequence<String>) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
