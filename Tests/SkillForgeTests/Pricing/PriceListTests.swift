import Foundation
import Testing

@testable import SkillForge

/// Prices from the shipped snapshot (litellm 1.110.2) and from small files; every
/// expected cost is worked by hand from the per-token prices in the comment.
@Suite("Price list")
struct PriceListTests {
    let shipped = PriceList.shipped

    // MARK: - The shipped snapshot

    @Test("the shipped snapshot decodes, with its source and thousands of chat models")
    func shippedSnapshot() throws {
        #expect(shipped.source == "litellm 1.110.2")
        #expect(shipped.models.count > 3_000)
        // Decoding it again throws nothing (the shipped list falls back to empty only if it did).
        _ = try PriceList(json: Data(PriceList.snapshotJSON.utf8), file: "snapshot")
    }

    @Test("the shipped list, looked up one model at a time, prices every model as the whole snapshot decoded does")
    func snapshotIndex() throws {
        let whole = try PriceList.prices(inJSON: Data(PriceList.snapshotJSON.utf8), file: "snapshot")
        let index = try #require(PriceSnapshotIndex(json: PriceList.snapshotJSON, source: "snapshot"))
        #expect(index.count == whole.count)
        for (model, price) in whole {
            #expect(index.price(of: model) == price, "\(model)")
            #expect(shipped.price(forModel: model) == price, "\(model)")
        }
        #expect(index.price(of: "no-such-model") == nil)
    }

    @Test("a text that is not one plain model a line is not indexed (it is decoded whole)")
    func snapshotIndexRefuses() {
        #expect(PriceSnapshotIndex(json: "{\n\"a\\\"b\":{\"input_cost_per_token\":1}\n}", source: "x") == nil)
        #expect(PriceSnapshotIndex(json: "{\n\"a\":\n{\"input_cost_per_token\":1}\n}", source: "x") == nil)
        let one = PriceSnapshotIndex(json: "{\n\"m\":{\"input_cost_per_token\":1e-6,\"output_cost_per_token\":2e-6}\n}", source: "x")
        #expect(one?.price(of: "m")?.rates.output == 2e-6)
    }

