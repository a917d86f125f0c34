// How a filter selects runs, in Swift: what stores without a query language
// (the memory store) use, and what every store's own queries must agree with.

extension TimeWindow {
    /// Whether an instant (Unix milliseconds) lies inside the window.
    func contains(_ timestamp: Int64) -> Bool {
        (sinceMilliseconds.map { timestamp >= $0 } ?? true) && (untilMilliseconds.map { timestamp < $0 } ?? true)
    }
}

extension MetricsFilter {
    /// Whether a run matches the filter's conditions (not its order or limit).
    func matches(_ metric: SkillMetrics) -> Bool {
        (skillId == nil || metric.skillId == skillId) && window.contains(metric.timestamp)
            && (version == nil || metric.version == version) && (model == nil || metric.model == model)
    }

    /// Whether run `a` comes before run `b` in the filter's order.
    func orders(_ a: SkillMetrics, before b: SkillMetrics) -> Bool {
        let (idA, idB) = (a.id ?? 0, b.id ?? 0)
        switch order {
        case .oldestFirst: return (a.timestamp, idA) < (b.timestamp, idB)
        case .newestFirst: return (a.timestamp, idA) > (b.timestamp, idB)
        case .insertion: return idA < idB
        }
    }
}
