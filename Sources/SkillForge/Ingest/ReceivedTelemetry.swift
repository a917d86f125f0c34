/// What one OTLP/HTTP logs request of Claude Code's telemetry holds: the
/// contributions of its events to runs, to merge into the store in one
/// transaction, and what could not be read, mapped exactly as
/// `import --from otlp-logs` maps it (``ClaudeCodeEvent``).
///
/// Every log record is an item, in document order: a Claude Code event that is
/// part of a run becomes a contribution (checked on its own, like every row); a
/// malformed record, or a Claude Code event with a malformed value (`duration_ms`
/// that is not a number), is a problem, which the response counts in
/// `partialSuccess.rejectedLogRecords`; events that attribute to no run, and
/// other services' records, are ignored; events known only by a redacted name
/// are counted apart. A text that is not a `LogsData` object is ``unreadable``.
///
/// ```swift
/// let received = ReceivedTelemetry(otlpLogsJSON: Array(body), options: TelemetryOptions(allTools: false))
/// let result = try await store.merge(received.contributions)   // durable once it returns
/// let rejected = received.problems + received.problems(refusedIn: result)
/// // 200 with {"partialSuccess":{"rejectedLogRecords":"\(rejected.count)","errorMessage":"…"}} when rejected is not empty
/// ```
public struct ReceivedTelemetry: Sendable {
    /// The contributions of the payload's events, in its order.
    public private(set) var contributions: [RunContribution] = []
    /// Every log record that cannot be read, in the payload's order.
    public private(set) var problems: [ReceivedRuns.Problem] = []
    /// Log records skipped on purpose: events that are part of no run (an API request
    /// outside any skill, a prompt), other services' records.
    public private(set) var ignoredCount = 0
    /// Events whose skill or tool is known only by a placeholder (`custom_skill`, or no
    /// name without `OTEL_LOG_TOOL_DETAILS=1`): they make no run.
    public private(set) var redactedCount = 0
    /// Why the payload as a whole cannot be read (not JSON, not a `LogsData`), or `nil`;
    /// when set, nothing of it was read.
    public private(set) var unreadable: String?
    /// The item (log record) index of each contribution.
    private var recordIndexes: [Int] = []

    /// Creates an empty result.
    public init() {}

    /// Decodes an `ExportLogsServiceRequest` (a `LogsData`) in OTLP's JSON encoding.
    ///
    /// - Parameters:
    ///   - bytes: The request's body.
    ///   - options: Which tool calls become runs.
    public init(otlpLogsJSON bytes: [UInt8], options: TelemetryOptions = TelemetryOptions()) {
        self.init()
        var index = 0
        try? OTLPLogsReader.read(bytes, file: "request", firstLine: 1, isOneLine: false, options: options) { location, reading in
            defer { index += 1 }
            func refuse(_ field: String?, _ detail: String) {
                problems.append(ReceivedRuns.Problem(index: index, line: location.line, field: field, detail: detail))
            }
            switch reading {
            case .event(let event, let record): add(event, of: record, index: index, line: location.line)
            case .unreadable(let problem): refuse(nil, problem)
            case .unreadableDocument(let problem): unreadable = "not an OTLP JSON ExportLogsServiceRequest: \(problem)"
            case .otherSignal:
                // Sent to the wrong endpoint.
                refuse(nil, "not an OTLP LogsData object: it holds another signal (resourceSpans, resourceMetrics), not resourceLogs")
            }
        }
    }

    /// Decodes an `ExportLogsServiceRequest` in protobuf (`application/x-protobuf`), mapping
    /// its records exactly as ``init(otlpLogsJSON:options:)`` does (the same rows and event
    /// keys); problems carry no line. Bytes that do not decode are ``unreadable``.
    ///
    /// ```swift
    /// let received = ReceivedTelemetry(otlpLogsProtobuf: Array(body))
    /// ```
    public init(otlpLogsProtobuf bytes: [UInt8], options: TelemetryOptions = TelemetryOptions()) {
        self.init()
        var records: [OTLPLogRecord] = []
        do {
            try OTLPProtobuf.forEachLogRecord(inLogsRequest: bytes) { resource, _, record in
                records.append(OTLPLogRecord(record, resource: resource))
            }
        } catch {
            unreadable = error.description
            return
        }
        for (index, record) in records.enumerated() {
            add(ClaudeCodeEvent(record, options: options), of: record, index: index, line: nil)
        }
    }

    /// Keeps what one record's event contributes, or counts it as ignored, redacted or refused.
    private mutating func add(_ event: ClaudeCodeEvent, of record: OTLPLogRecord, index: Int, line: Int?) {
        func refuse(_ field: String?, _ detail: String) {
            problems.append(ReceivedRuns.Problem(index: index, line: line, field: field, detail: detail))
        }
        switch event {
        case .contribution(let contribution):
            if let problem = contribution.validationError {
                refuse(problem.field, problem.description)
            } else {
                contributions.append(contribution)
                recordIndexes.append(index)
            }
        case .rejected(let field, let problem): refuse(field, ClaudeCodeEvent.describe(problem, of: record))
        case .ignored: ignoredCount += 1
        case .redacted: redactedCount += 1
        }
    }

    /// The problems of the contributions that a store refused to merge (``MergeResult/refused``),
    /// at their log records' indexes.
    public func problems(refusedIn result: MergeResult) -> [ReceivedRuns.Problem] {
        result.refused.compactMap { refusal in
            guard recordIndexes.indices.contains(refusal.index) else { return nil }
            return ReceivedRuns.Problem(
                index: recordIndexes[refusal.index], field: refusal.problem.field,
                detail: "event not merged: \(refusal.problem)")
        }
    }
}
