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
    public var unixMilliseconds: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }
}

// MARK: - Parsing

/// Parses the timestamps users type and logs contain.
///
/// Accepted forms:
/// - Unix epoch milliseconds: `1732000000000`
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
    /// - Parameters:
    ///   - text: The timestamp.
    ///   - timeZone: The zone of a bare date such as `2026-11-20`.
    /// - Throws: ``TimestampParser/InvalidTimestamp``.
    public static func unixMilliseconds(
        from text: String, timeZone: TimeZone = .gmt
    ) throws(InvalidTimestamp) -> Int64 {
        if let milliseconds = utcMilliseconds(ArraySlice(text.utf8)) {
            return milliseconds
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let milliseconds = Int64(trimmed) {
            return milliseconds
        }
        if trimmed.utf8.count == 10, let day = try? dateFormat(in: timeZone).parse(trimmed) {
            return day.unixMilliseconds
        }
        var iso = trimmed
        if iso.utf8.count > 10, let space = iso.firstIndex(of: " "),
           iso.distance(from: iso.startIndex, to: space) == 10
        {
            iso.replaceSubrange(space...space, with: "T")
        }
        if let date = try? Date.ISO8601FormatStyle().parse(iso) {
            return date.unixMilliseconds
        }
        throw InvalidTimestamp(text: text)
    }

    /// Returns the date `text` denotes; see ``unixMilliseconds(from:timeZone:)``.
    public static func date(from text: String, timeZone: TimeZone = .gmt) throws(InvalidTimestamp) -> Date {
        Date(unixMilliseconds: try unixMilliseconds(from: text, timeZone: timeZone))
    }

    /// The Unix milliseconds of the most common form, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`
    /// (UTC, as logs and transcripts write it), read straight from its bytes;
    /// `nil` for any other form. Foundation's parser costs more than the rest
    /// of an imported line, so importers try this first.
    static func utcMilliseconds(_ bytes: ArraySlice<UInt8>) -> Int64? {
        let start = bytes.startIndex
        let end = bytes.endIndex
        guard end - start >= 20, bytes[end - 1] == UInt8(ascii: "Z") else { return nil }
        func number(_ offset: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for index in (start + offset)..<(start + offset + count) {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        func byte(_ offset: Int, is expected: Unicode.Scalar) -> Bool {
            bytes[start + offset] == UInt8(ascii: expected)
        }
        guard byte(4, is: "-"), byte(7, is: "-"), byte(10, is: "T") || byte(10, is: " "), byte(13, is: ":"),
            byte(16, is: ":"), let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24,
            minute < 60, second < 60
        else { return nil }
        var fraction: Int64 = 0
        let afterSeconds = start + 19
        if afterSeconds < end - 1 {
            guard bytes[afterSeconds] == UInt8(ascii: "."), afterSeconds + 1 < end - 1 else { return nil }
            var scale: Int64 = 100
            for index in (afterSeconds + 1)..<(end - 1) {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                fraction += Int64(digit) * scale
                scale /= 10
            }
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1_000 + fraction
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The days of a month, February of leap years included.
    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func dateFormat(in timeZone: TimeZone) -> Date.ISO8601FormatStyle {
        Date.ISO8601FormatStyle(timeZone: timeZone).year().month().day()
    }

    /// A timestamp that none of the accepted forms matches.
    public struct InvalidTimestamp: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that could not be read.
        public var text: String

        public var description: String {
            "'\(text)' is not a timestamp (use Unix milliseconds, 2026-11-20, or 2026-11-20T10:00:00Z)"
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
    var sinceMilliseconds: Int64? { since?.unixMilliseconds }
    /// `until` in Unix milliseconds.
    var untilMilliseconds: Int64? { until?.unixMilliseconds }

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

    /// Parses `<number><unit>` where unit is one of `s m h d w`.
    ///
    /// - Throws: ``InvalidTimeSpan`` for anything else, including zero or negative lengths.
    public init(parsing text: String) throws(InvalidTimeSpan) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let factor = Self.unitSeconds[unit],
              let count = Double(trimmed.dropLast()), count > 0, count.isFinite
        else {
            throw InvalidTimeSpan(text: text)
        }
        self.init(seconds: count * factor)
    }

    public var description: String {
        for (unit, factor) in [("w", 604_800.0), ("d", 86_400), ("h", 3_600), ("m", 60)]
        where seconds >= factor && seconds.truncatingRemainder(dividingBy: factor) == 0 {
            return "\(Int(seconds / factor))\(unit)"
        }
        return "\(seconds.formatted(.number.grouping(.never)))s"
    }

    /// Text that is not a time span.
    public struct InvalidTimeSpan: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that could not be read.
        public var text: String

        public var description: String {
            "'\(text)' is not a length of time (use a number and a unit: 90s, 15m, 24h, 7d, 2w)"
        }
    }
}
