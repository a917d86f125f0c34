import ArgumentParser
import Foundation
import SkillForge

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete every run that started before a date (retention).",
        discussion: """
            Deleting more than \(DeletionOptions.handful) runs asks for confirmation on a \
            terminal; without a terminal (a cron job, a script) it is refused unless --yes.

            The record of the telemetry events merged into the deleted runs goes too \
            (import --from otlp-logs, serve's /v1/logs): one of those events sent again \
            makes its run again. The events of every run kept stay recorded.

            Examples:
              skill-forge prune --before 2026-01-01 --dry-run
              skill-forge prune --before 2026-01-01
              skill-forge prune --before 90d --yes   # keep the last 90 days, unasked
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var deletion: DeletionOptions

    @Option(
        help: ArgumentHelp(
            "Delete runs that started before this time: 2026-01-01, 2026-01-01T00:00:00Z, Unix ms, or a span ago (90d).",
            valueName: "time"),
        reading: .instant)
    var before: Date

    func run() async throws {
        let db = try await database.location.openExisting()
        let cutoff = Readable.timestamp(before.unixMilliseconds) + " UTC"
        func runs(_ count: Int) -> String { "\(runCount(count)) that started before \(cutoff)" }
        let (count, lastId) = try await db.countAndLastId(matching: MetricsFilter(window: TimeWindow(until: before)))
        if deletion.dryRun {
            print("would delete \(runs(count))")
        } else {
            // Runs recorded while the user answers are not the ones they agreed to delete.
            try deletion.confirm(deleting: count, runs(count))
            print("deleted \(runs(try await db.prune(before: before, upToId: lastId)))")
        }
    }
}
