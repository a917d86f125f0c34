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
