import Foundation

/// OTLP JSON's 64-bit integers: decimal strings, or (accepted) JSON numbers.
enum OTLPNumber {
    /// A signed 64-bit integer (`intValue`).
    static func signed(_ value: JSONText.Value, in text: JSONText) throws -> Int64? {
        switch value.kind {
        case .string: Int64(try text.string(value))
        case .number: text.int64(value)
        default: nil
        }
    }

    /// An unsigned 64-bit integer (`fixed64` times).
    static func unsigned(_ value: JSONText.Value, in text: JSONText) throws -> UInt64? {
        switch value.kind {
        case .string: return UInt64(try text.string(value))
        case .number:
            if let exact = text.int64(value) { return UInt64(exactly: exact) }
            return text.double(value).flatMap { UInt64(exactly: $0) }
        default: return nil
        }
    }
}

/// A span status code: 0, 1, 2 as numbers or strings, or their enum names.
enum OTLPStatusCode {
    /// The code, or `nil` when it is none of them.
    static func parse(_ value: JSONText.Value, in text: JSONText) throws -> Int? {
        switch value.kind {
        case .number:
            return text.int64(value).flatMap { (0...2).contains($0) ? Int($0) : nil }
        case .string:
            let name = try text.string(value).uppercased()
            switch name {
            case "0", "STATUS_CODE_UNSET", "UNSET": return 0
            case "1", "STATUS_CODE_OK", "OK": return 1
            case "2", "STATUS_CODE_ERROR", "ERROR": return 2
            default: return nil
            }
        case .null: return 0
        default: return nil
        }
    }
}

/// Trace and span ids.
enum OTLPID {
    /// `raw` as lowercase hex when it is `bytes` bytes in hex (any case) or in base64.
    static func normalized(_ raw: String, bytes: Int) -> String? {
        let utf8 = raw.utf8
        if utf8.count == bytes * 2, utf8.allSatisfy(isHexDigit) {
            return utf8.contains { (0x41...0x46).contains($0) } ? raw.lowercased() : raw
        }
        guard let data = Data(base64Encoded: raw), data.count == bytes else { return nil }
        return Hex.string(data)
    }

    /// Whether `text` is `bytes` bytes in lowercase hex.
    static func isLowercaseHex(_ text: Substring, bytes: Int) -> Bool {
        text.utf8.count == bytes * 2 && text.utf8.allSatisfy { isHexDigit($0) && !(0x41...0x46).contains($0) }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }
}
