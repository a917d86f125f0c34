import Foundation
import SkillForge

/// `GET /skills/{id}`: one skill over all its runs or a window (`?last=7d`),
/// of every version or one (`?version=2.0`): headline figures, latency p50
/// and p95, tokens and failure rate over time (`?bucket=hour|day|week`, else
/// chosen from the window's length), the latency histogram, the versions side
/// by side with the verdict of the latest against the one before, and the
/// recent failures with their errors, and the cost per run, in all and per model.
struct SkillPage {
    let collector: Collector
    let cache: DashboardCache
    let request: DashboardRequest
    let skillId: String

    /// Failures listed at most.
    static let failuresShown = 10
    /// The newest runs searched for failures.
    static let failuresSearched = 2_000
    /// Versions offered as choices at most (the newest).
    static let versionChoicesShown = 6
    /// Time buckets a chart may have at most.
    static let maximumBuckets = 1_000

    /// The page of a skill: `/skills/` and its id as one path segment.
    static func link(_ skillId: String, query: FormQuery = FormQuery(nil)) -> String {
        query.link("/skills/" + FormQuery.pathSegment(skillId))
    }

    func render() async throws -> HTMLPage {
        let versionCounts = try await collector.store.versionRunCounts(forSkill: skillId)
        guard !versionCounts.isEmpty else {
            throw DashboardProblem.unknownSkill(skillId)
        }
        let version = request.query["version"]
        if let version, !versionCounts.contains(where: { $0.version == version }) {
            throw DashboardProblem.unknownVersion(version, of: skillId, versions: versionCounts.compactMap(\.version))
        }
        let (window, windowLabel) = try request.window()
        let summary = try await collector.analyzer.summary(forSkill: skillId, window: window, version: version)
        let parts = try await runParts(of: summary, in: window, version: version, versionCounts: versionCounts)
        let (versions, failures) = (parts.versions, parts.failures)
        let now = request.now.unixMilliseconds
        let scope = ([version.map { "version \($0)" }] + [windowLabel]).compactMap { $0 }.joined(separator: " · ")
        let emptyText = "No runs" + (version.map { " of version \($0)" } ?? "") + (window == .all ? "." : " in \(windowLabel).")
        let model = SkillModel(
            chrome: request.chrome(title: skillId, location: collector.store.location),
            skillId: skillId,
            summary: summary.map { "\(DashboardFormat.runs($0.runs)) · \(scope)" } ?? emptyText,
            windowChoices: request.windowChoices,
            hasVersionChoices: versionCounts.contains { $0.version != nil },
            versionChoices: versionChoices(versionCounts),
            hasRuns: summary != nil,
            emptyText: emptyText,
            kpis: summary.map { Self.figures($0, now: now, timeZone: request.timeZone) } ?? [],
            charts: parts.charts,
            hasVersions: !versions.rows.isEmpty,
            versions: versions.rows,
            verdict: versions.verdict,
            hasModels: !parts.models.rows.isEmpty,
            models: parts.models.rows,
            hasFailures: !failures.isEmpty,
            failures: failures.map { SkillModel.Failure($0, now: now, timeZone: request.timeZone) },
            failuresNote: failures.count == Self.failuresShown
                ? "the newest \(failures.count) failures"
                : "\(failures.count == 1 ? "1 failure" : "\(failures.count) failures") among the newest \(DashboardFormat.runs(parts.searched))")
        return HTMLPage(html: try DashboardTemplates.render(model, as: .skill))
    }

    // MARK: - What reads the runs

    /// The parts of the page that read the window's runs, rather than the store's totals.
    struct RunParts: Sendable {
        var charts: [ChartCard] = []
        var versions: SkillVersions
        var models: SkillModels
        /// The newest failures, newest first.
        var failures: [SkillMetrics]
        /// How many of the newest runs were searched for them.
        var searched: Int
    }

