import Foundation
import SkillForge

/// The overview's skills: each skill's summary and its sparkline, sorted.
///
/// Over all runs (the default), a load reads every skill's totals (one read
/// of the store's rollups) and reuses each skill's summary and sparkline
/// (and the row drawn from them) while its totals are unchanged
/// (``DashboardCache``). Over a window, both are computed afresh, reading the
/// window's runs.
struct OverviewData {
    /// One row of the table: the summary, and the row drawn from it (its sparkline's SVG included).
    struct Skill: Sendable {
        var summary: SkillSummary
        var row: OverviewModel.Row

        init(summary: SkillSummary, sparkline: Sparkline?, timeZone: TimeZone) {
            self.summary = summary
            row = OverviewModel.Row(
                summary, href: SkillPage.link(summary.skillId), timeZone: timeZone,
                sparkSVG: sparkline?.svg(label: "p95 per day of \(summary.skillId)") ?? "")
        }
    }

    let collector: Collector
    let cache: DashboardCache
    let timeZone: TimeZone

    /// The days a sparkline covers, up to the day of the newest run.
    static let sparklineDays = 14

    func skills(in window: TimeWindow, sortedBy order: SummaryOrder) async throws -> [Skill] {
        guard window == .all else {
            let summaries = try await collector.analyzer.summaries(window: window, sortedBy: order)
            let days = sparklineDays(endingWith: summaries.map(\.lastRun).max())
            var skills: [Skill] = []
            for summary in summaries {
                skills.append(
                    Skill(summary: summary, sparkline: try await sparkline(of: summary.skillId, in: days), timeZone: timeZone))
            }
            return skills
        }
        let report = try await collector.store.skillTotals(matching: MetricsFilter())
        let days = sparklineDays(endingWith: report.skills.compactMap(\.totals.lastRun).max())
        var skills: [String: Skill] = [:]
        for skill in report.skills {
            let skillId = skill.skillId
            let row = try await cache.value(
                for: .init(page: "overview", skillId: skillId), fingerprint: .init(totals: skill.totals, window: days ?? .all)
            ) { () async throws -> Skill? in
                guard let summary = try await collector.analyzer.summary(forSkill: skillId) else { return nil }
                return Skill(summary: summary, sparkline: try await sparkline(of: skillId, in: days), timeZone: timeZone)
            }
            skills[skillId] = row
        }
        return order.sorted(skills.values.map(\.summary)).compactMap { skills[$0.skillId] }
    }

    /// The sparkline days that end with the day of the newest run, or `nil` without runs.
    private func sparklineDays(endingWith newest: Int64?) -> TimeWindow? {
        newest.flatMap { SparklineSeries.window(endingOnDayOf: $0, days: Self.sparklineDays, in: timeZone) }
    }

    private func sparkline(of skillId: String, in days: TimeWindow?) async throws(ProfilerError) -> Sparkline? {
        guard let days else { return nil }
        return try await SparklineSeries.daily(of: skillId, in: days, analyzer: collector.analyzer, timeZone: timeZone)
    }
}
