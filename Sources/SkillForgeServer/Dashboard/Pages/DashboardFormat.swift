import Foundation
import SkillForge

/// How the dashboard writes times and rates: relative times for people
/// (`5 min ago`), exact ones for hover titles, short bucket labels for axes,
/// and the colour class of a failure rate.
///
/// ```swift
/// DashboardFormat.relativeTime(now - 300_000, now: now)   // "5 min ago"
/// DashboardFormat.failureClass(0.12)                      // "bad"
/// ```
enum DashboardFormat {
    /// How long ago a moment was: `just now`, `5 min ago`, `3 h ago`, `12 days ago`, or its date past 60 days.
    static func relativeTime(_ milliseconds: Int64, now: Int64, in timeZone: TimeZone) -> String {
        let (elapsed, overflow) = now.subtractingReportingOverflow(milliseconds)
        let seconds = overflow ? -1 : elapsed / 1_000
        switch seconds {
        case ..<0: return String(exactTime(milliseconds, in: timeZone).prefix(10))
        case ..<60: return "just now"
        case ..<3_600: return "\(seconds / 60) min ago"
        case ..<172_800: return "\(seconds / 3_600) h ago"
        case ..<5_184_000: return "\(seconds / 86_400) days ago"
        default: return String(exactTime(milliseconds, in: timeZone).prefix(10))
        }
    }

    /// `2026-11-20 14:05:09`, in the page's time zone.
    static func exactTime(_ milliseconds: Int64, in timeZone: TimeZone) -> String {
        Readable.timestamp(milliseconds, in: timeZone)
    }

    /// ISO 8601 in UTC, for `<time datetime>`.
    static func isoTime(_ milliseconds: Int64) -> String {
        Date(unixMilliseconds: milliseconds).formatted(.iso8601)
    }

    /// A zone as the footer names it: `UTC`, or its identifier and abbreviation.
    static func zoneName(_ timeZone: TimeZone, at date: Date) -> String {
        if timeZone.secondsFromGMT(for: date) == 0 && (timeZone.identifier == "GMT" || timeZone.identifier == "UTC") { return "UTC" }
        return timeZone.abbreviation(for: date).map { "\(timeZone.identifier) (\($0))" } ?? timeZone.identifier
    }

    /// The label of a time bucket on an axis: `Nov 20` for days and weeks, `Nov 20 14:00` for hours.
    static func bucketLabel(_ start: Int64, bucket: TimeBucket, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.month, .day, .hour], from: Date(unixMilliseconds: start))
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = months[min(max((parts.month ?? 1) - 1, 0), 11)]
        let day = "\(month) \(parts.day ?? 1)"
        return bucket == .hour ? day + String(format: " %02d:00", parts.hour ?? 0) : day
    }

    /// `bad` from 10% failures, `warn` from 5%, else empty: the colour of a failure rate.
    static func failureClass(_ rate: Double) -> String {
        rate >= 0.10 ? "bad" : rate >= 0.05 ? "warn" : ""
    }

    /// `1 run`, `1,234 runs`.
    static func runs(_ count: Int) -> String {
        count == 1 ? "1 run" : "\(Readable.count(count)) runs"
    }
}
