import ArgumentParser
import Foundation
import SkillForge

struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Store one skill execution measured elsewhere (for shell scripts and other languages).",
        discussion: """
            Prints the id of the stored row. Invalid values are refused with the field \
            and the rule they break, and nothing is stored: times from 0 to 30 days (a \
            larger --ms is likely microseconds or nanoseconds), token counts from 0 to 10^12.

            Leave out both --tokens-in and --tokens-out when the tokens are unknown (a tool \
            call without usage): the run is stored with tokens_known = 0, and the token \
            statistics leave it out instead of counting 0 tokens.

            --cost is kept as given. Without it, the cost is computed from --model and the \
            token counts by the shipped price list (or --pricing FILE), and left unknown for \
            a model the list does not price or unknown tokens.

            Examples:
              skill-forge record --skill summarise --ms 840 \\
                --tokens-in 1200 --tokens-out 310
              skill-forge record --skill fetch-page --ms 3012 \\
                --tokens-in 90 --tokens-out 0 --error "HTTP 503"
              skill-forge record --skill summarise --ms 790 \\
                --tokens-in 1180 --tokens-out 305 --version 2.1 \\
                --model claude-sonnet-4-5 --timestamp 2026-11-20T10:00:00Z \\
                --cost 0.0125
              skill-forge record --skill run-linter --ms 412
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var pricing: PricingOptions

    @Option(help: "The skill id.")
    var skill: String

    @Option(
        help: ArgumentHelp("Execution time in milliseconds, at most 2592000000 (30 days).", valueName: "ms"),
        reading: .number(atLeast: 0))
    var ms: Int64

    @Option(
        help: ArgumentHelp("Input tokens, at most 10^12 (leave out with --tokens-out for unknown tokens).", valueName: "count"),
        reading: .number(atLeast: 0))
    var tokensIn: Int64?

    @Option(
        help: ArgumentHelp("Output tokens, at most 10^12 (leave out with --tokens-in for unknown tokens).", valueName: "count"),
        reading: .number(atLeast: 0))
    var tokensOut: Int64?

    @Flag(help: "The execution failed.")
    var failed = false

    @Option(help: ArgumentHelp("The error message of a failed execution (implies --failed).", valueName: "message"))
    var error: String?

    @Option(help: "The skill's version.")
    var version: String?

    @Option(help: "The model that ran the skill.")
    var model: String?

    @Option(
        help: ArgumentHelp(
            "When the execution started: 2026-11-20T10:00:00Z or Unix ms (default: now).", valueName: "time"),
        reading: .timestamp)
    var timestamp: Int64?

    @Flag(help: "The token counts are estimates, not reported usage.")
    var estimated = false

    @Option(help: ArgumentHelp("Input tokens read from the prompt cache.", valueName: "count"), reading: .number(atLeast: 0))
    var cacheRead: Int64?

    @Option(help: ArgumentHelp("Input tokens written to the prompt cache.", valueName: "count"), reading: .number(atLeast: 0))
    var cacheCreation: Int64?

    @Option(
        help: ArgumentHelp("What the execution cost in US dollars, such as 0.0125 (at most 1000000).", valueName: "usd"),
        reading: .number(atLeast: 0))
    var cost: Double?

    @Option(help: ArgumentHelp("The agent session id.", valueName: "id"))
    var session: String?

    @Option(help: ArgumentHelp("A unique id of this execution (default: a new UUID); recording an id twice is refused.", valueName: "id"))
    var runId: String?

    @Option(help: ArgumentHelp("Extra details as a JSON object.", valueName: "json"))
    var metadata: String?

    func validate() throws {
        if (tokensIn == nil) != (tokensOut == nil) {
            throw ValidationError("give both --tokens-in and --tokens-out, or neither when the tokens are unknown")
        }
        if tokensIn == nil, estimated || cacheRead != nil || cacheCreation != nil {
            throw ValidationError("--estimated, --cache-read and --cache-creation need --tokens-in and --tokens-out")
        }
    }

    func run() async throws {
        let tokensKnown = tokensIn != nil
        var metric = SkillMetrics(
            skillId: skill, executionMs: ms, tokensIn: tokensIn ?? 0, tokensOut: tokensOut ?? 0,
            success: !(failed || error != nil), version: version, model: model, error: error,
            tokensEstimated: tokensKnown ? estimated : nil, cacheReadTokens: cacheRead, cacheCreationTokens: cacheCreation,
            sessionId: session, runId: runId ?? RunIdentity.random(), source: MetricSource.cli,
            metadata: metadata, costUsd: cost, tokensKnown: tokensKnown ? nil : false)
        if let timestamp { metric.timestamp = timestamp }
        let priced = try pricing.pricing(metric)
        let stored = try await database.location.withDatabaseForWriting { db in try await db.insert(priced) }
        print(stored.id.map(String.init) ?? "")
    }
}
