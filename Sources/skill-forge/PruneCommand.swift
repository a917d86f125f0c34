import ArgumentParser
import Foundation
import SkillForge

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete every run that started before a date (retention).",
        discussion: """
            Examples:
              skill-forge prune --before 2026-01-01
              skill-forge prune --before 90d        # keep the last 90 days
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(
        help: ArgumentHelp(
            "Delete runs that started before this time: 2026-01-01, 2026-01-01T00:00:00Z, Unix ms, or a span ago (90d).",
            valueName: "time"),
        reading: .instant)
    var before: Date

    @Flag(help: "Only count the runs that would be deleted.")
    var dryRun = false

    func run() throws {
        let db = try database.openExisting()
        let cutoff = Readable.timestamp(before.unixMilliseconds) + " UTC"
        if dryRun {
            let count = try db.count(matching: MetricsFilter(window: TimeWindow(until: before)))
            print("would delete \(count) run\(count == 1 ? "" : "s") that started before \(cutoff)")
        } else {
            let count = try db.prune(before: before)
            print("deleted \(count) run\(count == 1 ? "" : "s") that started before \(cutoff)")
        }
    }
}
