import Foundation

// MARK: - Rules

/// The limits every stored metric respects, whichever way it arrives.
public enum MetricLimits {
    /// Longest skill id, version, model, session id, run id or source, in characters.
    public static let maximumNameLength = 200
    /// Longest error message, in characters.
    public static let maximumErrorLength = 10_000
    /// Longest metadata JSON text, in UTF-8 bytes.
    public static let maximumMetadataBytes = 1 << 20
    /// Earliest accepted timestamp: 2000-01-01T00:00:00Z.
    public static let earliestTimestamp: Int64 = 946_684_800_000
    /// First rejected timestamp: 2100-01-01T00:00:00Z.
    public static let latestTimestamp: Int64 = 4_102_444_800_000
    /// Longest accepted execution time: 30 days, in milliseconds.
    ///
    /// Agent skills run for seconds or hours; a larger value is almost always a
    /// duration in microseconds or nanoseconds stored as milliseconds.
    public static let maximumExecutionMs: Int64 = 30 * 86_400_000
    /// Most tokens accepted in one count (`tokens_in`, `tokens_out`, cache tokens): 10¹².
    ///
    /// A million times the largest context windows; the sum of the token counts of
    /// 4.6 million runs at this bound still fits in 64 bits.
    public static let maximumTokens: Int64 = 1_000_000_000_000
    /// Largest accepted cost of one execution (`cost_usd`): a million US dollars.
    ///
    /// Agent runs cost cents, sometimes dollars; a larger value is a unit mistake
    /// (Claude Code reports `cost_usd_micros` beside `cost_usd`). Below this bound a
    /// cost in billionths of a dollar (10⁻⁹, what merges add up exactly) is below 2⁵³,
    /// so it converts to and from a `Double` without loss.
    public static let maximumCostUsd: Double = 1_000_000
}