    /// The charts, the versions table and the recent failures: over all runs,
    /// reused while the skill's totals and versions are unchanged.
    private func runParts(
        of summary: SkillSummary?, in window: TimeWindow, version: String?, versionCounts: [VersionRunCount]
    ) async throws -> RunParts {
        let compute = { @Sendable () async throws -> RunParts in
            let versions = try await SkillVersions.load(
                skillId: skillId, counts: versionCounts, window: window, analyzer: collector.analyzer, request: request)
            let models = try await SkillModels.load(skillId: skillId, window: window, version: version, store: collector.store)
            let (failures, searched) = try await recentFailures(in: window, version: version)
            var parts = RunParts(versions: versions, models: models, failures: failures, searched: searched)
            if let summary {
                parts.charts = try await charts(of: summary, in: window, version: version)
            }
            return parts
        }
        guard window == .all, let totals = try await collector.store.skillTotals(matching: MetricsFilter(skillId: skillId)).skills.first?.totals
        else { return try await compute() }
        // The query shapes the links of the versions table as well as the charts.
        return try await cache.value(
            for: .init(page: "skill", skillId: skillId, parameters: [request.query.encoded]),
            fingerprint: .init(totals: totals, versions: versionCounts), compute: compute)
    }

    private func charts(of summary: SkillSummary, in window: TimeWindow, version: String?) async throws -> [ChartCard] {
        let span = TimeWindow(
            since: window.since ?? Date(unixMilliseconds: summary.firstRun),
            until: window.until ?? (window.since == nil ? Date(unixMilliseconds: summary.lastRun + 1) : request.now))
        let bucket = try self.bucket(for: span)
        let points = try await collector.analyzer.timeSeries(
            forSkill: skillId, bucket: bucket, window: span, timeZone: request.timeZone, version: version)
        let labels = points.map { DashboardFormat.bucketLabel($0.start, bucket: bucket, in: request.timeZone) }
        let notes = points.map { point in
            DashboardFormat.runs(point.runs) + (point.failures > 0 ? ", \(Readable.count(point.failures)) failed" : "")
        }
        let per = "per \(bucket.rawValue)"
        let latency = TimeChart(
            buckets: labels, notes: notes,
            series: [
                .init(name: "p50", values: points.map(\.p50), style: .line, cssClass: "s1"),
                .init(name: "p95", values: points.map(\.p95), style: .line, cssClass: "s2"),
            ],
            unit: .milliseconds)
        let tokens = TimeChart(
            buckets: labels, notes: notes,
            series: [.init(name: "tokens / run", values: points.map(\.meanTokens), style: .line, cssClass: "s2")],
            unit: .tokens)
        let failures = TimeChart(
            buckets: labels, notes: notes,
            series: [.init(name: "failure rate", values: points.map(\.failureRate), style: .bars, cssClass: "bad")],
            unit: .fraction, minimumUpper: 0.05)
        let histogram = try await latencyHistogram(of: summary, in: window, version: version)
        var cost: [ChartCard] = []
        if summary.costRuns > 0 {
            let chart = TimeChart(
                buckets: labels, notes: notes,
                series: [.init(name: "cost / run", values: points.map(\.meanCostUsd), style: .line, cssClass: "s2")],
                unit: .dollars)
            cost.append(
                ChartCard(
                    id: "cost", title: "Cost per run, mean \(per)", legend: [],
                    chartSVG: chart.svg(label: "Mean cost per run \(per)")))
        }
        return [
            ChartCard(
                id: "latency", title: "Latency \(per)", legend: [.init(name: "p50", cssClass: "s1"), .init(name: "p95", cssClass: "s2")],
                chartSVG: latency.svg(label: "Latency p50 and p95 \(per)")),
            ChartCard(
                id: "histogram", title: "Latency distribution",
                legend: [.init(name: DashboardFormat.runs(summary.runs), cssClass: "s2")]
                    + (histogram.hasOverflow ? [.init(name: "above p95", cssClass: "s2 tail")] : []),
                chartSVG: histogram.svg(label: "Latency histogram of \(DashboardFormat.runs(summary.runs))")),
            ChartCard(
                id: "tokens", title: "Tokens per run, mean \(per)", legend: [], chartSVG: tokens.svg(label: "Mean tokens per run \(per)")),
            ChartCard(
                id: "failure-rate", title: "Failure rate \(per)", legend: [],
                chartSVG: failures.svg(label: "Failure rate \(per)")),
        ] + cost
    }

    /// `?bucket=`, or hours for up to 3 days, days for up to 180, weeks beyond.
    private func bucket(for span: TimeWindow) throws(DashboardProblem) -> TimeBucket {
        let milliseconds = Double((span.until ?? request.now).timeIntervalSince(span.since ?? request.now) * 1_000)
        let bucket: TimeBucket
        if let text = request.query["bucket"] {
            guard let chosen = TimeBucket(rawValue: text) else {
                throw .badQuery("bucket", "'\(text)' is no bucket; use hour, day or week")
            }
            bucket = chosen
        } else {
            bucket = milliseconds <= 3 * 86_400_000 ? .hour : milliseconds <= 180 * 86_400_000 ? .day : .week
        }
        let hours = bucket == .hour ? 1.0 : bucket == .day ? 24 : 168
        guard milliseconds / (hours * 3_600_000) <= Double(Self.maximumBuckets) else {
            throw .badQuery("bucket", "\(bucket.rawValue)s over this window make more than \(Self.maximumBuckets) points; choose a longer bucket or a shorter window")
        }
        return bucket
    }

