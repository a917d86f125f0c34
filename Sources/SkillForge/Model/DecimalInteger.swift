extension Int64 {
    /// Reads a plain decimal integer: an optional `-` and the digits 0 to 9, nothing else
    /// (no `+`, no spaces, no `0x10`, `1e3` or `1.0`); `nil` for other text or a number
    /// beyond 64 bits.
    ///
    /// ```swift
    /// Int64(decimalText: "-12")   // -12
    /// Int64(decimalText: "0x10")  // nil (Swift's own Double("0x10") would read 16)
    /// ```
    init?(decimalText text: some StringProtocol) {
        guard Self.isDecimal(text) else { return nil }
        self.init(text, radix: 10)
    }

    /// Whether `text` is an optional `-` and one or more of the digits 0 to 9, however many.
    static func isDecimal(_ text: some StringProtocol) -> Bool {
        let utf8 = text.utf8
        let digits = utf8.first == UInt8(ascii: "-") ? utf8.dropFirst() : utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }
}

// MARK: - Decimal fractions

extension Double {
    /// Reads a plain decimal number: an optional `-`, digits, an optional fraction (`.` and
    /// digits) and an optional exponent (`e` or `E`, an optional sign, digits): JSON's
    /// numbers. Nothing else (no `+`, `.5`, `0x1p3`, `nan` or `inf`, which Swift's own
    /// `Double("…")` reads); `nil` for other text.
    ///
    /// ```swift
    /// Double(decimalText: "0.0125")   // 0.0125
    /// Double(decimalText: "1e-5")     // 0.00001
    /// Double(decimalText: "inf")      // nil
    /// ```
    init?(decimalText text: some StringProtocol) {
        guard Self.isDecimal(text) else { return nil }
        self.init(String(text))
    }

    /// Whether `text` is a number in JSON's grammar (leading zeros allowed).
    static func isDecimal(_ text: some StringProtocol) -> Bool {
        var bytes = text.utf8[...]
        func digits() -> Bool {
            let count = bytes.prefix { $0 &- UInt8(ascii: "0") < 10 }.count
            bytes = bytes.dropFirst(count)
            return count > 0
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard digits() else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() else { return false }
        }
        if let e = bytes.first, e | 0x20 == UInt8(ascii: "e") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() else { return false }
        }
        return bytes.isEmpty
    }
}
