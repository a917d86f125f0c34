import ArgumentParser
import Foundation
import SkillForge

/// Reads the times users type after `--since`, `--until`, `--before` and `--timestamp`
/// (the library's ``TimeText``), as ArgumentParser's validation errors.
enum TimeArgument {
    /// An instant: a timestamp (`2026-11-20`, `2026-11-20T10:00:00Z`, Unix ms) or a span ago (`7d`, `24h`).
    static func instant(_ text: String) throws -> Date {
        try validating { () throws(TimeText.Invalid) in try TimeText.instant(text) }
    }

    /// A timestamp in Unix milliseconds (`2026-11-20T10:00:00Z` or Unix ms).
    static func timestamp(_ text: String) throws -> Int64 {
        do {
            return try TimestampParser.unixMilliseconds(from: text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// A length of time (`7d`).
    static func span(_ text: String) throws -> TimeSpan {
        try validating { () throws(TimeText.Invalid) in try TimeText.span(text) }
    }

    /// A window, START..END.
    static func window(_ text: String) throws -> TimeWindow {
        try validating { () throws(TimeText.Invalid) in try TimeText.window(text) }
    }

    private static func validating<T>(_ read: () throws(TimeText.Invalid) -> T) throws -> T {
        do {
            return try read()
        } catch {
            throw ValidationError(error.description)
        }
    }
}

// MARK: - Readers of times

extension ValueReader where Value == Date {
    /// An instant: `2026-11-20`, `2026-11-20T10:00:00Z`, Unix ms, or a span ago (`7d`).
    static var instant: ValueReader { ValueReader(TimeArgument.instant) }
}

extension ValueReader where Value == Int64 {
    /// A timestamp in Unix milliseconds: `2026-11-20T10:00:00Z` or Unix ms.
    static var timestamp: ValueReader { ValueReader(TimeArgument.timestamp) }
}

extension ValueReader where Value == TimeSpan {
    /// A length of time: `90s`, `15m`, `24h`, `7d`, `2w`.
    static var span: ValueReader { ValueReader(TimeArgument.span) }
}

// MARK: - Time ranges

/// The `--since` / `--until` options of commands that read a time range.
struct TimeRangeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only runs that started at or after this time: 2026-11-20, 2026-11-20T10:00:00Z, Unix ms, or a span ago (7d).",
            valueName: "time"),
        reading: .instant)
    var since: Date?

    @Option(
        help: ArgumentHelp("Only runs that started before this time (same forms as --since).", valueName: "time"),
        reading: .instant)
    var until: Date?

    @Option(
        help: ArgumentHelp("Only runs of this last span of time: 24h, 7d, 2w (instead of --since).", valueName: "span"),
        reading: .span)
    var last: TimeSpan?

    var window: TimeWindow {
        TimeWindow(since: last.map { Date().addingTimeInterval(-$0.seconds) } ?? since, until: until)
    }

    /// The window in words, for messages: `in the last 3d`, `since 2026-11-20 00:00:00 UTC`.
    var description: String {
        if let last { return "in the last \(last)" }
        var parts: [String] = []
        if let since { parts.append("since \(Readable.timestamp(since.unixMilliseconds)) UTC") }
        if let until { parts.append("before \(Readable.timestamp(until.unixMilliseconds)) UTC") }
        return parts.isEmpty ? "at all" : parts.joined(separator: " and ")
    }

    func validate() throws {
        if last != nil && since != nil {
            throw ValidationError("Give --last or --since, not both.")
        }
        if let since = window.since, let until, since >= until {
            throw ValidationError("The start of the window must be earlier than --until.")
        }
    }
}
