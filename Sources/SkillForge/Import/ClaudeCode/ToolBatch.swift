/// The tool calls of a chain's latest API message, and the latest of their results so far.
///
/// Claude Code runs the calls of one message (parallel tool use) together or one after
/// another, and the transcript does not say which: a `Skill` launched beside a `Task`
/// gets its result only when the Task's arrives, 31 s later in a real session, for a
/// launch that takes a tenth of a second. So a call's time is taken to start no earlier
/// than the result of a sibling that arrived before its own; what that takes out is
/// kept as `queued_ms`.
struct ToolBatch {
    private var message: String?
    private var calls: Set<String> = []
    private var latestResult: Int64?

    /// Adds the calls of an assistant line; a line of another message starts a new batch.
    mutating func add(_ line: TranscriptLine) {
        guard !line.toolUses.isEmpty else { return }
        let key = line.messageKey
        if key == nil || key != message {
            (message, latestResult) = (key, nil)
            calls.removeAll(keepingCapacity: true)
        }
        for use in line.toolUses {
            if let id = use.id { calls.insert(id) }
        }
    }

    /// The time the call `id`, answered at `time`, waited for until: the latest result of
    /// its siblings that came before its own, or `nil` when none did (results written at
    /// the same moment show no waiting).
    mutating func queuedUntil(answering id: String, at time: Int64?) -> Int64? {
        guard calls.contains(id) else { return nil }
        let waited = latestResult
        if let time { latestResult = max(latestResult ?? time, time) }
        guard let waited, let time, waited < time else { return nil }
        return waited
    }
}
