import SkillForge

// MARK: - Runs

extension SkillMetrics: TabularRecord {
    static var columns: [Column<SkillMetrics>] {
        [
            Column("id", .right, text: { $0.id.map(String.init) ?? "" }),
            Column("skill", text: \.skillId),
            Column("time", .right, text: { Format.milliseconds(Double($0.executionMs)) }),
            Column("tokens in", .right, text: { Format.count($0.tokensIn) }),
            Column("tokens out", .right, text: { Format.count($0.tokensOut) + ($0.tokensEstimated == true ? "~" : "") }),
            Column("ok", text: { $0.success ? "yes" : "FAIL" }),
            Column("started (UTC)", text: { Format.timestamp($0.timestamp) }),
            Column("version", text: { $0.version ?? "" }),
            Column("model", text: { $0.model ?? "" }),
            Column("error", text: { String(($0.error ?? "").prefix(60)) }),
        ]
    }

    /// Every column of the table, under its SQL name, with raw values.
    static var csvColumns: [Column<SkillMetrics>] {
        func optional<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "" }
        return [
            Column("id", text: { optional($0.id) }),
            Column("skill_id", text: \.skillId),
            Column("execution_ms", text: { String($0.executionMs) }),
            Column("tokens_in", text: { String($0.tokensIn) }),
            Column("tokens_out", text: { String($0.tokensOut) }),
            Column("success", text: { $0.success ? "1" : "0" }),
            Column("timestamp", text: { String($0.timestamp) }),
            Column("version", text: { optional($0.version) }),
            Column("model", text: { optional($0.model) }),
            Column("error", text: { optional($0.error) }),
            Column("tokens_estimated", text: { optional($0.tokensEstimated.map { $0 ? 1 : 0 }) }),
            Column("cache_read_tokens", text: { optional($0.cacheReadTokens) }),
            Column("cache_creation_tokens", text: { optional($0.cacheCreationTokens) }),
            Column("session_id", text: { optional($0.sessionId) }),
            Column("run_id", text: { optional($0.runId) }),
            Column("source", text: { optional($0.source) }),
            Column("metadata", text: { optional($0.metadata) }),
        ]
    }
}

// MARK: - Skills

extension SkillRunCount: TabularRecord {
    static var columns: [Column<SkillRunCount>] {
        [
            Column("skill", key: "skill_id", text: \.skillId),
            Column("runs", .right, text: { Format.count($0.runs) }, value: { String($0.runs) }),
            Column(
                "last run (UTC)", key: "last_run", text: { Format.timestamp($0.lastRun) },
                value: { String($0.lastRun) }),
        ]
    }
}

// MARK: - Averages

extension AggregatedMetrics: TabularRecord {
    static var columns: [Column<AggregatedMetrics>] {
        [
            Column("skill", key: "skill_id", text: \.skillId),
            Column(
                "runs", key: "total_runs", .right, text: { Format.count($0.totalRuns) },
                value: { String($0.totalRuns) }),
            Column(
                "avg time", key: "avg_execution_ms", .right, text: { Format.milliseconds($0.avgExecutionMs) },
                value: { String($0.avgExecutionMs) }),
            Column(
                "avg tokens", key: "avg_tokens", .right, text: { Format.amount($0.avgTokens) },
                value: { String($0.avgTokens) }),
            Column(
                "failure rate", key: "failure_rate", .right, text: { Format.percent($0.failureRate) },
                value: { String($0.failureRate) }),
        ]
    }
}
