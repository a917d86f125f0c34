import Foundation
import SkillForge

/// `GET /compare?skill=&baseline=&candidate=` (two versions) or with
/// `&baseline-window=14d..7d&candidate-window=7d..` (two windows, each
/// `START..END` as `skill-forge compare --baseline-window` reads it; a side
/// may have both): the form to pick them, then the comparison with both
/// latency and token distributions drawn.
///
/// With a skill and no side, it compares the skill's two newest versions, or
/// without versions its last 7 days of runs with the 7 days before.
struct ComparePage {
    let collector: Collector
    let request: DashboardRequest

    /// The names of a side's query fields, and how the form titles it.
    struct SideFields {
        var title: String
        var version: String
        var window: String
        var placeholder: String
    }

    static let baselineFields = SideFields(title: "Baseline", version: "baseline", window: "baseline-window", placeholder: "14d..7d")
    static let candidateFields = SideFields(title: "Candidate", version: "candidate", window: "candidate-window", placeholder: "7d..")

    func render() async throws -> HTMLPage {
        let skills = try await collector.store.allSkills()
        let skillId = request.query["skill"]
        var model = CompareModel(
            chrome: request.chrome(title: "Compare", isCompare: true, location: collector.store.location),
            skills: [CompareModel.Option(value: "", label: "Choose a skill", isSelected: skillId == nil)]
                + skills.map { CompareModel.Option(value: $0, label: $0, isSelected: $0 == skillId) },
            sides: [], message: nil, result: nil)
        guard let skillId else {
            model.sides = [Self.baselineFields, Self.candidateFields].map { CompareModel.Side($0, versions: [], chosen: (nil, "")) }
            if skills.isEmpty { model.message = "No runs are stored yet." }
            return HTMLPage(html: try DashboardTemplates.render(model, as: .compare))
        }
        let counts = try await collector.store.versionRunCounts(forSkill: skillId)
        guard !counts.isEmpty else {
            throw DashboardProblem.unknownSkill(skillId)
        }
        let versions = counts.compactMap(\.version)
        let (baseline, candidate) = try sides(versions: versions, counts: counts)
        model.sides = [
            CompareModel.Side(Self.baselineFields, versions: versions, chosen: baseline.chosen),
            CompareModel.Side(Self.candidateFields, versions: versions, chosen: candidate.chosen),
        ]
        let comparison = try await collector.analyzer.compare(skill: skillId, baseline: baseline.side, candidate: candidate.side)
        let empty = [("baseline", comparison.baseline), ("candidate", comparison.candidate)].filter { $0.1.runs == 0 }
        guard empty.isEmpty else {
            let listed = counts.map { "\($0.version ?? "(none)") (\(DashboardFormat.runs($0.runs)))" }.joined(separator: ", ")
            model.message = "No runs of \(skillId) for the "
                + empty.map { "\($0.0) (\($0.1.label))" }.joined(separator: " or ") + ". Its versions: \(listed)."
            return HTMLPage(html: try DashboardTemplates.render(model, as: .compare))
        }
        model.result = try await result(of: comparison, skillId: skillId)
        return HTMLPage(html: try DashboardTemplates.render(model, as: .compare))
    }

    // MARK: - Sides

    /// A side as the query gives it: what to compare, and what the form shows.
    private struct Pick {
        var side: ComparisonSide
        var chosen: (version: String?, window: String)
    }

    /// The two sides from the query, or the defaults when it names neither.
    private func sides(versions: [String], counts: [VersionRunCount]) throws(DashboardProblem) -> (Pick, Pick) {
        let fields = [Self.baselineFields, Self.candidateFields]
        let named = fields.contains { request.query[$0.version] != nil || request.query[$0.window] != nil }
        guard named else { return defaultSides(versions: versions, counts: counts) }
        var picks: [Pick] = []
        for field in fields {
            let version = request.query[field.version]
            let text = request.query[field.window] ?? ""
            var window = TimeWindow.all
            if !text.isEmpty {
                do {
                    window = try TimeText.window(text, now: request.now)
                } catch {
                    throw .badQuery(field.window, error.description)
                }
                try DashboardRequest.check(window, field: field.window)
            }
            picks.append(Pick(side: ComparisonSide(version: version, window: window), chosen: (version, text)))
        }
        return (picks[0], picks[1])
    }

