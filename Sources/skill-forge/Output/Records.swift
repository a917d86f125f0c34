import SkillForge

// MARK: - Runs

extension SkillMetrics: TabularRecord {
    static var columns: [Column<SkillMetrics>] {
        [
            Column("id", .right, text: { $0.id.map(String.init) ?? "" }),
            Column("skill", text: \.skillId),
            Column("time", .right, text: { Readable.milliseconds($0.executionMs) }),
            Column("tokens in", .right, text: { $0.hasKnownTokens ? Readable.count($0.tokensIn) : "n/a" }),
            Column(
                "tokens out", .right,
                text: { $0.hasKnownTokens ? Readable.count($0.tokensOut) + ($0.tokensEstimated == true ? "~" : "") : "n/a" }),
            Column("ok", text: { $0.success ? "yes" : "FAIL" }),
            Column("started (UTC)", text: { Readable.timestamp($0.timestamp) }),
            Column("version", text: { $0.version ?? "" }),
            Column("model", text: { $0.model ?? "" }),
            Column("error", text: { String(($0.error ?? "").prefix(60)) }),
        ]
    }
}

// MARK: - Skills

extension SkillOverview: TabularRecord {
    static var columns: [Column<SkillOverview>] {
        func number(_ value: some CustomStringConvertible) -> String { value.description }
        return [
            Column("skill", key: "skill_id", text: \.skillId),
            Column("runs", .right, text: { Readable.count($0.runs) }, value: { number($0.runs) }),
            Column("fail", key: "failure_rate", .right, text: { Readable.percent($0.failureRate) }, value: { number($0.failureRate) }),
            Column("mean", key: "mean_ms", .right, text: { Readable.milliseconds($0.meanExecutionMs) }, value: { number($0.meanExecutionMs) }),
            Column("tokens/run", key: "tokens_mean", .right, text: { Readable.tokens($0.meanTokens) }, value: { $0.meanTokens.map(number) ?? "" }),
            Column(
                "tokens known", key: "token_runs", .right, optional: true,
                text: { $0.tokenRuns == $0.runs ? "" : "\(Readable.count($0.tokenRuns)) of \(Readable.count($0.runs))" },
                value: { number($0.tokenRuns) }),
            Column(
                "cost/run", key: "mean_cost_usd", .right, text: { Readable.dollars($0.meanCostUsd) },
                value: { $0.meanCostUsd.map(number) ?? "" }),
            Column(
                "cost", key: "total_cost_usd", .right, text: { Readable.dollars($0.totalCostUsd) },
                value: { $0.totalCostUsd.map(number) ?? "" }),
            Column(
                "cost known", key: "cost_runs", .right, optional: true,
                text: { $0.costRuns == $0.runs ? "" : "\(Readable.count($0.costRuns)) of \(Readable.count($0.runs))" },
                value: { number($0.costRuns) }),
            Column("first run (UTC)", key: "first_run", text: { Readable.timestamp($0.firstRun) }, value: { number($0.firstRun) }),
            Column("last run (UTC)", key: "last_run", text: { Readable.timestamp($0.lastRun) }, value: { number($0.lastRun) }),
        ]
    }
}

/// A skill's row, then its model, then the rest of the skill's columns.
extension ModelOverview: TabularRecord {
    static var columns: [Column<ModelOverview>] {
        let skillColumns = SkillOverview.columns
        return skillColumns.prefix(1).map { $0.reading(\.overview) }
            + [Column("model", text: { $0.model ?? "(none)" }, value: { $0.model ?? "" })]
            + skillColumns.dropFirst().map { $0.reading(\.overview) }
    }
}

// MARK: - Versions

extension VersionRunCount: TabularRecord {
    static var columns: [Column<VersionRunCount>] {
        [
            Column("version", text: { $0.version ?? "(none)" }, value: { $0.version ?? "" }),
            Column("runs", .right, text: { Readable.count($0.runs) }, value: { String($0.runs) }),
            Column(
                "first run (UTC)", key: "first_run", text: { Readable.timestamp($0.firstRun) },
                value: { String($0.firstRun) }),
            Column(
                "last run (UTC)", key: "last_run", text: { Readable.timestamp($0.lastRun) },
                value: { String($0.lastRun) }),
        ]
    }
}

// MARK: - Summaries

extension SkillSummary: TabularRecord {
    static var columns: [Column<SkillSummary>] {
        [
            Column("skill", text: \.skillId),
            Column("runs", .right, text: { Readable.count($0.runs) }),
            Column("fail", .right, text: { Readable.percent($0.failureRate) }),
            Column("p50", .right, text: { Readable.milliseconds($0.executionMs.p50) }),
            Column("p95", .right, text: { Readable.milliseconds($0.executionMs.p95) }),
            Column("p99", .right, text: { Readable.milliseconds($0.executionMs.p99) }),
            Column("mean", .right, text: { Readable.milliseconds($0.executionMs.mean) }),
            Column("tokens/run", .right, text: { Readable.tokens($0.tokens?.total.mean) + ($0.estimatedTokensShare > 0 ? "~" : "") }),
            Column("tokens p95", .right, optional: true, text: { $0.tokens?.total.p95.map(Readable.amount) ?? "" }),
            Column(
                "tokens known", .right, optional: true,
                text: { $0.tokenRuns == $0.runs ? "" : "\(Readable.count($0.tokenRuns)) of \(Readable.count($0.runs))" }),
            Column("cost/run", .right, text: { Readable.dollars($0.cost?.mean) }),
            Column("cost p95", .right, optional: true, text: { $0.cost?.p95.map(Readable.dollars) ?? "" }),
            Column("cost", .right, text: { Readable.dollars($0.cost?.total) }),
            Column(
                "cost known", .right, optional: true,
                text: { $0.costRuns == $0.runs ? "" : "\(Readable.count($0.costRuns)) of \(Readable.count($0.runs))" }),
        ]
    }

