import ArgumentParser
import Foundation
import SkillForge

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import metrics from logs: JSONL, CSV, OpenTelemetry traces, Claude Code transcripts and telemetry, Codex and Gemini CLI sessions.",
        discussion: """
            Formats (detected from the content unless --from says):
              jsonl        one metric per line: {"skillId": …, "executionMs": …,
                           "tokensIn": …, "tokensOut": …, "success": …,
                           "timestamp": …} (camelCase or snake_case names;
                           timestamps in Unix ms or ISO 8601)
              csv          a header row naming the same fields, then one metric
                           per row
              otlp         OTLP JSON traces (one TracesData document, or one per
                           line as the Collector's file exporter writes): every
                           GenAI tool or agent span
              claude-code  Claude Code transcripts: one row per Skill execution
                           and per MCP tool call; a directory is searched for
                           *.jsonl (default ~/.claude/projects). Claude Code
                           deletes transcripts after 30 days, so import them
                           regularly to keep your history.
              otlp-logs    Claude Code's telemetry as OTLP JSON logs (one
                           LogsData document, or one per line as the Collector's
                           file exporter writes): one row per skill per prompt
                           (its Skill call, and the tokens and cost of the API
                           requests made for it) and per MCP tool call; every
                           other tool too with --all-tools. A row is the merge of
                           its events, so events split over lines, files or
                           imports, in any order, make the same row. Set
                           OTEL_LOG_TOOL_DETAILS=1 in Claude Code: without it,
                           Skill calls and MCP tools come without their names and
                           are counted as redacted.
              codex        OpenAI Codex CLI rollouts: one row per MCP tool call
                           (mcp:<server>/<tool>), every other tool call too
                           (tool:shell, tool:apply_patch, …) with --all-tools; a
                           directory is searched for rollout-*.jsonl (default
                           ~/.codex/sessions). A call's tokens are its model
                           response's when that response made no other call;
                           else they are unknown.
              gemini       Gemini CLI sessions, the JSON document or the JSONL
                           form: one row per MCP tool call Gemini names
                           <server>__<tool>, every other tool call too
                           (tool:run_shell_command, …) with --all-tools; a
                           directory is searched for session-*.json and
                           session-*.jsonl (default ~/.gemini/tmp). A call's
                           tokens are its message's when the message made no
                           other call; else they are unknown.

            Importing is idempotent: every row gets a run_id from its source (or a hash of \
            its fields), and every telemetry event is remembered by a hash of its log \
            record, so importing the same file again adds nothing. Every record is \
            checked with the same rules as `record`; by default the first invalid one stops \
            the import with file:line and nothing is written (the inputs are read once to \
            check, then again to import). With --skip-invalid, valid records are imported \
            and each invalid one is reported. A Claude Code row that breaks a rule is always \
            skipped and reported, never fatal.

            Numbers are plain decimal digits (840 or "840"; not 0x10, 1e3 or 1.0); times are \
            Unix ms or ISO 8601 (2026-11-20, 2026-11-20T10:00:00Z, +01:00 offsets), and a \
            date that does not exist (2026-02-30) is an error. A field may be given once.

            Examples:
              skill-forge import runs.jsonl
              skill-forge import --from claude-code
              skill-forge import --from codex --all-tools
              skill-forge import ~/.codex/sessions/2026/03/02/rollout-*.jsonl
              skill-forge import --from gemini --all-tools
              skill-forge import --from otlp traces/*.json --skip-invalid \\
                --rejects rejects.txt
              skill-forge import --from otlp-logs --all-tools \\
                /var/lib/otelcol/claude-code-logs.jsonl
              cat runs.csv | skill-forge import --from csv -
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var pricing: PricingOptions

    @Option(name: .customLong("from"), help: "The format: jsonl, csv, otlp, otlp-logs, claude-code, codex or gemini (default: detected).")
    var format: ImportFormat?

    @Flag(help: "With otlp-logs, codex or gemini: make a row of every tool call (tool:<name>), not only of Skill and MCP calls.")
    var allTools = false

    /// The formats that make rows of other tools' calls with --all-tools.
    static let formatsWithAllTools: [ImportFormat?] = [.otlpLogs, .codex, .gemini]

    @Flag(help: "Import the valid records and report the invalid ones instead of stopping at the first.")
    var skipInvalid = false

    @Option(help: ArgumentHelp("Write rejected records to this file instead of stderr.", valueName: "file"))
    var rejects: String?

    @Option(
        help: ArgumentHelp("Records per transaction (each batch is held in memory while it is written).", valueName: "count"),
        reading: .number(atLeast: 1))
    var batchSize = 10_000

    @Argument(help: "Files to import, - for standard input, or session directories (with --from claude-code, codex or gemini).")
    var paths: [String] = []

    func validate() throws {
        if paths.isEmpty && format.flatMap(AgentLogFolder.init(format:)) == nil {
            throw ValidationError("Give the files to import (or - for standard input).")
        }
        if allTools && format != nil && !Self.formatsWithAllTools.contains(format) {
            throw ValidationError("--all-tools is for --from otlp-logs (Claude Code's telemetry), codex and gemini.")
        }
        if rejects != nil && !skipInvalid {
            throw ValidationError("--rejects needs --skip-invalid (without it the first invalid record stops the import).")
        }
    }

    func run() async throws {
        let inputs = try ImportSources(paths: paths, format: format).inputs()
        let rejectLog = try RejectLog(path: rejects)
        let options = Importer.Options(
            format: format, skipInvalid: skipInvalid, batchSize: batchSize, telemetry: TelemetryOptions(allTools: allTools),
            pricing: try pricing.priceList())
        let clock = ContinuousClock()
        let started = clock.now
        let summary = try await database.location.withDatabaseForWriting { db in
            try await InterruptibleTask.run {
                let display = ImportProgressDisplay()
                defer { display.finish() }
                return try await Importer(store: db).run(inputs, options: options) { event in
                    switch event {
                    case .phase(let phase): display.phase = phase
                    case .progress(let bytes, let total, let records):
                        display.show(bytes: bytes, of: total, records: records)
                    case .rejected(let location, let problem): rejectLog.write("\(location): \(problem)")
                    }
                }
            }
        }
        print(ImportProgressDisplay.summaryLine(summary, elapsed: started.duration(to: clock.now)))
        if let passedOver = ImportProgressDisplay.passedOverLine(summary) { print(passedOver) }
    }
}

extension ImportFormat: ExpressibleByArgument {}

/// Turns the command's paths into inputs: files, `-`, and transcript directories.
struct ImportSources {
    var paths: [String]
    var format: ImportFormat?

    /// The home directory: `$HOME` when it is set, as the agents themselves (Node's
    /// `os.homedir()`, Rust's `dirs::home_dir()`) decide, else the account's home.
    static var home: URL {
        let home = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path
        return URL(fileURLWithPath: home)
    }

    func inputs() throws -> [ImportInput] {
        let folder = format.flatMap(AgentLogFolder.init(format:))
        let paths = self.paths.isEmpty ? folder.map { [Self.home.appendingPathComponent($0.path).path] } ?? [] : self.paths
        var inputs: [ImportInput] = []
        for path in paths {
            if path == "-" {
                inputs.append(try ImportInput.standardInput())
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ImportError.unreadableInput(file: path, problem: "no such file or directory")
            }
            if isDirectory.boolValue {
                guard let folder else {
                    throw ImportError.unreadableInput(
                        file: path, problem: "is a directory (only --from \(AgentLogFolder.formats) read directories)")
                }
                inputs += try ImportInput.files(under: path, named: folder.includes)
            } else {
                inputs.append(ImportInput(path: path))
            }
        }
        if inputs.isEmpty, let folder {
            throw ImportError.unreadableInput(file: paths.joined(separator: ", "), problem: "holds no \(folder.files) files")
        }
        return inputs
    }
}

/// Where an agent keeps its session logs, and which files under it are logs.
struct AgentLogFolder {
    /// Under the home directory.
    let path: String
    /// The logs' names, for messages: `.jsonl`, `rollout-*.jsonl`.
    let files: String
    let includes: (String) -> Bool

    /// The formats that read directories, for messages.
    static let formats = "claude-code, codex and gemini"

    init?(format: ImportFormat) {
        switch format {
        case .claudeCode:
            (path, files, includes) = (".claude/projects", ".jsonl", { $0.hasSuffix(".jsonl") })
        case .codex:
            (path, files, includes) = (".codex/sessions", "rollout-*.jsonl", { $0.hasPrefix("rollout-") && $0.hasSuffix(".jsonl") })
        case .gemini:
            (path, files, includes) = (
                ".gemini/tmp", "session-*.json or session-*.jsonl",
                { $0.hasPrefix("session-") && ($0.hasSuffix(".json") || $0.hasSuffix(".jsonl")) }
            )
        case .jsonl, .csv, .otlp, .otlpLogs:
            return nil
        }
    }
}

/// Where rejected records are reported: a file, or stderr.
final class RejectLog: Sendable {
    private let handle: FileHandle
    /// Whether lines go to stderr, where stored text is escaped like all terminal output.
    private let escapesForTerminal: Bool

    init(path: String?) throws {
        guard let path else {
            handle = .standardError
            escapesForTerminal = true
            return
        }
        escapesForTerminal = false
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
        else {
            throw ValidationError("Cannot create the rejects file \(path).")
        }
        self.handle = handle
    }

    func write(_ line: String) {
        handle.write(Data(((escapesForTerminal ? line.escapedForTerminal : line) + "\n").utf8))
    }
}
