import Foundation
import SkillForge

/// The progress bar of `skill-forge import` on a terminal, and its closing summary.
final class ImportProgressDisplay {
    private let line = ProgressLine()
    private let clock = ContinuousClock()
    private var phaseStart = ContinuousClock.now
    private var lastShown = ContinuousClock.now
    var phase = Importer.Phase.importing {
        didSet { phaseStart = clock.now }
    }

    /// Redraws the bar, at most ten times a second.
    func show(bytes: Int64, of total: Int64, records: Int) {
        let now = clock.now
        guard now - lastShown >= .milliseconds(100) else { return }
        lastShown = now
        let fraction = total > 0 ? min(1, Double(bytes) / Double(total)) : 0
        let filled = Int(fraction * 24)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 24 - filled)
        let seconds = max((now - phaseStart) / .seconds(1), 0.001)
        let rate = Double(records) / seconds
        line.show(
            "\(phase.rawValue) \(bar) \(Readable.percent(fraction)) \(Readable.count(records)) records, "
                + "\(Readable.count(Int64(rate))) records/s")
    }

    func finish() {
        line.clear()
    }

    /// `imported 990 of 1,000 records (10 already stored, …) from 2 files in 1.24 s`.
    static func summaryLine(_ summary: Importer.Summary, elapsed: Duration) -> String {
        let milliseconds = elapsed / .milliseconds(1)
        var others: [String] = []
        if summary.rejected > 0 { others.append("\(Readable.count(summary.rejected)) rejected") }
        if summary.redacted > 0 { others.append("\(Readable.count(summary.redacted)) redacted") }
        if summary.ignored > 0 { others.append("\(Readable.count(summary.ignored)) passed over") }
        var parts: [String] = []
        let records = summary.read - summary.events
        let isTelemetry = summary.events > 0 || summary.redacted > 0
        if records > 0 || !isTelemetry {
            let details = ["\(Readable.count(summary.duplicates)) already stored"] + (isTelemetry ? [] : others)
            parts.append(
                "imported \(Readable.count(summary.imported)) of \(Readable.count(records)) records (\(details.joined(separator: ", ")))")
        }
        if isTelemetry {
            let runs = summary.runsInserted + summary.runsUpdated
            let details = ["\(Readable.count(summary.alreadyMerged)) already merged"] + others
            parts.append(
                "merged \(Readable.count(summary.merged)) of \(Readable.count(summary.events)) events into "
                    + "\(Readable.count(runs)) run\(runs == 1 ? "" : "s") (\(Readable.count(summary.runsInserted)) new, "
                    + "\(Readable.count(summary.runsUpdated)) updated; \(details.joined(separator: ", ")))")
        }
        return parts.joined(separator: "; ") + " from \(summary.files) file\(summary.files == 1 ? "" : "s") "
            + "in \(Readable.milliseconds(milliseconds))"
    }

    /// `passed over: 1,090 progress lines, 30 system lines, 1 unanswered call`, most first;
    /// `nil` when nothing was.
    static func passedOverLine(_ summary: Importer.Summary) -> String? {
        guard !summary.ignoredKinds.isEmpty else { return nil }
        let kinds = summary.ignoredKinds.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        let named = kinds.map { name, count in "\(Readable.count(count)) \(IgnoredKind(name).name(count: count))" }
        return "passed over: " + named.joined(separator: ", ")
    }
}
