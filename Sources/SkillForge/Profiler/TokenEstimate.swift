/// Estimates token counts from text when no real usage is reported.
///
/// Like the seed, it assumes about four characters per token, counted as
/// UTF-8 bytes and rounded up: `"hello world"` (11 bytes) is 3 tokens.
/// Rows that carry estimates are stored with `tokens_estimated = 1`.
///
/// ```swift
/// TokenEstimate.tokens(in: "hello world")   // 3
/// ```
public enum TokenEstimate {
    /// Bytes of UTF-8 per estimated token.
    public static let bytesPerToken: Int64 = 4

    /// The estimated tokens of `text`.
    public static func tokens(in text: String) -> Int64 {
        tokens(inBytes: Int64(text.utf8.count))
    }

    /// The estimated tokens of `count` bytes of text.
    public static func tokens(inBytes count: Int64) -> Int64 {
        count <= 0 ? 0 : (count - 1) / bytesPerToken + 1
    }
}
