import ArgumentParser
import Foundation
import SkillForge

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored runs as JSONL, CSV or OpenTelemetry (OTLP JSON) traces.",
        discussion: """
            Rows stream in id order in constant memory. `skill-forge import` reads every \
            format back: exporting, then importing into an empty database, reproduces every \
            row and column. OTLP output is one TracesData per line, one execute_tool span \
            per run, which an OpenTelemetry Collector's otlpjsonfile receiver accepts. With \
            --output, the file appears only when complete; an existing file is refused \
            unless --force. Stored rows that break the rules \
            of the database (written by another tool) are left out, with a warning that \
            counts them, so import always accepts the file. In CSV, text that a spreadsheet \
            would run as a formula (starting with =, +, -, @, tab or CR) gets a leading ', \
            which import removes.

            Examples:
              skill-forge export > all.jsonl
              skill-forge export --format csv --skill summarise --since 30d \\
                --output summarise.csv
              skill-forge export --format otlp --output traces.json
              skill-forge export --since 1d --output today.jsonl --force
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var range: TimeRangeOptions

    @Option(help: "jsonl, csv or otlp.")
    var format: ExportFormat = .jsonl

    @Option(help: "Only runs of this skill.")
    var skill: String?

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the --output file if it exists.")
    var force = false

    func run() async throws {
        if let output, !force, FileManager.default.fileExists(atPath: output) {
            throw Refusal.fileExists(path: output)
        }
        let exporter = Exporter(store: try await database.location.openForReading())
        let filter = MetricsFilter(skillId: skill, window: range.window)
        let result: ExportResult
        if let output {
            result = try await exporter.export(filter, as: format, toFile: output)
            printNote("wrote \(runCount(result.written)) to \(output)")
        } else {
            result = try await exporter.export(filter, as: format, to: .standardOutput)
        }
        if result.skipped > 0 {
            let one = result.skipped == 1
            printWarning(
                "left out \(Readable.count(result.skipped)) stored row\(one ? "" : "s") that "
                    + "break\(one ? "s" : "") the rules of the database (import would refuse \(one ? "it" : "them"))")
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