extension SkillMetrics {
    /// Checks every field against the rules of the store.
    ///
    /// ```swift
    /// try SkillMetrics(skillId: "", executionMs: 1, tokensIn: 0, tokensOut: 0, success: true).validate()
    /// // throws: invalid skill_id "": must not be empty
    /// ```
    ///
    /// - Throws: ``InvalidField`` naming the first field that breaks a rule.
    public func validate() throws(InvalidField) {
        try Self.checkName(skillId, field: "skill_id")
        try Self.checkExecutionTime(executionMs)
        try Self.checkTokens(tokensIn, field: "tokens_in")
        try Self.checkTokens(tokensOut, field: "tokens_out")
        try Self.checkTimestamp(timestamp)
        for (value, field) in [
            (version, "version"), (model, "model"), (sessionId, "session_id"), (runId, "run_id"), (source, "source"),
        ] {
            if let value { try Self.checkName(value, field: field) }
        }
        if let cacheReadTokens { try Self.checkTokens(cacheReadTokens, field: "cache_read_tokens") }
        if let cacheCreationTokens { try Self.checkTokens(cacheCreationTokens, field: "cache_creation_tokens") }
        if let costUsd { try Self.checkCost(costUsd) }
        if !hasKnownTokens { try checkUnknownTokens() }
        if let error {
            if error.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw InvalidField(field: "error", value: error, problem: "must not be empty (leave it out instead)")
            }
            if error.count > MetricLimits.maximumErrorLength {
                throw InvalidField(
                    field: "error", value: error,
                    problem: "must be at most \(MetricLimits.maximumErrorLength) characters")
            }
        }
        if let metadata { try Self.checkMetadata(metadata) }
    }

    private static func checkName(_ value: String, field: String) throws(InvalidField) {
        // Most names are short printable ASCII: check those in one pass over the bytes
        // (imports validate millions of names; Foundation's trimming costs more than parsing).
        let utf8 = value.utf8
        if utf8.count <= MetricLimits.maximumNameLength, utf8.allSatisfy({ (0x20...0x7E).contains($0) }) {
            if utf8.allSatisfy({ $0 == 0x20 }) {
                throw InvalidField(field: field, value: value, problem: "must not be empty")
            }
            return
        }
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw InvalidField(field: field, value: value, problem: "must not be empty")
        }
        if value.count > MetricLimits.maximumNameLength {
            throw InvalidField(
                field: field, value: value, problem: "must be at most \(MetricLimits.maximumNameLength) characters")
        }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw InvalidField(field: field, value: value, problem: "must not contain control characters")
        }
    }

    private static func checkExecutionTime(_ value: Int64) throws(InvalidField) {
        if value < 0 {
            throw InvalidField(field: "execution_ms", number: value, problem: "must be zero or more")
        }
        if value > MetricLimits.maximumExecutionMs {
            throw InvalidField(
                field: "execution_ms", number: value,
                problem: "must be at most \(MetricLimits.maximumExecutionMs) (30 days); execution_ms is milliseconds: "
                    + "is this microseconds (divide by 1,000) or nanoseconds (divide by 1,000,000)?")
        }
    }

    private static func checkTokens(_ value: Int64, field: String) throws(InvalidField) {
        if value < 0 {
            throw InvalidField(field: field, number: value, problem: "must be zero or more")
        }
        if value > MetricLimits.maximumTokens {
            throw InvalidField(field: field, number: value, problem: "must be at most 10^12 (1,000,000,000,000)")
        }
    }

    /// A run whose tokens are unknown has no token counts to show: 0 in the seed's
    /// columns, no cache tokens, and no estimate.
    private func checkUnknownTokens() throws(InvalidField) {
        for (value, field) in [(tokensIn, "tokens_in"), (tokensOut, "tokens_out")] where value != 0 {
            throw InvalidField(field: field, number: value, problem: "must be 0 when tokens_known is false")
        }
        for (value, field) in [(cacheReadTokens, "cache_read_tokens"), (cacheCreationTokens, "cache_creation_tokens")] {
            if let value, value != 0 {
                throw InvalidField(field: field, number: value, problem: "must be left out when tokens_known is false")
            }
        }
        if tokensEstimated == true {
            throw InvalidField(
                field: "tokens_estimated", value: "true", problem: "must not be true when tokens_known is false")
        }
    }

    private static func checkCost(_ value: Double) throws(InvalidField) {
        if !value.isFinite {
            throw InvalidField(field: "cost_usd", number: value, problem: "must be a finite number of US dollars")
        }
        if value < 0 {
            throw InvalidField(field: "cost_usd", number: value, problem: "must be zero or more")
        }
        if value > MetricLimits.maximumCostUsd {
            throw InvalidField(
                field: "cost_usd", number: value,
                problem: "must be at most 1000000 (a million US dollars); cost_usd is dollars: is this micro-dollars (divide by 1,000,000)?")
        }
    }

    private static func checkTimestamp(_ value: Int64) throws(InvalidField) {
        guard value < MetricLimits.earliestTimestamp || value >= MetricLimits.latestTimestamp else { return }
        let looksLikeSeconds =
            value >= MetricLimits.earliestTimestamp / 1000 && value < MetricLimits.latestTimestamp / 1000
        throw InvalidField(
            field: "timestamp", number: value,
            problem: looksLikeSeconds
                ? "looks like Unix seconds; timestamps are Unix milliseconds (multiply by 1000)"
                : "must be Unix milliseconds between 2000-01-01 and 2100-01-01")
    }

    private static func checkMetadata(_ text: String) throws(InvalidField) {
        if text.utf8.count > MetricLimits.maximumMetadataBytes {
            throw InvalidField(field: "metadata", value: text, problem: "must be at most 1 MiB of JSON")
        }
        let object = try? JSONSerialization.jsonObject(with: Data(text.utf8))
        if !(object is [String: Any]) {
            throw InvalidField(field: "metadata", value: text, problem: "must be the text of a JSON object")
        }
    }
}

extension SkillMetrics {
    /// The rule the run breaks (``validate()``), or `nil` when it is valid.
    var validationError: InvalidField? {
        do {
            try validate()
            return nil
        } catch {
            return error
        }
    }

    /// Checks the rules every store applies before it writes a run (``validate()``).
    ///
    /// - Throws: ``ProfilerError`` with the code `invalidMetric`, naming the field, value and rule.
    package func validateForStoring() throws(ProfilerError) {
        do {
            try validate()
        } catch {
            throw .invalidMetric(error)
        }
    }
}
