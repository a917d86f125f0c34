import Foundation

/// Times as people type them after `--since`, `--until` and `--baseline-window`,
/// or in the collector's query strings (`?since=7d`): one reading for both.
///
/// ```swift
/// let start = try TimeText.instant("7d")               // seven days ago
/// let window = try TimeText.window("14d..7d")          // the week before last
/// let lastDay = try TimeText.window(since: nil, until: nil, last: "24h")
/// ```
public enum TimeText {
    /// Text that is no time, window or span; the description says what is accepted.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, with the forms that are accepted.
        public var description: String
    }

    /// An instant: a timestamp (`2026-11-20`, `2026-11-20T10:00:00Z`, Unix ms) or a span ago (`7d`, `24h`).
    public static func instant(_ text: String, now: Date = Date()) throws(Invalid) -> Date {
        do {
            return now.addingTimeInterval(-(try TimeSpan(parsing: text)).seconds)
        } catch {
            if error.tooLong { throw Invalid(description: error.description) }
        }
        try refuseSignedSpan(text)
        do {
            return try TimestampParser.date(from: text)
        } catch {
            throw Invalid(description: "\(error.description), or a span ago such as 7d")
        }
    }

    /// A length of time (`90s`, `15m`, `24h`, `7d`, `2w`).
    public static func span(_ text: String) throws(Invalid) -> TimeSpan {
        try refuseSignedSpan(text)
        do {
            return try TimeSpan(parsing: text)
        } catch {
            throw Invalid(description: error.description)
        }
    }

    /// A window `START..END`, each end an ``instant(_:now:)``; an end may be left open (`7d..`), and `now` ends it now.
    public static func window(_ text: String, now: Date = Date()) throws(Invalid) -> TimeWindow {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2 else {
            throw Invalid(description: "'\(text)' is not a window; write START..END, e.g. 14d..7d or 2026-11-01..2026-11-08.")
        }
        let since = parts[0].isEmpty ? nil : try instant(parts[0], now: now)
        let until = parts[1].isEmpty || parts[1] == "now" ? nil : try instant(parts[1], now: now)
        if let since, let until, since >= until {
            throw Invalid(description: "In '\(text)', the start must be earlier than the end.")
        }
        return TimeWindow(since: since, until: until)
    }

    /// The window of a start, an end and a last span, as `stats --since --until --last` take them.
    ///
    /// - Throws: ``Invalid`` for unreadable text, both a start and a last span, or a start not before the end.
    public static func window(since: String?, until: String?, last: String?, now: Date = Date()) throws(Invalid) -> TimeWindow {
        if last != nil && since != nil { throw Invalid(description: "Give last or since, not both.") }
        var start: Date?
        if let since { start = try instant(since, now: now) }
        if let last { start = now.addingTimeInterval(-(try span(last)).seconds) }
        var end: Date?
        if let until { end = try instant(until, now: now) }
        if let start, let end, start >= end { throw Invalid(description: "The start of the window must be earlier than its end.") }
        return TimeWindow(since: start, until: end)
    }

    /// A time zone by name (`Europe/Paris`), or `UTC`.
    public static func timeZone(_ name: String) throws(Invalid) -> TimeZone {
        if name.uppercased() == "UTC" { return .gmt }
        guard let zone = TimeZone(identifier: name) else {
            throw Invalid(description: "'\(name)' is not a time zone; use a name such as Europe/Paris, or UTC.")
        }
        return zone
    }

    /// Refuses a span with a minus sign (`-7d`), saying why: a span already counts back from now.
    private static func refuseSignedSpan(_ text: String) throws(Invalid) {
        let unsigned = String(text.dropFirst())
        guard text.hasPrefix("-"), (try? TimeSpan(parsing: unsigned)) != nil else { return }
        throw Invalid(description: "a span has no sign: \(unsigned) already counts back from now")
    }
}
