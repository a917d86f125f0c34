import Foundation
import SkillForge

/// The versions table of a skill's page: each version's figures in the page's
/// window, and the verdict of the newest version against the one before it.
struct SkillVersions {
    /// One version's figures.
    struct Row {
        var name: String
        var href: String
        var runs: String
        var p50: String
        var p95: String
        var tokens: String
        var costPerRun: String
        var failureRate: String
        var failureClass: String
        var firstRun: String
        var lastRun: String
    }

    /// The newest version against the one before.
    struct Verdict {
        var verdictText: String
        var badgeClass: String
        var headline: String
        var href: String
    }

    var rows: [Row] = []
    var verdict: Verdict?

    /// The versions with runs in `window` (oldest first), and the verdict when there are two or more.
    static func load(
        skillId: String, counts: [VersionRunCount], window: TimeWindow, analyzer: Analyzer, request: DashboardRequest
    ) async throws(ProfilerError) -> SkillVersions {
        var versions = SkillVersions()
        var named: [String] = []
        for count in counts {
            guard let version = count.version,
                let summary = try await analyzer.summary(forSkill: skillId, window: window, version: version)
            else { continue }
            named.append(version)
            let zone = request.timeZone
            versions.rows.append(
                Row(
                    name: version, href: request.link(setting: "version", to: version),
                    runs: Readable.count(summary.runs), p50: Readable.milliseconds(summary.executionMs.p50),
                    p95: Readable.milliseconds(summary.executionMs.p95), tokens: Readable.tokens(summary.tokens?.total.mean),
                    costPerRun: Readable.dollars(summary.cost?.mean),
                    failureRate: Readable.percent(summary.failureRate), failureClass: DashboardFormat.failureClass(summary.failureRate),
                    firstRun: String(DashboardFormat.exactTime(summary.firstRun, in: zone).prefix(16)),
                    lastRun: String(DashboardFormat.exactTime(summary.lastRun, in: zone).prefix(16))))
        }
        guard named.count >= 2 else { return versions }
        let (baseline, candidate) = (named[named.count - 2], named[named.count - 1])
        let comparison = try await analyzer.compare(
            skill: skillId, baseline: .version(baseline, in: window), candidate: .version(candidate, in: window))
        let badge = ComparisonText.badge(comparison.verdict)
        var query = FormQuery(items: [("skill", skillId), ("baseline", baseline), ("candidate", candidate)])
        if let last = request.query["last"] {
            query = query.replacing("baseline-window", with: "\(last)..").replacing("candidate-window", with: "\(last)..")
        }
        versions.verdict = Verdict(
            verdictText: "\(candidate) vs \(baseline): \(badge.text)", badgeClass: badge.cssClass,
            headline: ComparisonText.headline(comparison), href: query.link("/compare"))
        return versions
    }
}
