import Foundation

/// Numbers, durations and dates as people read them, in tables and in the
/// reasons the analysis gives.
///
/// ```swift
/// Readable.milliseconds(8_200)   // "8.20 s"
/// Readable.percent(0.142)        // "14.2%"
/// ```
///
/// Every function is total: negative, huge, infinite and NaN values give text
/// (`-5.00 ms`, `1.84e+19`, `∞`, `n/a`), never a crash.
public enum Readable {
    /// A duration in milliseconds: `0.42 ms`, `12.3 ms`, `412 ms`, `1.24 s`, `2 min 5 s`.
    public static func milliseconds(_ value: Double) -> String {
        if let special = nonFinite(value) { return special }
        if value < 0 { return "-" + milliseconds(-value) }
        switch value {
        case ..<10: return String(format: "%.2f ms", value)
        case ..<100: return String(format: "%.1f ms", value)
        case ..<1_000: return String(format: "%.0f ms", value)
        case ..<60_000: return String(format: "%.2f s", value / 1_000)
        case ..<1e15:
            let seconds = Int((value / 1_000).rounded())
            return "\(seconds / 60) min \(seconds % 60) s"
        default: return String(format: "%.3g s", value / 1_000)
        }
    }

    /// A whole number with thousands separators: `1,234,567`.
    public static func count(_ value: some BinaryInteger) -> String {
        guard let value = Int64(exactly: value) else { return String(value) }
        return value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    /// A (possibly fractional) count, rounded to one decimal below 100: `12.5`, `1,234`;
    /// beyond 10¹⁵ in scientific notation: `1.84e+19`.
    public static func amount(_ value: Double) -> String {
        if let special = nonFinite(value) { return special }
        if abs(value) >= 1e15 { return String(format: "%.3g", value) }
        return abs(value) < 100 && value.rounded() != value
            ? String(format: "%.1f", value)
            : count(Int64(value.rounded()))
    }

    /// A rate from 0 to 1 as a percentage: `12.5%`.
    public static func percent(_ rate: Double) -> String {
        nonFinite(rate) ?? String(format: "%.1f%%", rate * 100)
    }

    /// `n/a` for NaN, `∞` or `-∞` for infinities, `nil` for a finite value.
    private static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "n/a" }
        if value.isInfinite { return value > 0 ? "∞" : "-∞" }
        return nil
    }

    /// A Unix-milliseconds timestamp as `2026-11-26 22:57:15` in `timeZone`.
    public static func timestamp(_ milliseconds: Int64, in timeZone: TimeZone = .gmt) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(unixMilliseconds: milliseconds))
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}

extension Readable {
    /// A whole number of milliseconds: `412 ms`, `8.20 s`.
    public static func milliseconds(_ value: Int64) -> String {
        value < 1_000 ? "\(value) ms" : milliseconds(Double(value))
    }

    /// A p-value: `p = 0.032`, `p < 0.0001`.
    public static func pValue(_ p: Double) -> String {
        if p.isNaN { return "p = n/a" }
        return p < 0.0001 ? "p < 0.0001" : String(format: "p = %.2g", p)
    }

    /// A signed relative change: `+12.5%`, `-3.0%`.
    public static func change(_ fraction: Double) -> String {
        if fraction.isNaN { return "n/a" }
        return fraction.isFinite ? String(format: "%+.1f%%", fraction * 100) : "from zero"
    }

    /// A ratio: `3.1x`.
    public static func ratio(_ value: Double) -> String {
        nonFinite(value) ?? String(format: "%.1fx", value)
    }

    /// A mean token count, or `n/a` when no run's tokens are known (`nil`): `1,234`, `n/a`.
    public static func tokens(_ mean: Double?) -> String {
        mean.map(amount) ?? "n/a"
    }

    /// US dollars, or `n/a` when unknown (`nil`): `$1,234.57` from a dollar on,
    /// `$0.0083` below (four decimals), `<$0.0001` for a positive cost that rounds to 0.
    ///
    /// ```swift
    /// Readable.dollars(0.00825)   // "$0.0083"
    /// Readable.dollars(nil)       // "n/a"
    /// ```
    public static func dollars(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        if let special = nonFinite(value) { return special }
        if value > 0 && value < 0.00005 { return "<$0.0001" }
        if abs(value) < 1 { return String(format: "$%.4f", value) }
        if abs(value) >= 1e15 { return String(format: "$%.3g", value) }
        let cents = Int64((value * 100).rounded())
        return "$" + count(cents / 100) + String(format: ".%02lld", abs(cents % 100))
    }

    /// How many runs' costs are known: `cost known for 812 of 1,000 runs`.
    public static func costKnown(_ costRuns: Int, of runs: Int) -> String {
        "cost known for \(count(costRuns)) of \(count(runs)) run\(runs == 1 ? "" : "s")"
    }

    /// How many runs' tokens are known: `tokens known for 812 of 1,000 runs`.
    ///
    /// ```swift
    /// Readable.tokensKnown(3, of: 4)   // "tokens known for 3 of 4 runs"
    /// ```
    public static func tokensKnown(_ tokenRuns: Int, of runs: Int) -> String {
        "tokens known for \(count(tokenRuns)) of \(count(runs)) run\(runs == 1 ? "" : "s")"
    }

    /// Why a comparison has no test of a measure known for some runs only (tokens,
    /// cost), for a table cell: `not compared: known for 3 and 0 runs`.
    ///
    /// ```swift
    /// Readable.notCompared(baselineRuns: 3, candidateRuns: 0)   // "not compared: known for 3 and 0 runs"
    /// ```
    public static func notCompared(baselineRuns: Int, candidateRuns: Int) -> String {
        "not compared: known for \(count(baselineRuns)) and \(count(candidateRuns)) runs"
    }

    /// A size in bytes: `812 B`, `1.4 MB`, `2.31 GB`.
    public static func bytes(_ value: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var size = Double(value)
        var unit = 0
        while size >= 1_000 && unit < units.count - 1 {
            size /= 1_000
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: size < 10 ? "%.2f" : "%.1f", size) + " " + units[unit]
    }
}
