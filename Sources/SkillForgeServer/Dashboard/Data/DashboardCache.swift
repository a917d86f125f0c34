import SkillForge

/// What the dashboard computed from a skill's runs (a summary with its
/// percentiles, a sparkline, a page's charts), kept while those runs are
/// unchanged, so that a page over a large store costs a read of the store's
/// totals and little more.
///
/// Every load still reads the store: each entry carries the fingerprint of
/// the runs it was computed from (the skill's totals, which the store keeps up
/// to date as runs are written, deleted or changed by any process), and a
/// load whose fresh fingerprint differs computes the entry again.
///
/// ```swift
/// let row = try await cache.value(for: .init(page: "overview", skillId: id), fingerprint: .init(totals: totals)) {
///     try await analyzer.summary(forSkill: id)
/// }
/// ```
actor DashboardCache {
    /// What an entry is for: a page's part, a skill, and the page's parameters.
    struct Key: Hashable, Sendable {
        var page: String
        var skillId: String
        var parameters: [String] = []
    }

    /// What the entry was computed from: the skill's totals (runs, failures,
    /// sums, extremes, first and last run), its versions, the window drawn.
    struct Fingerprint: Hashable, Sendable {
        var totals: RunTotals
        var versions: [VersionRunCount] = []
        var window: TimeWindow = .all
    }

    /// Entries kept at most; past it the cache starts again empty.
    static let capacity = 4_096

    private var entries: [Key: (fingerprint: Fingerprint, value: any Sendable)] = [:]
    /// The computations under way: a load that needs one of them waits for it
    /// rather than computing the same value again (the first load of a large
    /// store, and the warm-up of ``DashboardRoutes/warmUp()``, take seconds).
    private var computing: [Key: (fingerprint: Fingerprint, task: Task<any Sendable, any Error>)] = [:]

    /// How many values are kept.
    var count: Int { entries.count }

    /// The value computed for `key` from runs with this fingerprint, computing it when there is none.
    func value<Value: Sendable>(
        for key: Key, fingerprint: Fingerprint, compute: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        if let entry = entries[key], entry.fingerprint == fingerprint, let value = entry.value as? Value {
            return value
        }
        let task: Task<any Sendable, any Error>
        if let running = computing[key], running.fingerprint == fingerprint {
            task = running.task
        } else {
            task = Task { try await compute() }
            computing[key] = (fingerprint, task)
        }
        let result = await task.result
        // A failed computation is forgotten with the finished one: the next load tries again.
        if computing[key]?.fingerprint == fingerprint { computing[key] = nil }
        let computed = try result.get()
        guard let value = computed as? Value else { return try await compute() }
        if entries.count >= Self.capacity { entries.removeAll() }
        entries[key] = (fingerprint, value)
        return value
    }
}
