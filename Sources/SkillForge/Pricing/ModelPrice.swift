/// What a model charges per token, in US dollars: a rate for each kind of
/// token, and optionally a higher tier for requests above a number of input tokens.
///
/// ```swift
/// let sonnet = ModelPrice(rates: ModelPrice.Rates(input: 3e-6, output: 15e-6, cacheRead: 0.3e-6, cacheCreation: 3.75e-6))
/// sonnet.cost(of: TokenUsage(input: 1_200, output: 310))   // 0.00825
/// ```
public struct ModelPrice: Sendable, Hashable {
    /// Per-token prices of the four kinds of token.
    public struct Rates: Sendable, Hashable {
        /// Dollars per input token outside the prompt cache.
        public var input: Double
        /// Dollars per output token.
        public var output: Double
        /// Dollars per input token read from the prompt cache.
        public var cacheRead: Double
        /// Dollars per input token written to the prompt cache.
        public var cacheCreation: Double

        /// Creates rates.
        public init(input: Double, output: Double, cacheRead: Double, cacheCreation: Double) {
            self.input = input
            self.output = output
            self.cacheRead = cacheRead
            self.cacheCreation = cacheCreation
        }

        /// The dollars `usage` costs at these rates.
        func cost(of usage: TokenUsage) -> Double {
            Double(usage.input) * input + Double(usage.output) * output
                + Double(usage.cacheRead) * cacheRead + Double(usage.cacheCreation) * cacheCreation
        }
    }

    /// The rates of a request whose prompt holds more than ``thresholdTokens`` input tokens.
    public struct Tier: Sendable, Hashable {
        /// The prompt size (input and cache tokens) above which the tier applies.
        public var thresholdTokens: Int64
        /// The rates of every token of such a request.
        public var rates: Rates

        /// Creates a tier.
        public init(thresholdTokens: Int64, rates: Rates) {
            self.thresholdTokens = thresholdTokens
            self.rates = rates
        }
    }

    /// The rates of a request at or below the tier's threshold (of every request without a tier).
    public var rates: Rates
    /// The higher rates of large prompts, if the model has them.
    public var tier: Tier?

    /// Creates a price.
    public init(rates: Rates, tier: Tier? = nil) {
        self.rates = rates
        self.tier = tier
    }

    /// What one request with `usage` costs: every token at the tier's rates when
    /// its prompt (``TokenUsage/promptTokens``) is above the tier's threshold, as
    /// Anthropic and Google bill long prompts, else at ``rates``.
    ///
    /// ```swift
    /// price.cost(of: TokenUsage(input: 250_000, output: 1_000))   // at the tier's rates
    /// ```
    public func cost(of usage: TokenUsage) -> Double {
        if let tier, usage.promptTokens > tier.thresholdTokens { return tier.rates.cost(of: usage) }
        return rates.cost(of: usage)
    }
}
