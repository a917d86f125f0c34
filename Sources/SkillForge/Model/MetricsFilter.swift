/// Which stored runs to read, and in which order.
///
/// ```swift
/// let recentFailures = try db.metrics(matching: MetricsFilter(
///     skillId: "time-tracker", window: .last(.days(7)), order: .newestFirst, limit: 20))
/// ```
public struct MetricsFilter: Sendable, Hashable {
    /// The order rows come back in.
    public enum Order: String, Sendable, Hashable, CaseIterable {
        /// By timestamp, oldest first (ties by id).
        case oldestFirst
        /// By timestamp, newest first (ties by id, highest first).
        case newestFirst
        /// By id: the order rows were stored in.
        case insertion
    }

    /// Only runs of this skill; `nil` for every skill.
    public var skillId: String?
    /// Only runs that started inside this window.
    public var window: TimeWindow
    /// Only runs of this skill version.
    public var version: String?
    /// Only runs on this model.
    public var model: String?
    /// The order of the results.
    public var order: Order
    /// At most this many rows; `nil` for all.
    public var limit: Int?

    /// Creates a filter; with no arguments it matches every row, oldest first.
    public init(
        skillId: String? = nil,
        window: TimeWindow = .all,
        version: String? = nil,
        model: String? = nil,
        order: Order = .oldestFirst,
        limit: Int? = nil
    ) {
        self.skillId = skillId
        self.window = window
        self.version = version
        self.model = model
        self.order = order
        self.limit = limit
    }

    /// The same filter without its limit.
    var unlimited: MetricsFilter {
        var copy = self
        copy.limit = nil
        return copy
    }
}
