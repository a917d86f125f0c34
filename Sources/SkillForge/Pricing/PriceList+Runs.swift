// MARK: - The cost of a run

extension PriceList {
    /// What `metric` cost by this list, from its model and its four token
    /// counts, or `nil` when that is unknown: no model, a model the list does not
    /// price, or unknown tokens (``SkillMetrics/hasKnownTokens``). Never 0 for unknown.
    ///
    /// The whole run is priced as one request, so a tier applies when the run's
    /// prompt tokens together pass its threshold: an approximation for a run of
    /// several requests, each of which the provider bills on its own. Importers
    /// that know each request's usage (Claude Code transcripts) price requests instead.
    ///
    /// A row from OpenTelemetry spans (source `otlp`) counts cached tokens inside
    /// `tokens_in`, as OpenTelemetry does; they are taken out before pricing, so
    /// that no token is billed twice.
    ///
    /// ```swift
    /// let run = SkillMetrics(skillId: "lint", executionMs: 900, tokensIn: 1_200, tokensOut: 310,
    ///                        success: true, model: "claude-sonnet-4-5")
    /// PriceList.shipped.estimatedCost(of: run)   // 0.00825
    /// ```
    public func estimatedCost(of metric: SkillMetrics) -> Double? {
        guard Self.mayPrice(metric), let model = metric.model, let price = price(forModel: model) else { return nil }
        let cacheRead = max(0, metric.cacheReadTokens ?? 0)
        let cacheCreation = max(0, metric.cacheCreationTokens ?? 0)
        var input = max(0, metric.tokensIn)
        if metric.source == Self.cacheInclusiveSource {
            input = max(0, input - cacheRead.saturatingAdd(cacheCreation))
        }
        let usage = TokenUsage(
            input: input, output: max(0, metric.tokensOut), cacheRead: cacheRead, cacheCreation: cacheCreation)
        return Self.storable(price.cost(of: usage))
    }

    /// `metric` with a cost: its own when it has one (stated by its source, or
    /// computed by an importer that priced its requests), else computed by
    /// ``estimatedCost(of:)`` and marked ``SkillMetrics/costEstimated``, or left unknown.
    ///
    /// ```swift
    /// let stored = try await store.insert(PriceList.shipped.pricing(run))
    /// ```
    public func pricing(_ metric: SkillMetrics) -> SkillMetrics {
        metric.costUsd == nil ? repricing(metric) : metric
    }

    /// Whether a price list could give `metric` a cost: it has a model and known tokens.
    /// A caller about to price one run checks this before loading a list: a run that
    /// fails it needs no list read at all (an MCP call that names no model).
    ///
    /// ```swift
    /// let stored = PriceList.mayPrice(run) ? PriceList.shipped.pricing(run) : run
    /// ```
    public static func mayPrice(_ metric: SkillMetrics) -> Bool {
        metric.hasKnownTokens && metric.model != nil
    }

    /// `metric` with its cost computed again by this list, unless its source stated
    /// it: what `skill-forge reprice` stores. A stated cost (``SkillMetrics/costEstimated``
    /// not `true`) is kept; an estimated or unknown one becomes ``estimatedCost(of:)``,
    /// marked estimated, or unknown.
    public func repricing(_ metric: SkillMetrics) -> SkillMetrics {
        if metric.costUsd != nil, metric.costEstimated != true { return metric }
        var priced = metric
        priced.costUsd = estimatedCost(of: metric)
        priced.costEstimated = priced.costUsd == nil ? nil : true
        return priced
    }

    /// The source of rows whose `tokens_in` includes the cache tokens: the OpenTelemetry span importer's.
    static let cacheInclusiveSource = "otlp"

    /// `cost` when the store takes it (finite, 0 to ``MetricLimits/maximumCostUsd``), else `nil`.
    static func storable(_ cost: Double) -> Double? {
        cost.isFinite && cost >= 0 && cost <= MetricLimits.maximumCostUsd ? cost : nil
    }
}
