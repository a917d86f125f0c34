import Foundation
import SkillForge

/// The model of ``DashboardTemplates/skill``.
struct SkillModel {
    /// One failed run.
    struct Failure {
        /// Errors longer than this are cut (the whole error is in ``SkillMetrics/error``).
        static let errorLength = 400

        var time: String
        var timeExact: String
        var timeISO: String
        var version: String
        var model: String
        var duration: String
        var error: String

        init(_ run: SkillMetrics, now: Int64, timeZone: TimeZone) {
            time = DashboardFormat.relativeTime(run.timestamp, now: now, in: timeZone)
            timeExact = DashboardFormat.exactTime(run.timestamp, in: timeZone)
            timeISO = DashboardFormat.isoTime(run.timestamp)
            version = run.version ?? "–"
            model = run.model ?? "–"
            duration = Readable.milliseconds(run.executionMs)
            let text = run.error ?? "(no error message)"
            error = text.count > Self.errorLength ? String(text.prefix(Self.errorLength)) + "…" : text
        }
    }

    var chrome: PageChrome
    var skillId: String
    var summary: String
    var windowChoices: [Choice]
    var hasVersionChoices: Bool
    var versionChoices: [Choice]
    var hasRuns: Bool
    var emptyText: String
    var kpis: [Figure]
    var charts: [ChartCard]
    var hasVersions: Bool
    var versions: [SkillVersions.Row]
    var verdict: SkillVersions.Verdict?
    var hasModels: Bool
    var models: [SkillModels.Row]
    var hasFailures: Bool
    var failures: [Failure]
    var failuresNote: String
}
