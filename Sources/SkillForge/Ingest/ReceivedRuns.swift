/// The runs one payload held in memory describes (an HTTP request's body), each
/// validated and with its `runId` set, and what in it could not become a run.
///
/// The collector (`skill-forge serve`) decodes every request body with one of
/// these initialisers and stores ``metrics`` in one transaction; the same
/// rules as `skill-forge import` apply, so a payload stored twice adds nothing.
///
/// ```swift
/// let received = ReceivedRuns(metricsJSON: Array(#"[{"skillId":"summarise","executionMs":840,"tokensIn":1200,"tokensOut":310,"success":true}]"#.utf8))
/// if received.problems.isEmpty {
///     try await store.insert(contentsOf: received.metrics, duplicateRuns: .skip)
/// }
/// ```
public struct ReceivedRuns: Sendable {
    /// The runs, validated, in the payload's order; runs without a `runId` get one
    /// derived from their fields (``RunIdentity/derived(for:)``).
    public var metrics: [SkillMetrics] = []
    /// Every item that cannot become a run, in the payload's order.
    public var problems: [Problem] = []
    /// Items skipped on purpose: spans that are no tool or agent execution.
    public var ignoredCount = 0
    /// Why the payload as a whole cannot be read (not JSON, not the message it should be), or
    /// `nil`; when set, nothing of it was read. Initialisers of one-item-per-record payloads
    /// (metrics) report such failures as ``problems`` of their item instead.
    public var unreadable: String?

    /// Creates an empty result.
    public init() {}

    /// An item of a payload that cannot become a run.
    public struct Problem: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The item's 0-based position among the payload's items (array elements,
        /// lines of NDJSON, spans of a trace).
        public var index: Int
        /// The item's 1-based line in the payload, when the payload has several lines.
        public var line: Int?
        /// The column or attribute at fault, such as `tokens_in`, when one is.
        public var field: String?
        /// What is wrong, in words a user can act on.
        public var detail: String

        /// Creates a problem.
        public init(index: Int, line: Int? = nil, field: String? = nil, detail: String) {
            self.index = index
            self.line = line
            self.field = field
            self.detail = detail
        }

        /// `item 3: tokens_in -5: must be zero or more`.
        public var description: String {
            let place = line.map { "item \(index) (line \($0))" } ?? "item \(index)"
            return "\(place): \(detail)"
        }
    }

    // MARK: - Adding items

    /// Validates `metric`, gives it a run id when it has none, and keeps it, or records why it is refused.
    mutating func add(_ metric: SkillMetrics, index: Int, line: Int?) {
        var metric = metric
        do {
            try metric.validate()
        } catch {
            problems.append(Problem(index: index, line: line, field: error.field, detail: error.description))
            return
        }
        if metric.runId == nil { metric.runId = RunIdentity.derived(for: metric) }
        metrics.append(metric)
    }

    /// Records an item that cannot become a run.
    mutating func refuse(index: Int, line: Int?, _ error: any Error) {
        let field = (error as? FieldProblem)?.field
        problems.append(Problem(index: index, line: line, field: field, detail: "\(error)"))
    }
}
