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
        bytes.withContiguousStorageIfAvailable(string(of:)) ?? Array(bytes).withUnsafeBufferPointer(string(of:))
    }

    /// Writes the digits straight into the new string's storage.
    private static func string(of bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (offset, byte) in bytes.enumerated() {
                text[2 * offset] = digits[Int(byte >> 4)]
                text[2 * offset + 1] = digits[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }
}
