import Foundation
import SkillForge

/// The overview's sparklines: a skill's p95 latency per day over the same
/// days for every skill, the last ones up to the day of the newest run stored
/// (today, on a store being written; the store's last day, on an old file).
enum SparklineSeries {
    /// The sparkline of a skill's daily p95 over `days`.
    static func daily(
        of skillId: String, in days: TimeWindow, analyzer: Analyzer, timeZone: TimeZone
    ) async throws(ProfilerError) -> Sparkline {
        let points = try await analyzer.timeSeries(forSkill: skillId, bucket: .day, window: days, timeZone: timeZone)
        return Sparkline(
            values: points.map(\.p95),
            labels: points.map { "\(DashboardFormat.bucketLabel($0.start, bucket: .day, in: timeZone)), p95 of \(DashboardFormat.runs($0.runs))" },
            unit: .milliseconds)
    }

    /// The `days` whole local days that end with the day of `milliseconds`.
    static func window(endingOnDayOf milliseconds: Int64, days: Int, in timeZone: TimeZone) -> TimeWindow? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.startOfDay(for: Date(unixMilliseconds: milliseconds))
        guard let end = calendar.date(byAdding: .day, value: 1, to: day),
            let start = calendar.date(byAdding: .day, value: -days, to: end)
        else { return nil }
        return TimeWindow(since: start, until: end)
    }
}