    /// Execution times in round bins from the fastest run to the 95th percentile, and the slowest 5% in one bar
    /// (the tail of a skill's times is long: up to the 99th percentile, most runs would share a bin or two).
    private func latencyHistogram(of summary: SkillSummary, in window: TimeWindow, version: String?) async throws -> Histogram {
        let bins = HistogramBins(covering: Double(summary.executionMs.min), summary.executionMs.p95, about: 24)
        let selection = RunSelection(MetricsFilter(skillId: skillId, window: window, version: version))
        let scan = try await collector.store.scanRuns(selection, into: DistributionCounts(latency: bins, sides: 1))
        return scan.visitor.latency.histogram(unit: .milliseconds, names: ["runs"])
    }

    // MARK: - Figures, versions and failures

    private static func figures(_ summary: SkillSummary, now: Int64, timeZone: TimeZone) -> [Figure] {
        let latency = summary.executionMs
        let tokens = summary.tokens
        return [
            Figure(label: "Runs", value: Readable.count(summary.runs), note: "\(Readable.count(summary.failures)) failed"),
            Figure(label: "p50", value: Readable.milliseconds(latency.p50), note: "mean \(Readable.milliseconds(latency.mean))"),
            Figure(label: "p95", value: Readable.milliseconds(latency.p95), note: "p99 \(Readable.milliseconds(latency.p99))"),
            Figure(
                label: "Failure rate", value: Readable.percent(summary.failureRate),
                note: "\(Readable.count(summary.successes)) succeeded"),
            Figure(
                label: "Tokens / run", value: Readable.tokens(tokens?.total.mean),
                note: tokensNote(summary)),
            Figure(label: "Cost / run", value: Readable.dollars(summary.cost?.mean), note: costNote(summary)),
            Figure(
                label: "Last run", value: DashboardFormat.relativeTime(summary.lastRun, now: now, in: timeZone),
                note: DashboardFormat.exactTime(summary.lastRun, in: timeZone)),
        ]
    }

    /// Input and output tokens per run, and how many runs' tokens are known when some are not.
    private static func tokensNote(_ summary: SkillSummary) -> String {
        guard let tokens = summary.tokens else { return Readable.tokensKnown(0, of: summary.runs) }
        let split = "\(Readable.amount(tokens.in.mean)) in · \(Readable.amount(tokens.out.mean)) out"
        return summary.tokenRuns == summary.runs ? split : split + " · " + Readable.tokensKnown(summary.tokenRuns, of: summary.runs)
    }

    /// The total cost, and how many runs' cost is known when some are not.
    private static func costNote(_ summary: SkillSummary) -> String {
        let known = Readable.costKnown(summary.costRuns, of: summary.runs)
        guard let cost = summary.cost else { return known }
        let total = "\(Readable.dollars(cost.total)) in all"
        return summary.costRuns == summary.runs ? total : total + " · " + known
    }

    /// `All` and the newest versions, the current one marked.
    private func versionChoices(_ counts: [VersionRunCount]) -> [Choice] {
        let current = request.query["version"]
        let versions = counts.compactMap(\.version).suffix(Self.versionChoicesShown)
        return [Choice(label: "All", href: request.link(setting: "version", to: nil), isCurrent: current == nil)]
            + versions.map { Choice(label: $0, href: request.link(setting: "version", to: $0), isCurrent: current == $0) }
    }

    /// The newest failures among the newest runs, and how many runs were searched.
    private func recentFailures(in window: TimeWindow, version: String?) async throws(ProfilerError) -> ([SkillMetrics], Int) {
        let newest = MetricsFilter(
            skillId: skillId, window: window, version: version, order: .newestFirst, limit: Self.failuresSearched)
        var failures: [SkillMetrics] = []
        var searched = 0
        for try await run in collector.store.metrics(matching: newest) {
            searched += 1
            guard !run.success else { continue }
            failures.append(run)
            if failures.count == Self.failuresShown { break }
        }
        return (failures, searched)
    }
}
