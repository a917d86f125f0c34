import Foundation

/// One execution of a skill: a row of the `skill_metrics` table.
///
/// The first seven properties are the original Profiler Database contract
/// (`skill_id`, `execution_ms`, `tokens_in`, `tokens_out`, `success`,
/// `timestamp`); the rest are optional details added by later schema
/// migrations, `nil` for rows that never had them.
///
/// ```swift
/// let run = SkillMetrics(
///     skillId: "time-tracker",
///     executionMs: 412,
///     tokensIn: 1_200,
///     tokensOut: 350,
///     success: true,
///     version: "1.2.0",
///     model: "claude-sonnet-4-5")
/// let stored = try db.insert(run)   // stored.id is now set
/// ```
///
/// JSON uses the seed's camelCase names (`skillId`, `executionMs`, …);
/// the database and CSV use the table's snake_case column names.
public struct SkillMetrics: Codable, Sendable, Hashable {
    /// The row id, `nil` until the row is inserted.
    public var id: Int64?
    /// The skill's name, as the agent knows it (`skill_id`).
    public var skillId: String
    /// Wall-clock duration of the execution, in milliseconds.
    public var executionMs: Int64
    /// Input (prompt) tokens; 0 when ``tokensKnown`` is `false`.
    public var tokensIn: Int64
    /// Output (completion) tokens; 0 when ``tokensKnown`` is `false`.
    public var tokensOut: Int64
    /// Whether the execution succeeded.
    public var success: Bool
    /// When the execution started, in Unix epoch milliseconds (UTC).
    public var timestamp: Int64

    /// The skill's version, such as `1.2.0` or a git revision.
    public var version: String?
    /// The model that ran the skill, such as `claude-sonnet-4-5`.
    public var model: String?
    /// The error message of a failed execution.
    public var error: String?
    /// Whether `tokensIn`/`tokensOut` are estimates rather than reported usage.
    public var tokensEstimated: Bool?
    /// Input tokens served from the prompt cache.
    public var cacheReadTokens: Int64?
    /// Input tokens written to the prompt cache.
    public var cacheCreationTokens: Int64?
    /// The agent session the execution belongs to.
    public var sessionId: String?
    /// A unique id of this execution; importers use it to skip rows they already stored.
    /// The profilers and `skill-forge record` give every run a UUID.
    public var runId: String?
    /// What recorded the row: ``MetricSource/profiler``, ``MetricSource/cli``, an importer…
    public var source: String?
    /// Free-form details, as the text of a JSON object.
    public var metadata: String?
    /// What the execution cost in US dollars, as the agent reported it; `nil` when unknown (never 0 for unknown).
    public var costUsd: Double?
    /// Whether the token counts were measured or estimated at all: `false` for a
    /// run whose tokens nobody knows (a tool call without usage, a transcript
    /// from before skills were attributed), whose `tokensIn`/`tokensOut` are 0
    /// and which the token statistics leave out. `nil` (every row of the seed
    /// and of older versions) and `true` mean known; see ``hasKnownTokens``.
    public var tokensKnown: Bool?
    /// Whether ``costUsd`` was computed from a price list (``PriceList``) rather
    /// than stated by the source: `true` for a computed cost, which `skill-forge
    /// reprice` may compute again; `nil` for a stated cost or none. A stated cost
    /// is never replaced.
    public var costEstimated: Bool?

    /// The fields, in the order of the table's columns: the one definition that
    /// the column list, the bound arguments, the decoding of a row, imports and
    /// exports follow (see SkillMetrics+Fields.swift).
    ///
    /// A case's name is the field's JSON name (`skillId`); ``columnName`` is its
    /// column's (`skill_id`). Its `rawValue` is its position in this order, from 0
    /// for `id`: the position of its column in `SELECT` lists, rows and CSV lines.
    package enum CodingKeys: Int, CodingKey, CaseIterable, Sendable {
        case id, skillId, executionMs, tokensIn, tokensOut, success, timestamp
        case version, model, error, tokensEstimated, cacheReadTokens, cacheCreationTokens
        case sessionId, runId, source, metadata
        case costUsd
        case tokensKnown
        case costEstimated
    }

    /// Creates a metric row.
    ///
    /// - Parameters:
    ///   - timestamp: Unix epoch milliseconds; defaults to now.
    public init(
        id: Int64? = nil,
        skillId: String,
        executionMs: Int64,
        tokensIn: Int64,
        tokensOut: Int64,
        success: Bool,
        timestamp: Int64 = Date().unixMilliseconds,
        version: String? = nil,
        model: String? = nil,
        error: String? = nil,
        tokensEstimated: Bool? = nil,
        cacheReadTokens: Int64? = nil,
        cacheCreationTokens: Int64? = nil,
        sessionId: String? = nil,
        runId: String? = nil,
        source: String? = nil,
        metadata: String? = nil,
        costUsd: Double? = nil,
        tokensKnown: Bool? = nil,
        costEstimated: Bool? = nil
    ) {
        self.id = id
        self.skillId = skillId
        self.executionMs = executionMs
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.success = success
        self.timestamp = timestamp
        self.version = version
        self.model = model
        self.error = error
        self.tokensEstimated = tokensEstimated
        self.cacheReadTokens = cacheReadTokens
        self.cacheCreationTokens = cacheCreationTokens
        self.sessionId = sessionId
        self.runId = runId
        self.source = source
        self.metadata = metadata
        self.costUsd = costUsd
        self.tokensKnown = tokensKnown
        self.costEstimated = costEstimated
    }

    /// When the execution started, as a `Date`.
    public var date: Date {
        get { Date(unixMilliseconds: timestamp) }
        set { timestamp = newValue.unixMilliseconds }
    }

    /// Whether the run's tokens are known (``tokensKnown`` is not `false`).
    ///
    /// ```swift
    /// SkillMetrics(skillId: "lint", executionMs: 90, tokensIn: 0, tokensOut: 0, success: true,
    ///              tokensKnown: false).hasKnownTokens   // false
    /// ```
    public var hasKnownTokens: Bool { tokensKnown != false }

    /// Input plus output tokens (saturating at `Int64.max`, for values that were never validated).
    public var totalTokens: Int64 { tokensIn.saturatingAdd(tokensOut) }
}

// MARK: - Sources

/// Conventional values of ``SkillMetrics/source``.
public enum MetricSource {
    /// Recorded by ``Profiler`` around a Swift closure.
    public static let profiler = "profiler"
    /// Recorded by `skill-forge profile` around a command.
    public static let command = "command"
    /// Recorded by `skill-forge record`.
    public static let cli = "cli"
    /// Recorded by the `record_run` tool of `skill-forge mcp`.
    public static let mcp = "mcp"
}