    @Test("a Claude run with all four kinds of token")
    func fourKinds() throws {
        // claude-sonnet-4-5: $3/M input, $15/M output, $0.30/M cache read, $3.75/M cache creation.
        //   1,200 × 3e-6 = 0.0036;  310 × 15e-6 = 0.00465;  40,000 × 0.3e-6 = 0.012;  2,000 × 3.75e-6 = 0.0075
        //   total 0.02775
        let cost = try #require(
            shipped.cost(
                of: TokenUsage(input: 1_200, output: 310, cacheRead: 40_000, cacheCreation: 2_000),
                model: "claude-sonnet-4-5"))
        #expect(abs(cost - 0.02775) < 1e-12)
    }

    @Test("a prompt above the tier's threshold is billed at the tier's rates, one at it is not")
    func tier() throws {
        // gemini-2.5-pro: $1.25/M input and $10/M output; above 200k prompt tokens $2.50/M and $15/M.
        //   above:  250,000 × 2.5e-6 = 0.625;  1,000 × 15e-6 = 0.015;  total 0.64
        //   at it:  200,000 × 1.25e-6 = 0.25;  1,000 × 10e-6 = 0.01;   total 0.26
        let above = try #require(shipped.cost(of: TokenUsage(input: 250_000, output: 1_000), model: "gemini-2.5-pro"))
        let atThreshold = try #require(shipped.cost(of: TokenUsage(input: 200_000, output: 1_000), model: "gemini-2.5-pro"))
        #expect(abs(above - 0.64) < 1e-12)
        #expect(abs(atThreshold - 0.26) < 1e-12)
    }

    @Test("cache tokens count towards the tier's threshold")
    func cacheTokensReachTheTier() throws {
        let prices = try PriceList(
            json: Data(
                #"{"m":{"input_cost_per_token":1e-6,"output_cost_per_token":2e-6,"cache_read_input_token_cost":1e-7,"input_cost_per_token_above_100k_tokens":3e-6,"cache_read_input_token_cost_above_100k_tokens":4e-7}}"#
                    .utf8), file: "tier.json")
        // 10,000 input + 95,000 cache read = 105,000 prompt tokens > 100,000: tier rates; output keeps its 2e-6.
        //   10,000 × 3e-6 = 0.03;  95,000 × 4e-7 = 0.038;  500 × 2e-6 = 0.001;  total 0.069
        let cost = try #require(prices.cost(of: TokenUsage(input: 10_000, output: 500, cacheRead: 95_000), model: "m"))
        #expect(abs(cost - 0.069) < 1e-12)
    }

    // MARK: - Lookup

    @Test(
        "model ids as they appear in real data find their price",
        arguments: [
            ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929"),
            ("anthropic/claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929"),
            ("anthropic/claude-haiku-4-5", "claude-haiku-4-5"),
            ("claude-haiku-4-5-20991231", "claude-haiku-4-5"),
            ("Claude-Opus-4-6", "claude-opus-4-6"),
            ("openai/gpt-5-2025-08-07", "gpt-5-2025-08-07"),
            ("some-provider/gpt-5.5-2031-01-02", "gpt-5.5"),
            ("gemini-2.5-pro", "gemini-2.5-pro"),
            // The model of most real Claude Code transcripts, listed by LiteLLM for Bedrock only.
            ("claude-sonnet-4-20250514", "anthropic.claude-sonnet-4-20250514-v1:0"),
            ("anthropic/claude-opus-4-1-20250805", "anthropic.claude-opus-4-1-20250805-v1:0"),
        ])
    func lookup(model: String, listed: String) throws {
        let expected = try #require(shipped.models[listed])
        #expect(shipped.price(forModel: model) == expected)
    }

    @Test("an exact entry wins over the one without its date or prefix")
    func exactMatchWins() throws {
        let prices = try PriceList(
            json: Data(
                #"""
                {"m":{"input_cost_per_token":1e-6,"output_cost_per_token":1e-6},
                 "m-20250101":{"input_cost_per_token":2e-6,"output_cost_per_token":2e-6},
                 "p/m":{"input_cost_per_token":3e-6,"output_cost_per_token":3e-6}}
                """#.utf8), file: "exact.json")
        #expect(prices.price(forModel: "m-20250101")?.rates.input == 2e-6)
        #expect(prices.price(forModel: "p/m")?.rates.input == 3e-6)
        #expect(prices.price(forModel: "q/m")?.rates.input == 1e-6)
        #expect(prices.price(forModel: "m-20250202")?.rates.input == 1e-6)
    }

    /// Anthropic's list prices for Claude Sonnet 4 (claude-sonnet-4-20250514): $3 per million input tokens,
    /// $15 output, $0.30 cache read, $3.75 cache write (5 minutes). 10,000 in, 2,000 out, 50,000 read,
    /// 4,000 written: 0.03 + 0.03 + 0.015 + 0.015 = 0.09.
    @Test("claude-sonnet-4-20250514 costs Anthropic's list prices")
    func claudeSonnet4() throws {
        let cost = try #require(
            shipped.cost(of: TokenUsage(input: 10_000, output: 2_000, cacheRead: 50_000, cacheCreation: 4_000), model: "claude-sonnet-4-20250514"))
        #expect(abs(cost - 0.09) < 1e-12)
    }

    @Test("an unknown model has no price and no cost, not 0")
    func unknownModel() {
        #expect(shipped.price(forModel: "my-local-model") == nil)
        #expect(shipped.cost(of: TokenUsage(input: 1_000, output: 1_000), model: "my-local-model") == nil)
        #expect(shipped.price(forModel: "") == nil)
    }

    // MARK: - Runs

    static func run(
        model: String? = "claude-sonnet-4-5", tokensIn: Int64 = 1_200, tokensOut: Int64 = 310, cost: Double? = nil
    ) -> SkillMetrics {
        SkillMetrics(
            skillId: "lint", executionMs: 900, tokensIn: tokensIn, tokensOut: tokensOut, success: true,
            timestamp: 1_764_000_000_000, model: model, costUsd: cost)
    }

    @Test("a run without a stated cost is priced and marked estimated")
    func pricedRun() throws {
        // 1,200 × 3e-6 + 310 × 15e-6 = 0.0036 + 0.00465 = 0.00825
        let priced = shipped.pricing(Self.run())
        #expect(abs(try #require(priced.costUsd) - 0.00825) < 1e-12)
        #expect(priced.costEstimated == true)
    }

    @Test("a stated cost is kept as given, even 0")
    func statedCostKept() {
        for stated in [0.5, 0] {
            let priced = shipped.pricing(Self.run(cost: stated))
            #expect(priced.costUsd == stated)
            #expect(priced.costEstimated == nil)
        }
    }

    @Test("reprice computes an estimated cost again from the list given; pricing keeps any cost")
    func estimatedCostRecomputed() throws {
        var run = Self.run(cost: 99)
        run.costEstimated = true
        let prices = try PriceList(
            json: Data(#"{"claude-sonnet-4-5":{"input_cost_per_token":1e-6,"output_cost_per_token":1e-5}}"#.utf8), file: "p.json")
        // 1,200 × 1e-6 + 310 × 1e-5 = 0.0012 + 0.0031 = 0.0043
        let priced = prices.repricing(run)
        #expect(abs(try #require(priced.costUsd) - 0.0043) < 1e-12)
        #expect(priced.costEstimated == true)
        #expect(prices.pricing(run) == run)
        var unknown = run
        unknown.model = "my-local-model"
        #expect(prices.repricing(unknown).costUsd == nil)
        #expect(prices.repricing(unknown).costEstimated == nil)
        var stated = run
        stated.costEstimated = nil
        #expect(prices.repricing(stated) == stated)
    }

    @Test("unknown tokens or an unknown model leave the cost unknown, never 0")
    func unknownCost() {
        var unknownTokens = Self.run(tokensIn: 0, tokensOut: 0)
        unknownTokens.tokensKnown = false
        #expect(shipped.pricing(unknownTokens).costUsd == nil)
        #expect(shipped.pricing(Self.run(model: "my-local-model")).costUsd == nil)
        #expect(shipped.pricing(Self.run(model: nil)).costUsd == nil)
    }

    @Test("an OpenTelemetry row's cached tokens are taken out of its tokens_in")
    func otlpTokensInIncludesCache() throws {
        var run = Self.run(tokensIn: 41_200, tokensOut: 310)
        run.cacheReadTokens = 40_000
        run.source = "otlp"
        // 41,200 − 40,000 = 1,200 uncached: 0.0036 + 0.00465 + 40,000 × 0.3e-6 (0.012) = 0.02025
        #expect(abs(try #require(shipped.estimatedCost(of: run)) - 0.02025) < 1e-12)
        run.source = "jsonl"
        // 41,200 × 3e-6 = 0.1236; + 0.00465 + 0.012 = 0.14025
        #expect(abs(try #require(shipped.estimatedCost(of: run)) - 0.14025) < 1e-12)
    }

    // MARK: - Bad files

    @Test(
        "a bad price file is refused naming the file, model and field",
        arguments: [
            (#"[1,2]"#, nil, nil, "not a JSON object of models"),
            (#"{"m":"cheap"}"#, "m", nil, "not a JSON object of prices"),
            (#"{"m":{"input_cost_per_token":-1,"output_cost_per_token":1e-6}}"#, "m", "input_cost_per_token", "not a price"),
            (#"{"m":{"input_cost_per_token":"3e-6","output_cost_per_token":1e-6}}"#, "m", "input_cost_per_token", "not a price"),
            (#"{"m":{"input_cost_per_token":1e-6}}"#, "m", "output_cost_per_token", "missing"),
            (#"{"m":{"input_cost_per_token":1e-6,"output_cost_per_token":true}}"#, "m", "output_cost_per_token", "not a price"),
            (#"{"m":{"input_cost_per_token":1e-6,"output_cost_per_token":1e-6"#, nil, nil, "not valid JSON"),
        ] as [(String, String?, String?, String)])
    func badFile(json: String, model: String?, field: String?, problem: String) {
        #expect {
            try PriceList(json: Data(json.utf8), file: "prices.json")
        } throws: { error in
            guard let error = error as? PriceListError else { return false }
            return error.file == "prices.json" && error.model == model && error.field == field
                && error.problem.hasPrefix(problem) && error.description.hasPrefix("prices.json")
        }
    }

    @Test("two tiers are refused, naming both fields' thresholds")
    func twoTiers() {
        let json = #"{"m":{"input_cost_per_token":1e-6,"output_cost_per_token":1e-6,"input_cost_per_token_above_128k_tokens":2e-6,"output_cost_per_token_above_200k_tokens":3e-6}}"#
        #expect(throws: PriceListError.self) { try PriceList(json: Data(json.utf8), file: "t.json") }
    }

    @Test("a missing file is refused naming it")
    func missingFile() {
        #expect {
            try PriceList(contentsOfFile: "/nonexistent/prices.json")
        } throws: { error in
            (error as? PriceListError)?.code == .unreadable
                && String(describing: error).hasPrefix("/nonexistent/prices.json")
        }
    }
}
