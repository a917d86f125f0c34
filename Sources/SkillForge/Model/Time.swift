import Foundation

// MARK: - Unix milliseconds

extension Date {
    /// Creates a date from Unix epoch milliseconds, the unit of `skill_metrics.timestamp`.
    ///
    /// ```swift
    /// Date(unixMilliseconds: 1_700_000_000_000)   // 2023-11-14T22:13:20Z
    /// ```
    public init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }

    /// The date in Unix epoch milliseconds, rounded to the nearest millisecond.
    /// Dates beyond what Int64 milliseconds hold (292 million years from 1970) are clamped to its ends.
    public var unixMilliseconds: Int64 {
        let milliseconds = (timeIntervalSince1970 * 1000).rounded()
        if milliseconds.isNaN { return 0 }
        if milliseconds >= 0x1p63 { return .max }
        if milliseconds < -0x1p63 { return .min }
        return Int64(milliseconds)
    }
}

// MARK: - Parsing

/// Parses the timestamps users type and logs contain.
///
/// Accepted forms:
/// - Unix epoch milliseconds, in decimal digits: `1732000000000`
/// - ISO 8601 date-times with a zone: `2026-11-20T10:00:00Z`, `2026-11-20T10:00:00.250+01:00`
///   (a space instead of `T` is accepted too)
/// - ISO 8601 dates: `2026-11-20`, midnight in `timeZone` (UTC by default)
///
/// ```swift
/// let ms = try TimestampParser.unixMilliseconds(from: "2026-11-20T10:00:00Z")
/// ```
public enum TimestampParser {
    /// Returns the Unix epoch milliseconds `text` denotes, or throws a description of the problem.
    ///
    /// Every field is checked: `2026-02-30` or `2026-11-20T25:00:00Z` is refused, never
    /// rolled over into the next month or day.
    ///
    /// - Parameters:
    ///   - text: The timestamp.
    ///   - timeZone: The zone of a bare date such as `2026-11-20`.
    /// - Throws: ``TimestampParser/InvalidTimestamp``.
    public static func unixMilliseconds(
        from text: String, timeZone: TimeZone = .gmt
    ) throws(InvalidTimestamp) -> Int64 {
        // Logs write most timestamps without spaces around: read those before trimming,
        // which costs more than parsing.
        if let fields = try? ISO8601Fields(ArraySlice(text.utf8)) {
            return fields.unixMilliseconds(bareDateIn: timeZone)
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let milliseconds = Int64(decimalText: trimmed) {
            return milliseconds
        }
        do {
            return try ISO8601Fields(ArraySlice(trimmed.utf8)).unixMilliseconds(bareDateIn: timeZone)
        } catch {
            throw InvalidTimestamp(text: text, problem: error.problem)
        }
    }

    /// Returns the date `text` denotes; see ``unixMilliseconds(from:timeZone:)``.
    public static func date(from text: String, timeZone: TimeZone = .gmt) throws(InvalidTimestamp) -> Date {
        Date(unixMilliseconds: try unixMilliseconds(from: text, timeZone: timeZone))
    }

    /// The Unix milliseconds of an ISO 8601 date-time with a zone (`2026-11-20T10:00:00.250Z`,
    /// as logs and transcripts write it), read straight from its bytes without making a
    /// string; `nil` for anything else, an impossible date included.
    static func dateTimeMilliseconds(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard let fields = try? ISO8601Fields(bytes), fields.offsetMinutes != nil else { return nil }
        return fields.unixMilliseconds(bareDateIn: .gmt)
    }

    /// A timestamp that none of the accepted forms matches.
    public struct InvalidTimestamp: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that could not be read.
        public var text: String
        /// What is wrong with a text that has the shape of a date or date-time
        /// (`February 2026 has 28 days, not 30`); `nil` for one that has not.
        public var problem: String?

        /// Creates the error.
        public init(text: String, problem: String? = nil) {
            self.text = text
            self.problem = problem
        }

        public var description: String {
            if let problem { return "'\(text)' is not a valid time: \(problem)" }
            return "'\(text)' is not a timestamp (use Unix milliseconds, 2026-11-20, or 2026-11-20T10:00:00Z)"
        }
    }
}

// MARK: - Time windows

