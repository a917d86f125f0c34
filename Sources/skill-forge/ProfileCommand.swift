import ArgumentParser
import Foundation
import SkillForge

struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Run a command several times as a skill, record every run, and summarise them.",
        discussion: """
            Each run is timed from spawn to exit and stored as one row. A run succeeds when the \
            command exits with status 0 within --timeout; a failed run stores the last line the \
            command wrote to stderr as its error. Warm-up runs are not recorded.

            Tokens: the command may write its real usage as JSON to the file named by the \
            environment variable SKILL_FORGE_USAGE_FILE, for example
              {"tokens_in": 1200, "tokens_out": 350, "model": "claude-sonnet-4-5"}
            (cache_read_tokens and cache_creation_tokens are optional). Otherwise tokens are \
            estimated from the bytes of its stdin and stdout (about 4 bytes per token) and the \
            rows are marked tokens_estimated.

            Examples:
              skill-forge profile --skill time-tracker --iterations 5 \\
                -- ./Examples/skills/time-tracker/run.sh
              skill-forge profile --skill flaky --iterations 20 --warmup 2 \\
                --timeout 10 -- ./Examples/skills/flaky-fetch/run.sh
              skill-forge profile --skill summarise --version 2.0 \\
                --input prompt.txt -- python3 summarise.py
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The skill id to record the runs under.")
    var skill: String

    @Option(name: .shortAndLong, help: "Measured runs.", reading: .number(atLeast: 1))
    var iterations = 10

    @Option(help: "Runs before the measured ones, not recorded (to warm caches).", reading: .number(atLeast: 0))
    var warmup = 0

    @Option(help: "The skill's version, stored with every run.")
    var version: String?

    @Option(
        help: ArgumentHelp("Kill a run after this many seconds (at most a week) and record it as failed.", valueName: "seconds"),
        reading: .number(moreThan: 0, atMost: 604_800))
    var timeout: Double?

    @Option(help: ArgumentHelp("A file to give the command on stdin at every run.", valueName: "file"))
    var input: String?

    @Flag(help: "Show the command's stdout and stderr instead of hiding them.")
    var showOutput = false

    @Argument(parsing: .postTerminator, help: "The command to run, after `--`.")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else {
            throw ValidationError("Give the command to profile after `--`, e.g. `-- ./run.sh`.")
        }
    }

    func run() async throws {
        let skillCommand = SkillCommand(
            executable: command[0], arguments: Array(command.dropFirst()), inputFile: input,
            timeout: timeout.map { .milliseconds(Int64(($0 * 1000).rounded())) }, showsOutput: showOutput)
        let (runs, path) = try await database.location.withDatabaseForWriting { db in
            (try await record(into: db, command: skillCommand), db.location)
        }
        try ProfileReport(runs: runs, warmup: warmup, databasePath: path)?.print(as: output.format)
    }

    /// Runs the command with its warm-ups, recording each measured run, and shows progress.
    private func record(into db: any MetricsStore, command skillCommand: SkillCommand) async throws -> [ProfiledRun] {
        let progress = ProgressLine()
        defer { progress.clear() }
        let (skill, version, iterations, warmup) = (skill, version, iterations, warmup)
        let prices = try pricing.priceList()
        return try await InterruptibleTask.run {
            try await CommandProfiler(store: db, pricing: prices).profile(
                skill: skill, version: version, command: skillCommand, iterations: iterations, warmup: warmup
            ) { step in
                switch step {
                case .warmingUp(let number, let count): progress.show("warm-up \(number)/\(count)")
                case .running(let number, let count): progress.show("run \(number)/\(count)")
                case .recorded(let run):
                    if let problem = run.outcome.usageFileProblem {
                        progress.clear()
                        printWarning("\(problem); tokens were estimated instead")
                    }
                }
            }
        }
    }
}
