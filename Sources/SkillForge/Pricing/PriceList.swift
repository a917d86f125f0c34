import Foundation

/// Prices per model, from which Skill Forge computes what a run cost when its
/// source does not say: the shipped snapshot of LiteLLM's price list
/// (``shipped``), or a file in the same shape (``init(contentsOfFile:)``).
///
/// ```swift
/// let prices = PriceList.shipped
/// prices.price(forModel: "anthropic/claude-sonnet-4-5-20250929")?.rates.input   // 3e-06
/// prices.cost(of: TokenUsage(input: 1_200, output: 310), model: "claude-sonnet-4-5")   // 0.00825
/// prices.cost(of: TokenUsage(input: 1_200, output: 310), model: "my-local-model")      // nil: unknown, not 0
/// ```
///
/// A model id is looked up as it is first; then, in order, without what a
/// provider puts around it, until one is listed:
/// 1. the id in lower case;
/// 2. without its provider prefix (`anthropic/claude-…` → `claude-…`, everything up to the last `/`);
/// 3. without a date suffix (`claude-sonnet-4-5-20250929`, `…-2025-09-29` or `…@20250929` → `claude-sonnet-4-5`);
/// 4. without both;
/// 5. for a Claude model, as Amazon Bedrock lists it (`claude-sonnet-4-20250514` →
///    `anthropic.claude-sonnet-4-20250514-v1:0`), whose on-demand prices are
///    Anthropic's own: LiteLLM's list has dropped some older Anthropic ids
///    that Claude Code transcripts still name.
///
/// So an exact entry (`claude-sonnet-4-5-20250929` is listed too) always wins.
public struct PriceList: Sendable {
    /// Where the prices come from: `litellm 1.110.2` for the shipped list, the file's path for another.
    public let source: String
    /// The prices of a list made from a dictionary or a file.
    private let decoded: [String: ModelPrice]
    /// The shipped list's models, decoded as they are looked up.
    private let snapshot: PriceSnapshotIndex?

    /// Creates a list of `models` from `source`.
    public init(models: [String: ModelPrice], source: String) {
        self.decoded = models
        self.snapshot = nil
        self.source = source
    }

    private init(snapshot: PriceSnapshotIndex, source: String) {
        self.decoded = [:]
        self.snapshot = snapshot
        self.source = source
    }

    /// The prices by model id, as listed. The shipped list decodes its whole
    /// snapshot for this (tens of milliseconds): look prices up with
    /// ``price(forModel:)``, which decodes only the models it finds.
    public var models: [String: ModelPrice] {
        guard snapshot != nil else { return decoded }
        return (try? Self.prices(inJSON: Data(Self.snapshotJSON.utf8), file: source)) ?? [:]
    }

    /// The price list shipped with Skill Forge (``snapshotSource``), written by `scripts/refresh-prices.sh`.
    ///
    /// The snapshot is a generated constant that the tests decode whole; its
    /// models are decoded as they are looked up. Should the snapshot ever not
    /// decode, the list is empty, so that every cost reads unknown rather than wrong.
    public static let shipped: PriceList =
        PriceSnapshotIndex(json: snapshotJSON, source: snapshotSource).map { PriceList(snapshot: $0, source: snapshotSource) }
        ?? (try? PriceList(json: Data(snapshotJSON.utf8), file: snapshotSource))
        ?? PriceList(models: [:], source: snapshotSource)

    /// The price of `model`, found by the rule above, or `nil` when the list has none.
    public func price(forModel model: String) -> ModelPrice? {
        if let price = listed(model) { return price }
        for candidate in Self.candidates(for: model) {
            if let price = listed(candidate) { return price }
        }
        return nil
    }

    /// The price listed under exactly `model`.
    private func listed(_ model: String) -> ModelPrice? {
        snapshot.map { $0.price(of: model) } ?? decoded[model]
    }

    /// What one request of `model` with `usage` costs, or `nil` when the model is not listed.
    public func cost(of usage: TokenUsage, model: String) -> Double? {
        price(forModel: model)?.cost(of: usage)
    }

    // MARK: - Lookup

    /// The ids tried after the exact one, in order.
    static func candidates(for model: String) -> [String] {
        let lowered = model.lowercased()
        let unprefixed = lowered.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? lowered
        var candidates = [lowered, unprefixed, withoutDateSuffix(lowered), withoutDateSuffix(unprefixed)]
        if unprefixed.hasPrefix("claude-") {
            candidates.append("anthropic.\(unprefixed)-v1:0")
        }
        var seen: Set<String> = [model]
        return candidates.filter { seen.insert($0).inserted }
    }

    /// `model` without a trailing `-YYYYMMDD`, `-YYYY-MM-DD` or `@YYYYMMDD`.
    static func withoutDateSuffix(_ model: String) -> String {
        let characters = Array(model)
        func isDigits(_ range: Range<Int>) -> Bool {
            range.lowerBound >= 0 && range.upperBound <= characters.count && characters[range].allSatisfy(\.isASCIIDigit)
        }
        let count = characters.count
        if count > 9, isDigits(count - 8..<count), "-@".contains(characters[count - 9]) {
            return String(characters[0..<(count - 9)])
        }
        if count > 11, isDigits(count - 10..<count - 6), characters[count - 6] == "-", isDigits(count - 5..<count - 3),
            characters[count - 3] == "-", isDigits(count - 2..<count), characters[count - 11] == "-"
        {
            return String(characters[0..<(count - 11)])
        }
        return model
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
