import Logging
import Prometheus
import SkillForge

/// What the collector's routes share: the store, its group-commit writer, the
/// analyzer that answers the read API, and the configuration.
///
/// ```swift
/// let collector = Collector(store: try ProfilerDB(path: "skill-forge.db"), configuration: ServerConfiguration())
/// let app = buildApplication(collector: collector, logger: logger)
/// try await app.runService()
/// ```
public struct Collector: Sendable {
    /// Where runs are stored.
    public let store: any MetricsStore
    /// Writes each request's runs durably, many requests sharing a transaction.
    public let commits: GroupCommit
    /// Answers the read API and the dashboard.
    public let analyzer: Analyzer
    /// How the server listens and what it accepts.
    public let configuration: ServerConfiguration
    /// The Prometheus registry `/metrics` shows; bootstrap `MetricsSystem` with a
    /// `PrometheusMetricsFactory` over it to include swift-metrics' metrics.
    public let registry: PrometheusCollectorRegistry
    /// The transcript imports that hooks started in the background.
    let transcriptImports = TranscriptImports()

    /// The prices of the runs stored without a cost (the transcripts the hook route imports too).
    public let pricing: PriceList

    /// Creates the collector's shared state; runs without a stated cost get theirs from `pricing`.
    public init(
        store: any MetricsStore, configuration: ServerConfiguration, pricing: PriceList = .shipped,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) {
        self.store = store
        self.pricing = pricing
        self.commits = GroupCommit(store: store, pricing: pricing)
        self.analyzer = Analyzer(store: store)
        self.configuration = configuration
        self.registry = registry
    }

    /// Waits for the work requests left running after their answers (the transcript
    /// imports of `Stop` hooks): call it once the server has stopped, before closing the store.
    ///
    /// ```swift
    /// try await app.runService()
    /// await collector.finishBackgroundWork()
    /// ```
    public func finishBackgroundWork() async {
        await transcriptImports.finish()
    }
}