/// A half-open span of time, `since ..< until`, either end optional.
///
/// ```swift
/// let lastWeek = TimeWindow.last(.days(7))
/// let november = TimeWindow(since: nov1, until: dec1)
/// ```
public struct TimeWindow: Sendable, Hashable, Codable {
    /// The first included instant, or `nil` for "from the beginning".
    public var since: Date?
    /// The first excluded instant, or `nil` for "up to now and beyond".
    public var until: Date?

    /// Creates a window.
    public init(since: Date? = nil, until: Date? = nil) {
        self.since = since
        self.until = until
    }

    /// The window that contains every instant.
    public static let all = TimeWindow()

    /// The window that ends now and spans `length` before it.
    public static func last(_ length: TimeSpan, now: Date = Date()) -> TimeWindow {
        TimeWindow(since: now.addingTimeInterval(-length.seconds), until: nil)
    }

    /// Whether neither end is set.
    public var isUnbounded: Bool { since == nil && until == nil }

    /// `since` in Unix milliseconds.
    package var sinceMilliseconds: Int64? { since?.unixMilliseconds }
    /// `until` in Unix milliseconds.
    package var untilMilliseconds: Int64? { until?.unixMilliseconds }

    private enum CodingKeys: String, CodingKey { case since, until }

    /// Decodes `{"since": ms or null, "until": ms or null}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        since = try container.decodeIfPresent(Int64.self, forKey: .since).map(Date.init(unixMilliseconds:))
        until = try container.decodeIfPresent(Int64.self, forKey: .until).map(Date.init(unixMilliseconds:))
    }

    /// Encodes the ends as Unix milliseconds, `null` for an open end.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sinceMilliseconds, forKey: .since)
        try container.encode(untilMilliseconds, forKey: .until)
    }
}

/// A length of time written the way people type it: `90s`, `15m`, `24h`, `7d`, `2w`.
///
/// ```swift
/// let span = try TimeSpan(parsing: "7d")   // span.seconds == 604_800
/// ```
public struct TimeSpan: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The length in seconds.
    public var seconds: TimeInterval

    /// Creates a span of `seconds`.
    public init(seconds: TimeInterval) {
        self.seconds = seconds
    }

    /// A span of whole days.
    public static func days(_ count: Int) -> TimeSpan { TimeSpan(seconds: Double(count) * 86_400) }
    /// A span of whole hours.
    public static func hours(_ count: Int) -> TimeSpan { TimeSpan(seconds: Double(count) * 3_600) }

    private static let unitSeconds: [Character: TimeInterval] = [
        "s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800,
    ]

    /// The longest span that parsing takes: a thousand years (of 365.25 days).
    public static let longest = TimeSpan(seconds: 1_000 * 365.25 * 86_400)

    /// Parses `<number><unit>` where unit is one of `s m h d w`.
    ///
    /// - Throws: ``InvalidTimeSpan`` for anything else, including zero or negative
    ///   lengths and lengths past ``longest``.
    public init(parsing text: String) throws(InvalidTimeSpan) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let factor = Self.unitSeconds[unit],
              let count = Double(trimmed.dropLast()), count > 0, count.isFinite
        else {
            throw InvalidTimeSpan(text: text)
        }
        guard count * factor <= Self.longest.seconds else {
            throw InvalidTimeSpan(text: text, tooLong: true)
        }
        self.init(seconds: count * factor)
    }

    public var description: String {
        for (unit, factor) in [("w", 604_800.0), ("d", 86_400), ("h", 3_600), ("m", 60)]
        where seconds >= factor && seconds <= Self.longest.seconds && seconds.truncatingRemainder(dividingBy: factor) == 0 {
            return "\(Int(seconds / factor))\(unit)"
        }
        return "\(seconds.formatted(.number.grouping(.never)))s"
    }

    /// Text that is not a time span.
    public struct InvalidTimeSpan: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that could not be read.
        public var text: String
        /// Whether it is a length of time, but longer than ``TimeSpan/longest``.
        public var tooLong = false

        public var description: String {
            tooLong
                ? "'\(text)' is longer than a thousand years"
                : "'\(text)' is not a length of time (use a number and a unit: 90s, 15m, 24h, 7d, 2w)"
        }
    }
}