    static var csvColumns: [Column<SkillSummary>] {
        func number(_ value: some CustomStringConvertible) -> String { value.description }
        var columns: [Column<SkillSummary>] = [
            Column("skill_id", text: \.skillId),
            Column("runs", text: { number($0.runs) }),
            Column("successes", text: { number($0.successes) }),
            Column("failures", text: { number($0.failures) }),
            Column("failure_rate", text: { number($0.failureRate) }),
            Column("min_ms", text: { number($0.executionMs.min) }),
            Column("mean_ms", text: { number($0.executionMs.mean) }),
            Column("p50_ms", text: { number($0.executionMs.p50) }),
            Column("p90_ms", text: { number($0.executionMs.p90) }),
            Column("p95_ms", text: { number($0.executionMs.p95) }),
            Column("p99_ms", text: { number($0.executionMs.p99) }),
            Column("max_ms", text: { number($0.executionMs.max) }),
            Column("stddev_ms", text: { $0.executionMs.standardDeviation.map(number) ?? "" }),
            Column("token_runs", text: { number($0.tokenRuns) }),
        ]
        // Empty cells when no run's tokens are known.
        for (name, counts) in [("in", \TokenStatistics.in), ("out", \.out), ("total", \.total)] {
            columns += [
                Column("tokens_\(name)_mean", text: { $0.tokens.map { number($0[keyPath: counts].mean) } ?? "" }),
                Column("tokens_\(name)_p95", text: { $0.tokens?[keyPath: counts].p95.map(number) ?? "" }),
                Column("tokens_\(name)_sum", text: { $0.tokens.map { number($0[keyPath: counts].sum) } ?? "" }),
            ]
        }
        return columns + [
            Column("cache_read_tokens", text: { number($0.cacheReadTokens) }),
            Column("cache_creation_tokens", text: { number($0.cacheCreationTokens) }),
            Column("estimated_tokens_share", text: { number($0.estimatedTokensShare) }),
            Column("first_run", text: { number($0.firstRun) }),
            Column("last_run", text: { number($0.lastRun) }),
            Column("cost_runs", text: { number($0.costRuns) }),
            Column("cost_mean_usd", text: { $0.cost.map { number($0.mean) } ?? "" }),
            Column("cost_p50_usd", text: { $0.cost?.p50.map(number) ?? "" }),
            Column("cost_p95_usd", text: { $0.cost?.p95.map(number) ?? "" }),
            Column("cost_total_usd", text: { $0.cost.map { number($0.total) } ?? "" }),
        ]
    }
}

// MARK: - Time series

extension TimeSeriesPoint: TabularRecord {
    static var columns: [Column<TimeSeriesPoint>] {
        [
            Column("bucket", text: \.label),
            Column("runs", .right, text: { Readable.count($0.runs) }),
            Column("fail", .right, text: { $0.failureRate.map(Readable.percent) ?? "-" }),
            Column("p50", .right, text: { $0.p50.map(Readable.milliseconds) ?? "-" }),
            Column("p95", .right, text: { $0.p95.map(Readable.milliseconds) ?? "-" }),
            Column("tokens/run", .right, text: { $0.runs == 0 ? "-" : Readable.tokens($0.meanTokens) }),
            Column("cost/run", .right, text: { $0.runs == 0 ? "-" : Readable.dollars($0.meanCostUsd) }),
            Column("cost", .right, text: { $0.runs == 0 ? "-" : Readable.dollars($0.totalCostUsd) }),
        ]
    }

    static var csvColumns: [Column<TimeSeriesPoint>] {
        func optional(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        return [
            Column("bucket", text: \.label),
            Column("start", text: { String($0.start) }),
            Column("runs", text: { String($0.runs) }),
            Column("failures", text: { String($0.failures) }),
            Column("failure_rate", text: { optional($0.failureRate) }),
            Column("p50_ms", text: { optional($0.p50) }),
            Column("p95_ms", text: { optional($0.p95) }),
            Column("token_runs", text: { String($0.tokenRuns) }),
            Column("mean_tokens", text: { optional($0.meanTokens) }),
            Column("cost_runs", text: { String($0.costRuns) }),
            Column("mean_cost_usd", text: { optional($0.meanCostUsd) }),
            Column("total_cost_usd", text: { optional($0.totalCostUsd) }),
        ]
    }
}
