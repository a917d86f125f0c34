/// Lowercase hexadecimal, for ids, digests and JSON escapes.
///
/// ```swift
/// Hex.string([0x0f, 0xa0])   // "0fa0"
/// ```
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Appends two lowercase hex digits per byte.
    static func append(_ bytes: some Sequence<UInt8>, to buffer: inout [UInt8]) {
        for byte in bytes {
            buffer.append(digits[Int(byte >> 4)])
            buffer.append(digits[Int(byte & 0x0F)])
        }
    }

    /// The bytes as lowercase hex text.
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        append(bytes, to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}
