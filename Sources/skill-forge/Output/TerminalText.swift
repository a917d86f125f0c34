extension String {
    /// The string as a terminal should show it: control characters, line separators and
    /// bidirectional formatting characters become visible escapes.
    ///
    /// Stored text (skill names, versions, models, errors) comes from anywhere: written raw,
    /// an escape sequence could recolour the screen or move the cursor, and U+202E would
    /// reverse the rest of the line. Tables and messages show it escaped instead:
    ///
    /// ```swift
    /// "evil\u{202E}txt\tx".escapedForTerminal   // evil\u{202E}txt\tx, as 18 visible characters
    /// ```
    var escapedForTerminal: String {
        guard unicodeScalars.contains(where: \.isUnsafeOnTerminal) else { return self }
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar.isUnsafeOnTerminal {
                escaped.append(contentsOf: scalar.visibleEscape.unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}

extension Unicode.Scalar {
    /// Whether a terminal would act on the character instead of showing it.
    fileprivate var isUnsafeOnTerminal: Bool {
        switch properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: properties.isBidiControl
        }
    }

    /// The character as Swift writes it in a literal: `\t`, `\n`, `\r`, else `\u{1B}`.
    fileprivate var visibleEscape: String {
        switch self {
        case "\t": #"\t"#
        case "\n": #"\n"#
        case "\r": #"\r"#
        default: #"\u{"# + String(value, radix: 16, uppercase: true) + "}"
        }
    }
}
