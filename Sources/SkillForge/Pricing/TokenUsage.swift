/// The tokens one request (or one run) was billed for, in the four kinds a price list prices.
///
/// `input` holds the input tokens read neither from nor into the prompt cache,
/// as Anthropic's `usage.input_tokens` does; the cache tokens are counted apart.
///
/// ```swift
/// let usage = TokenUsage(input: 1_200, output: 310, cacheRead: 40_000, cacheCreation: 2_000)
/// usage.promptTokens   // 43_200
/// ```
public struct TokenUsage: Sendable, Hashable {
    /// Input tokens outside the prompt cache.
    public var input: Int64
    /// Output tokens.
    public var output: Int64
    /// Input tokens read from the prompt cache.
    public var cacheRead: Int64
    /// Input tokens written to the prompt cache.
    public var cacheCreation: Int64

    /// Creates a usage; every count defaults to 0.
    public init(input: Int64 = 0, output: Int64 = 0, cacheRead: Int64 = 0, cacheCreation: Int64 = 0) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
    }

    /// Every input token of the request, cached or not: what a price tier's threshold is compared with.
    public var promptTokens: Int64 { input.saturatingAdd(cacheRead).saturatingAdd(cacheCreation) }

    /// Keeps the larger value of each count (a message's lines may report growing counts).
    mutating func formMaximum(_ other: TokenUsage) {
        input = max(input, other.input)
        output = max(output, other.output)
        cacheRead = max(cacheRead, other.cacheRead)
        cacheCreation = max(cacheCreation, other.cacheCreation)
    }

    /// The sums, saturating rather than overflowing (validation reports absurd totals).
    static func + (left: TokenUsage, right: TokenUsage) -> TokenUsage {
        TokenUsage(
            input: left.input.saturatingAdd(right.input), output: left.output.saturatingAdd(right.output),
            cacheRead: left.cacheRead.saturatingAdd(right.cacheRead),
            cacheCreation: left.cacheCreation.saturatingAdd(right.cacheCreation))
    }
}
