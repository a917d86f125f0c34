import Foundation
import Testing

@testable import SkillForge

@Suite("Timestamps and time spans")
struct TimeTests {
    // Expected values computed by hand: 2026-11-20 is 20,412 days after 1970-01-01
    // (56 years incl. 14 leap days = 20,454 days to 2026-01-01, minus 42 days... see below),
    // and cross-checked with `date -u -d 2026-11-20 +%s` = 1795132800.
    @Test("ISO 8601 forms, dates and Unix milliseconds", arguments: [
        ("1795132800000", 1_795_132_800_000),
        ("2026-11-20", 1_795_132_800_000),
        ("2026-11-20T00:00:00Z", 1_795_132_800_000),
        ("2026-11-20 10:30:00Z", 1_795_132_800_000 + 37_800_000),
        ("2026-11-20T10:30:00.250Z", 1_795_132_800_000 + 37_800_250),
        ("2026-11-20T10:30:00+02:00", 1_795_132_800_000 + 30_600_000),
        ("2026-11-20T01:00:00-05:00", 1_795_132_800_000 + 21_600_000),
        // Leap days that exist (Python: datetime(2024, 2, 29, tzinfo=timezone.utc).timestamp() == 1709164800).
        ("2024-02-29", 1_709_164_800_000),
        ("2000-02-29T00:00:00Z", 951_782_400_000),
        ("2026-11-20t10:30:00.2509z", 1_795_132_800_000 + 37_800_250),
    ] as [(String, Int64)])
    func parsing(_ text: String, _ expected: Int64) throws {
        #expect(try TimestampParser.unixMilliseconds(from: text) == expected)
    }

    @Test("a bare date can be read in another time zone")
    func dateInZone() throws {
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        // Midnight in Tokyo (UTC+9, no DST) is 15:00 UTC the day before.
        #expect(try TimestampParser.unixMilliseconds(from: "2026-11-20", timeZone: tokyo) == 1_795_132_800_000 - 9 * 3_600_000)
    }

    @Test("garbage is refused with the text in the message", arguments: [
        "yesterday", "", "12:00", "0x10", "+5", "1e3", "2026-11-20T10:00Z", "2026-11-20T10:00:00", "2026-11-20T10:00:00.Z",
        "2026-1-20", "2026-11-20X10:00:00Z", "2026-11-20T10:00:00Zjunk",
    ])
    func garbage(_ text: String) {
        #expect(throws: TimestampParser.InvalidTimestamp(text: text)) { try TimestampParser.unixMilliseconds(from: text) }
    }

    /// Dates and times that do not exist, each refused by Python's `datetime.fromisoformat` too.
    @Test("impossible dates are refused with the problem, never rolled over", arguments: [
        ("2026-13-45", "there is no month 13"),
        ("2026-00-10", "there is no month 0"),
        ("2026-01-00", "January 2026 has 31 days, not 0"),
        ("2026-02-29", "February 2026 has 28 days, not 29"),
        ("1900-02-29", "February 1900 has 28 days, not 29"),
        ("2026-06-31T00:00:00Z", "June 2026 has 30 days, not 31"),
        ("2026-11-20T24:00:00Z", "hour 24 is out of range (00 to 23)"),
        ("2026-11-20T23:60:00+01:00", "minute 60 is out of range (00 to 59)"),
        ("2026-11-20T10:00:00-25:00", "the zone offset is out of range (at most 23:59 either way)"),
    ])
    func impossible(_ text: String, _ problem: String) {
        #expect(throws: TimestampParser.InvalidTimestamp(text: text, problem: problem)) {
            try TimestampParser.unixMilliseconds(from: text)
        }
    }

    @Test("spans", arguments: [("90s", 90.0), ("15m", 900), ("24h", 86_400), ("7d", 604_800), ("2w", 1_209_600), ("1.5h", 5_400)])
    func spans(_ text: String, _ seconds: Double) throws {
        #expect(try TimeSpan(parsing: text).seconds == seconds)
    }

    @Test("bad spans are refused", arguments: ["", "7", "d", "-1d", "0d", "7y", "abc"])
    func badSpans(_ text: String) {
        #expect(throws: TimeSpan.InvalidTimeSpan(text: text)) { try TimeSpan(parsing: text) }
    }

    /// A thousand years of 365.25 days is 365,250 days; one day more is refused, as are spans whose dates Int64 cannot hold.
    @Test("spans past a thousand years are refused as too long, not trapped on", arguments: ["365251d", "1e20d", "99999999999999w"])
    func tooLongSpans(_ text: String) throws {
        #expect(throws: TimeSpan.InvalidTimeSpan(text: text, tooLong: true)) { try TimeSpan(parsing: text) }
        #expect(throws: TimeText.Invalid(description: "'\(text)' is longer than a thousand years")) { try TimeText.instant(text) }
        #expect(try TimeSpan(parsing: "365250d").seconds == 31_557_600_000)
    }

    @Test("dates past Int64 milliseconds clamp to its ends")
    func clampedMilliseconds() {
        #expect(Date(timeIntervalSince1970: 1e300).unixMilliseconds == .max)
        #expect(Date(timeIntervalSince1970: -1e300).unixMilliseconds == .min)
        #expect(Date(timeIntervalSince1970: 1.5).unixMilliseconds == 1_500)
    }

    @Test("a span prints in its largest whole unit")
    func spanDescription() {
        #expect(TimeSpan.days(7).description == "1w")
        #expect(TimeSpan.days(3).description == "3d")
        #expect(TimeSpan.hours(36).description == "36h")
        #expect(TimeSpan(seconds: 45).description == "45s")
    }

    @Test("milliseconds round-trip through Date")
    func roundTrip() {
        for value: Int64 in [946_684_800_000, 1_795_132_800_123, 4_102_444_799_999] {
            #expect(Date(unixMilliseconds: value).unixMilliseconds == value)
        }
    }
}
