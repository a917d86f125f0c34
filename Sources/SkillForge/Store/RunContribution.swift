/// One event's part of a run: what a telemetry event tells about the execution
/// it belongs to (a tool's result, an API request made for it), to be merged
/// into that run's row with ``MetricsStore/merge(_:)``.
///
/// A run is the merge of its contributions, and merging is commutative and
/// associative: the row is the same whatever order the events arrive in, in
/// one call or in many, so a late event simply merges into the stored row.
///
/// | Column | The merge of the contributions |
/// |---|---|
/// | `timestamp`, `execution_ms` | the earliest ``start``; the latest ``end`` minus it |
/// | `tokens_in`, `tokens_out` | sums (0 without any) |
/// | `tokens_known` | NULL (known) when any contribution has a ``usage``, else 0: a run no event told the tokens of has unknown tokens |
/// | `cache_read_tokens`, `cache_creation_tokens`, `cost_usd` | sums, NULL when no contribution has one; costs add as whole nanodollars (10⁻⁹ USD), exactly |
/// | `success`, `error` | no contribution failed; the error of the failure with the earliest ``end`` |
/// | `model` | the model of the contribution with the earliest ``end`` that names one |
/// | `tokens_estimated` | true when any tokens are estimates, false when all were reported, NULL without tokens |
/// | `metadata` | how many contributions of each ``event`` kind, and the times that decide `error` and `model` |
///
/// Ties (two errors at the same millisecond) go to the text that sorts first by
/// its UTF-8 bytes. Every contribution of a run names the same skill, session
/// and source (its run id holds them); the stored row keeps its own.
///
/// ```swift
/// let result = try await store.merge([
///     RunContribution(
///         eventKey: 0x5eed, runId: "claude-code:s1:p1:review", skillId: "review", event: "api_request",
///         start: 1_795_132_800_000, end: 1_795_132_802_400,
///         usage: RunContribution.Usage(input: 1_200, output: 310), costUsd: 0.0125, model: "claude-sonnet-4-5"),
/// ])
/// print(result.merged, result.alreadyMerged)   // 1 0; the same call again: 0 1
/// ```
public struct RunContribution: Sendable, Hashable {
    /// The identity of the event (a 64-bit hash of it): a store records the key
    /// of every contribution it merges, and one whose key it holds adds nothing.
    public var eventKey: Int64
    /// The run the event belongs to (its row's `run_id`).
    public var runId: String
    /// The skill, as the row names it (`skill_id`).
    public var skillId: String
    /// What kind of event this is, such as `tool_result` or `api_request`: counted per kind in the row's metadata.
    public var event: String
    /// When the part of the run this event covers started, in Unix milliseconds.
    public var start: Int64
    /// When it ended, in Unix milliseconds: the event's own time, for events logged as something completes.
    public var end: Int64
    /// Whether the part succeeded; `nil` when the event says nothing of success (an API request).
    public var succeeded: Bool?
    /// Why the part failed, when it did.
    public var error: String?
    /// The tokens the event used, or `nil` when it says nothing of tokens.
    public var usage: Usage?
    /// What the event cost in US dollars, or `nil` when unknown.
    public var costUsd: Double?
    /// The model the event used.
    public var model: String?
    /// The agent session (`session_id`).
    public var sessionId: String?
    /// What recorded the row (`source`).
    public var source: String?

    /// Creates a contribution.
    public init(
        eventKey: Int64, runId: String, skillId: String, event: String, start: Int64, end: Int64,
        succeeded: Bool? = nil, error: String? = nil, usage: Usage? = nil, costUsd: Double? = nil,
        model: String? = nil, sessionId: String? = nil, source: String? = nil
    ) {
        self.eventKey = eventKey
        self.runId = runId
        self.skillId = skillId
        self.event = event
        self.start = start
        self.end = end
        self.succeeded = succeeded
        self.error = error
        self.usage = usage
        self.costUsd = costUsd
        self.model = model
        self.sessionId = sessionId
        self.source = source
    }

    /// Tokens that one event used.
    public struct Usage: Sendable, Hashable {
        /// Input (prompt) tokens, not counting the cache's.
        public var input: Int64
        /// Output (completion) tokens.
        public var output: Int64
        /// Input tokens read from the prompt cache, when reported.
        public var cacheRead: Int64?
        /// Input tokens written to the prompt cache, when reported.
        public var cacheCreation: Int64?
        /// Whether the counts are estimates (from bytes) rather than reported usage.
        public var isEstimated: Bool

        /// Creates a usage.
        public init(input: Int64, output: Int64, cacheRead: Int64? = nil, cacheCreation: Int64? = nil, isEstimated: Bool = false) {
            self.input = input
            self.output = output
            self.cacheRead = cacheRead
            self.cacheCreation = cacheCreation
            self.isEstimated = isEstimated
        }
    }
}

// MARK: - Results

/// What ``MetricsStore/merge(_:)`` did.
public struct MergeResult: Sendable, Hashable {
    /// Contributions merged into a run: events not merged before.
    public var merged = 0
    /// Contributions whose event was merged before (by an earlier call, or earlier in this one): they added nothing.
    public var alreadyMerged = 0
    /// Runs stored for the first time.
    public var insertedRuns = 0
    /// Stored runs that contributions changed.
    public var updatedRuns = 0
    /// Contributions refused because they, or their run with them merged in, break a rule of
    /// the store (``SkillMetrics/validate()``): nothing of them is written, and their events are not recorded.
    public var refused: [Refusal] = []

    /// Creates a result.
    public init(merged: Int = 0, alreadyMerged: Int = 0, insertedRuns: Int = 0, updatedRuns: Int = 0, refused: [Refusal] = []) {
        self.merged = merged
        self.alreadyMerged = alreadyMerged
        self.insertedRuns = insertedRuns
        self.updatedRuns = updatedRuns
        self.refused = refused
    }

    /// A refused contribution.
    public struct Refusal: Sendable, Hashable {
        /// Its position in the call's array.
        public var index: Int
        /// The rule it breaks, or its run would break with it merged in.
        public var problem: InvalidField

        /// Creates a refusal.
        public init(index: Int, problem: InvalidField) {
            self.index = index
            self.problem = problem
        }
    }
}
