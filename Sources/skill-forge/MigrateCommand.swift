import ArgumentParser
import Foundation
import SkillForge

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy every run from one database into another: SQLite files or PostgreSQL, either way.",
        discussion: """
            The runs are read in the order they were stored, --batch-size at a time, and \
            each batch is written in one transaction, so memory stays small whatever the \
            history's size; progress shows on a terminal. The destination is created if \
            needed and numbers the runs itself. Copying is idempotent: a run keeps its \
            run_id, and one without gets the run_id an import would derive from its fields, \
            so migrating again copies only what the destination lacks, and a copy stopped \
            halfway (Ctrl-C) is completed by running it again. The source is only read.

            Rows of the source that break its rules (written by another tool) are counted \
            and not copied. The record of merged telemetry events stays behind: an event \
            sent again to the destination merges into its copied run once more.

            Examples:
              skill-forge migrate --from skill-forge.db --to archive/2026.db
              skill-forge migrate --from skill-forge.db --to postgres://forge@db/metrics
              skill-forge migrate --from "$TEAM_DB_URL" --to laptop.db
            """)

    @Option(help: ArgumentHelp("The database to copy from (a file or a postgres:// URL); it must exist.", valueName: "path-or-url"))
    var from: String

    @Option(help: ArgumentHelp("The database to copy into (a file or a postgres:// URL); created if needed.", valueName: "path-or-url"))
    var to: String

    @Option(help: "Runs per transaction.", reading: .number(atLeast: 1))
    var batchSize = StoreCopier.defaultBatchSize

    func run() async throws {
        let (source, destination) = (DatabaseLocation(from), DatabaseLocation(to))
        guard !source.isSame(as: destination) else { throw Refusal.sameDatabase(source.shown) }
        let reader = try await source.openForReading()
        let clock = ContinuousClock()
        let started = clock.now
        let (summary, written) = try await destination.withDatabaseForWriting { writer in
            let summary = try await InterruptibleTask.run(note: "the batches copied so far stay; run it again to copy the rest") {
                let progress = ProgressLine()
                defer { progress.clear() }
                return try await StoreCopier(from: reader, to: writer, batchSize: batchSize).copy { step in
                    progress.show("copying \(Readable.count(step.read)) of \(Readable.count(step.total)) runs")
                }
            }
            return (summary, writer.location)
        }
        let elapsed = Readable.milliseconds(started.duration(to: clock.now) / .milliseconds(1))
        print(
            "copied \(Readable.count(summary.copied)) of \(Readable.count(summary.read)) runs "
                + "(\(Readable.count(summary.alreadyStored)) already stored) from \(reader.location) to \(written) in \(elapsed)")
        if summary.invalid > 0 {
            printWarning(
                "left \(Readable.count(summary.invalid)) stored row\(summary.invalid == 1 ? "" : "s") of \(reader.location) behind that "
                    + "break\(summary.invalid == 1 ? "s" : "") the rules of the database (written by another tool)")
        }
    }
}
