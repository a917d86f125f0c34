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
        var details = ["\(Readable.count(summary.duplicates)) already stored"]
        if summary.rejected > 0 { details.append("\(Readable.count(summary.rejected)) rejected") }
        if summary.ignored > 0 { details.append("\(Readable.count(summary.ignored)) ignored") }
        return "imported \(Readable.count(summary.imported)) of \(Readable.count(summary.read)) records "
            + "(\(details.joined(separator: ", "))) from \(summary.files) file\(summary.files == 1 ? "" : "s") "
            + "in \(Readable.milliseconds(milliseconds))"
    }
}
