/// Text made safe to put inside HTML or SVG, as element content or as a quoted attribute value.
///
/// ```swift
/// HTMLEscaping.escape(#"<script>alert("x")</script>"#)   // "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
/// ```
///
/// The same five characters the templates' `{{value}}` escapes (swift-mustache's HTML content type).
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
