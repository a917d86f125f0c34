import ArgumentParser
import Logging
import SkillForge
import SkillForgeMCP

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the Model Context Protocol on standard input and output, for AI agents such as Claude Code.",
        discussion: """
            An MCP client starts this command and talks JSON-RPC to it over stdin and stdout; \
            nothing else is written to stdout, and logs go to stderr. When the client closes \
            stdin, it answers the requests it has read, then exits. The tools (docs/MCP.md):

              list_skills              the skills with runs, failure rate, mean time and
                                       tokens; with skill, that skill's versions
              skill_summary            one skill's percentiles, failures and tokens
                                       (skill; version, model, since, until, last)
              compare_versions         two versions or periods of a skill, with tests
                                       and a verdict (skill, baseline, candidate ...)
              optimization_candidates  the skills worth optimising, with reasons
              record_run               store one execution (skill_id, execution_ms,
                                       tokens_in, tokens_out, success ...)

            Answers are JSON in the shapes of --format json. The database is created when \
            it does not exist yet, so record_run can store the first run. A run recorded \
            without cost_usd is priced from its model and tokens by the shipped price list, \
            or by --pricing FILE.

            Examples:
              claude mcp add skill-forge -- skill-forge mcp --db ~/skill-forge.db
              skill-forge mcp --db team.db --pricing my-prices.json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var pricing: PricingOptions

    func run() async throws {
        var logger = Logger(label: "skill-forge.mcp", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .info
        let prices = try pricing.priceList()
        try await database.location.withDatabaseForWriting { db in
            logger.info("skill-forge MCP server on stdio, database \(db.location)")
            let server = SkillForgeMCPServer(store: db, logger: logger, prices: prices)
            try await server.runOverStandardIO()
        }
    }
}