    /// The two newest versions, or the week before the last run against the week before that.
    private func defaultSides(versions: [String], counts: [VersionRunCount]) -> (Pick, Pick) {
        if versions.count >= 2 {
            let (baseline, candidate) = (versions[versions.count - 2], versions[versions.count - 1])
            return (Pick(side: .version(baseline), chosen: (baseline, "")), Pick(side: .version(candidate), chosen: (candidate, "")))
        }
        let last = counts.map(\.lastRun).max() ?? request.now.unixMilliseconds
        let week: Int64 = 7 * 86_400_000
        let (middle, start) = (last + 1 - week, last + 1 - 2 * week)
        func text(_ milliseconds: Int64) -> String { DashboardFormat.isoTime(milliseconds) }
        let before = TimeWindow(since: Date(unixMilliseconds: start), until: Date(unixMilliseconds: middle))
        let after = TimeWindow(since: Date(unixMilliseconds: middle), until: nil)
        return (
            Pick(side: .window(before), chosen: (nil, "\(text(start))..\(text(middle))")),
            Pick(side: .window(after), chosen: (nil, "\(text(middle))..")))
    }

    // MARK: - Result

    private func result(of comparison: Comparison, skillId: String) async throws -> CompareModel.Result {
        let badge = ComparisonText.badge(comparison.verdict)
        let names = [comparison.baseline.label, comparison.candidate.label]
        let summaries = [comparison.baseline.summary, comparison.candidate.summary].compactMap { $0 }
        let latencyBins = HistogramBins(
            covering: Double(summaries.map(\.executionMs.min).min() ?? 0), summaries.map(\.executionMs.p95).max() ?? 1,
            about: 24)
        let tokenBins = HistogramBins(covering: 0, summaries.compactMap(\.tokens?.total.p95).max() ?? 1, about: 24)
        let selection = RunSelection(
            MetricsFilter(skillId: skillId),
            sides: (
                RunSubset(version: comparison.baseline.side.version, window: comparison.baseline.side.window),
                RunSubset(version: comparison.candidate.side.version, window: comparison.candidate.side.window)
            ))
        let counts = try await collector.store.scanRuns(
            selection, into: DistributionCounts(latency: latencyBins, tokens: tokenBins, sides: 2)
        ).visitor
        let legend = [ChartCard.LegendItem(name: "baseline: \(names[0])", cssClass: "s1"), .init(name: "candidate: \(names[1])", cssClass: "s2")]
        var charts = [
            ChartCard(
                id: "latency-distribution", title: "Latency distribution, share of each side's runs", legend: legend,
                chartSVG: counts.latency.histogram(unit: .milliseconds, names: names, showsShares: true)
                    .svg(label: "Latency histograms of both sides"))
        ]
        if let tokens = counts.tokens {
            charts.append(
                ChartCard(
                    id: "token-distribution", title: "Tokens per run, share of each side's runs", legend: legend,
                    chartSVG: tokens.histogram(unit: .tokens, names: names, showsShares: true)
                        .svg(label: "Token histograms of both sides")))
        }
        return CompareModel.Result(
            verdictText: badge.text, badgeClass: badge.cssClass,
            headline: "\(skillId): \(names[1]) against \(names[0])",
            // As `skill-forge compare` prints them: the table says the rest.
            hasReasons: comparison.latency == nil || comparison.verdict == .notEnoughData,
            reasons: Array(comparison.reasons.prefix(comparison.latency == nil ? .max : 1)),
            rows: ComparisonText.rows(comparison), charts: charts)
    }
}

/// The model of ``DashboardTemplates/compare``.
struct CompareModel {
    struct Option {
        var value: String
        var label: String
        var isSelected: Bool
    }

    /// A side's fields in the form.
    struct Side {
        var title: String
        var versionField: String
        var windowField: String
        var placeholder: String
        var versions: [Option]
        var window: String

        init(_ fields: ComparePage.SideFields, versions: [String], chosen: (version: String?, window: String)) {
            title = fields.title
            versionField = fields.version
            windowField = fields.window
            placeholder = fields.placeholder
            self.versions = [Option(value: "", label: "any version", isSelected: chosen.version == nil)]
                + versions.map { Option(value: $0, label: $0, isSelected: $0 == chosen.version) }
            window = chosen.window
        }
    }

    struct Result {
        var verdictText: String
        var badgeClass: String
        var headline: String
        var hasReasons: Bool
        var reasons: [String]
        var rows: [ComparisonText.Row]
        var charts: [ChartCard]
    }

    var chrome: PageChrome
    var skills: [Option]
    var sides: [Side]
    var message: String?
    var result: Result?
}
