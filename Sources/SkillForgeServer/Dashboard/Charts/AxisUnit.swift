import Foundation
import SkillForge

/// What an axis measures, and how its tick labels read: `250 ms` or `1.5 s`,
/// `12k` tokens, `5%`, `1,200` runs, `$0.02`.
///
/// ```swift
/// let ticks = Ticks(covering: 0, 2_400)                  // 0, 500 … 2500
/// AxisUnit.milliseconds.title(for: ticks)                // "s"
/// AxisUnit.milliseconds.label(1_500, ticks: ticks)       // "1.5"
/// ```
enum AxisUnit {
    /// Durations in milliseconds, shown in seconds when the axis goes past 1 s.
    case milliseconds
    /// Token counts, in thousands (k) or millions (M) when the axis is that long.
    case tokens
    /// Fractions from 0 to 1, shown as percentages.
    case fraction
    /// Counts of runs.
    case runs
    /// US dollars.
    case dollars

    /// The unit written above the axis.
    func title(for ticks: Ticks) -> String {
        switch self {
        case .milliseconds: ticks.upper > 1_000 ? "s" : "ms"
        case .tokens: "tokens"
        case .fraction: "%"
        case .runs: "runs"
        case .dollars: "$"
        }
    }

    /// The label of one tick, without the unit.
    func label(_ value: Double, ticks: Ticks) -> String {
        let scale = self.scale(for: ticks)
        let decimals = ticks.decimals(scaledBy: scale)
        let number = String(format: "%.\(decimals)f", value / scale)
        switch self {
        case .milliseconds, .fraction, .dollars: return number
        case .tokens, .runs: return number + (scale == 1_000_000 ? "M" : scale == 1_000 ? "k" : "")
        }
    }

    /// The label of a tick along a horizontal axis, with a short unit: `500 ms`, `1.5 s`, `12k`, `5%`.
    func tickText(_ value: Double, ticks: Ticks) -> String {
        switch self {
        case .milliseconds: label(value, ticks: ticks) + " " + title(for: ticks)
        case .fraction: label(value, ticks: ticks) + "%"
        case .tokens, .runs: label(value, ticks: ticks)
        case .dollars: "$" + label(value, ticks: ticks)
        }
    }

    /// A range as a hover title shows it, in the precision of `ticks`: `200 to 300 ms`, `0.2 to 0.3 s`, `5k to 10k tokens`.
    func rangeText(_ lower: Double, _ upper: Double, ticks: Ticks) -> String {
        let range = "\(label(lower, ticks: ticks)) to \(label(upper, ticks: ticks))"
        switch self {
        case .milliseconds: return range + " " + title(for: ticks)
        case .fraction: return range + "%"
        case .tokens: return range + " tokens"
        case .runs: return range + " runs"
        case .dollars: return "$\(label(lower, ticks: ticks)) to $\(label(upper, ticks: ticks))"
        }
    }

    /// A value as a hover title or a legend shows it, with its unit: `812 ms`, `1.24 s`, `1,250 tokens`, `4.2%`.
    func readable(_ value: Double) -> String {
        switch self {
        case .milliseconds: Readable.milliseconds(value)
        case .tokens: Readable.amount(value) + " tokens"
        case .fraction: Readable.percent(value)
        case .runs: Readable.amount(value) + (value == 1 ? " run" : " runs")
        case .dollars: Readable.dollars(value)
        }
    }

    /// What tick values are divided by for their labels.
    private func scale(for ticks: Ticks) -> Double {
        switch self {
        case .milliseconds: ticks.upper > 1_000 ? 1_000 : 1
        case .fraction: 0.01
        case .dollars: 1
        case .tokens, .runs: ticks.upper >= 10_000_000 ? 1_000_000 : ticks.upper >= 10_000 ? 1_000 : 1
        }
    }
}
