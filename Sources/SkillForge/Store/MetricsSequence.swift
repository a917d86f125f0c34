/// The runs a filter selects, as an asynchronous sequence read page by page.
///
/// ```swift
/// for try await run in store.metrics(matching: MetricsFilter(skillId: "summarise", order: .newestFirst)) {
///     print(run.timestamp, run.executionMs)
/// }
/// ```
///
/// Memory holds one page whatever the number of runs, and a page is read only
/// when the previous one is consumed (back-pressure). The sequence covers the
/// runs stored when it started (ids up to the highest one then); a run deleted
/// while it is read is not returned after its deletion. Rows that break the
/// rules of the store are skipped.
public struct MetricsSequence: AsyncSequence, Sendable {
    public typealias Element = SkillMetrics
    public typealias Failure = ProfilerError

    let store: any MetricsStore
    let filter: MetricsFilter
    let pageSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, filter: filter, pageSize: pageSize)
    }

    /// Reads the next page when the current one is used up.
    public struct Iterator: AsyncIteratorProtocol {
        let store: any MetricsStore
        let filter: MetricsFilter
        let pageSize: Int
        private var page: [SkillMetrics] = []
        private var index = 0
        private var request: MetricsPage?
        private var remaining: Int?
        private var isFinished = false

        init(store: any MetricsStore, filter: MetricsFilter, pageSize: Int) {
            self.store = store
            self.filter = filter
            self.pageSize = Swift.max(1, pageSize)
            self.remaining = filter.limit.map { Swift.max(0, $0) }
        }

        public mutating func next() async throws(ProfilerError) -> SkillMetrics? {
            if index == page.count {
                guard !isFinished, remaining != 0 else { return nil }
                try await readPage()
                guard !page.isEmpty else { return nil }
            }
            let metric = page[index]
            index += 1
            remaining = remaining.map { $0 - 1 }
            return metric
        }

        private mutating func readPage() async throws(ProfilerError) {
            var request: MetricsPage
            if let next = self.request {
                request = next
            } else {
                request = MetricsPage(filter: filter, upToId: try await store.lastId(), size: pageSize)
                guard request.upToId != nil else {
                    isFinished = true
                    page = []
                    return
                }
            }
            request.size = Swift.min(pageSize, remaining ?? pageSize)
            page = try await store.metricsPage(request)
            index = 0
            isFinished = page.count < request.size
            if let last = page.last, let id = last.id {
                request.after = (last.timestamp, id)
            }
            self.request = request
        }
    }
}

extension MetricsStore {
    /// The runs `filter` selects, in its order and up to its limit, read a page at a time.
    ///
    /// ```swift
    /// for try await run in store.metrics(matching: MetricsFilter(skillId: "summarise")) {
    ///     print(run.executionMs)
    /// }
    /// ```
    public func metrics(matching filter: MetricsFilter, pageSize: Int = 2_048) -> MetricsSequence {
        MetricsSequence(store: self, filter: filter, pageSize: pageSize)
    }
}
