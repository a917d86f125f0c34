import Foundation
import SkillForge

/// One page request as the page builders read it: its path and query, the
/// clock and the time zone, and the options every page shares (`?refresh=`,
/// `?last=`).
///
/// ```swift
/// let request = try DashboardRequest(path: "/", query: FormQuery("last=7d&refresh=30"), now: Date(), timeZone: .gmt)
/// request.refresh    // 30
/// try request.window()    // the last 7 days, labelled "last 7 days"
/// ```
struct DashboardRequest {
    let path: String
    let query: FormQuery
    let now: Date
    let timeZone: TimeZone
    /// Seconds between automatic reloads, or `nil`.
    let refresh: Int?

    /// The periods the auto-refresh choice offers, in seconds (`nil`: off).
    static let refreshPeriods: [(label: String, seconds: Int?)] = [("off", nil), ("30 s", 30), ("1 min", 60), ("5 min", 300)]
    /// The spans the window choice offers (`nil`: all runs).
    static let windowSpans: [(label: String, text: String?)] = [("All", nil), ("24 h", "24h"), ("7 d", "7d"), ("30 d", "30d"), ("90 d", "90d")]
    /// The shortest and longest auto-refresh periods accepted.
    static let refreshRange = 5...86_400

    /// - Throws: ``DashboardProblem`` for a `refresh` that is not a number of seconds in ``refreshRange``.
    init(path: String, query: FormQuery, now: Date, timeZone: TimeZone) throws(DashboardProblem) {
        self.path = path
        self.query = query
        self.now = now
        self.timeZone = timeZone
        if let text = query["refresh"] {
            guard let seconds = Int(text), Self.refreshRange.contains(seconds) else {
                throw .badQuery("refresh", "'\(text)' is not a number of seconds from \(Self.refreshRange.lowerBound) to \(Self.refreshRange.upperBound)")
            }
            refresh = seconds
        } else {
            refresh = nil
        }
    }

    /// This page with one query value changed (or removed, for `nil`).
    func link(setting name: String, to value: String?) -> String {
        query.replacing(name, with: value).link(path)
    }

    /// The window `?last=` asks for (a span back from now, such as `7d`), and how
    /// to say it (`the last 7d`); all runs (`all time`) without it.
    ///
    /// - Throws: ``DashboardProblem`` for text that is no span.
    func window() throws(DashboardProblem) -> (window: TimeWindow, label: String) {
        guard let text = query["last"] else { return (.all, "all time") }
        let span: TimeSpan
        do {
            span = try TimeText.span(text)
        } catch {
            throw .badQuery("last", error.description)
        }
        let window = TimeWindow.last(span, now: now)
        try Self.check(window, field: "last")
        return (window, "the last \(span)")
    }

    /// The earliest and latest instants a window may name, in seconds from 1970:
    /// the years 1 to 9999, well inside what Unix milliseconds hold in 64 bits.
    static let instantRange: ClosedRange<TimeInterval> = -62_135_596_800...253_402_300_799

    /// Refuses a window with an end outside ``instantRange`` (`?last=1e20d`).
    static func check(_ window: TimeWindow, field: String) throws(DashboardProblem) {
        for end in [window.since, window.until].compactMap({ $0 }) where !instantRange.contains(end.timeIntervalSince1970) {
            throw .badQuery(field, "the window reaches beyond the years 1 to 9999")
        }
    }

    /// The window choices, the current one marked.
    var windowChoices: [Choice] {
        Self.windowSpans.map { span in
            Choice(label: span.label, href: link(setting: "last", to: span.text), isCurrent: query["last"] == span.text)
        }
    }

    /// The frame of a page titled `title`.
    func chrome(title: String, isCompare: Bool = false, location: String) -> PageChrome {
        PageChrome(
            title: title, refresh: refresh,
            refreshChoices: Self.refreshPeriods.map { period in
                Choice(
                    label: period.label, href: link(setting: "refresh", to: period.seconds.map(String.init)),
                    isCurrent: refresh == period.seconds)
            },
            isSkills: !isCompare, isCompare: isCompare, location: location,
            locationName: location.split(separator: "/").last.map(String.init) ?? location,
            readAt: DashboardFormat.exactTime(now.unixMilliseconds, in: timeZone),
            timeZone: DashboardFormat.zoneName(timeZone, at: now))
    }
}
