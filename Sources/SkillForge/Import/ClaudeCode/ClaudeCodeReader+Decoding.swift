import Foundation

extension ImportItem {
    /// A row derived from a transcript, or, when it breaks a validation rule (an absurd
    /// token count, say), the row skipped with the reason: a transcript is not ours to
    /// reject, so one bad line never stops an import.
    static func transcriptRow(_ metric: SkillMetrics, at location: SourceLocation) -> ImportItem {
        guard let problem = metric.validationProblem else { return .metric(metric, location) }
        return .skipped(location, "row skipped: \(problem)")
    }
}

// MARK: - JSON helpers

extension JSONText {
    /// The UTF-8 bytes a string value decodes to, counted in place. (Lone surrogates
    /// count as U+FFFD, as ``string(_:)`` decodes them.)
    func decodedByteCount(of value: Value) -> Int64 {
        guard value.hasEscapes else { return Int64(value.end - value.start) }
        var count: Int64 = 0
        var index = value.start
        while index < value.end {
            guard bytes[index] == UInt8(ascii: "\\") else {
                count += 1
                index += 1
                continue
            }
            guard bytes[index + 1] == UInt8(ascii: "u") else {
                count += 1
                index += 2
                continue
            }
            let code = hexValue(at: index + 2)
            if (0xD800...0xDBFF).contains(code), index + 12 <= value.end, bytes[index + 6] == UInt8(ascii: "\\"),
                bytes[index + 7] == UInt8(ascii: "u"), (0xDC00...0xDFFF).contains(hexValue(at: index + 8))
            {
                count += 4
                index += 12
                continue
            }
            count += code < 0x80 ? 1 : code < 0x800 ? 2 : 3
            index += 6
        }
        return count
    }

    /// A string value cut after about `limit` bytes of its text, between characters
    /// (never inside an escape or a UTF-8 sequence).
    func prefix(of value: Value, bytes limit: Int) -> Value {
        guard value.end - value.start > limit else { return value }
        var index = value.start
        while index < value.end, index - value.start < limit {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += bytes[index + 1] == UInt8(ascii: "u") ? 6 : 2
            } else {
                index += byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            }
        }
        var cut = value
        cut.end = min(index, value.end)
        return cut
    }
}

// MARK: - Timestamps

/// The range of transcript timestamps (read by ``TimestampParser``) that the reader accepts.
enum TranscriptTime {
    /// 10000-01-01T00:00:00Z: later instants are refused, so durations cannot overflow.
    static let latest: Int64 = 253_402_300_800_000

    /// A timestamp in range, else `nil`.
    static func plausible(_ milliseconds: Int64) -> Int64? {
        (0..<latest).contains(milliseconds) ? milliseconds : nil
    }
}
