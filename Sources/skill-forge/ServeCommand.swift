import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import SkillForge
import SkillForgeServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the collector: an HTTP server that stores runs sent to it, answers the read API and serves the dashboard.",
        discussion: """
            Agents on this machine (or others, with --token) send each skill execution \
            here; every run is in the database before the request is answered. Port 4318 \
            is OTLP/HTTP's default, so an OpenTelemetry exporter needs no configuration.

            Routes:
              POST /v1/metrics   runs as JSON (an object or an array) or NDJSON,
                                 in the fields of import --from jsonl
              POST /v1/traces    OpenTelemetry spans (OTLP/HTTP, JSON or protobuf)
              POST /v1/logs      Claude Code's telemetry (OTLP/HTTP log records)
              POST /v1/hooks/claude-code  Claude Code's HTTP hooks (docs/HOOKS.md)
              GET  /v1/skills    the read API: skills, and under /v1/skills/NAME/
                                 summary, timeseries and metrics; /v1/compare and
                                 /v1/candidates (docs/SERVER.md)
              GET  /healthz      200 once the server is ready
              GET  /metrics      the collector's own metrics, for Prometheus
              GET  /             the dashboard: every skill (open it in a browser)
              GET  /skills/NAME  one skill's charts, versions and failures
              GET  /compare      two versions or periods of a skill compared

            Off loopback (--host 0.0.0.0) a token is required: every request must then \
            carry "Authorization: Bearer <token>". Stop with Ctrl-C or SIGTERM: requests \
            in flight finish first.

            Examples:
              skill-forge serve
              skill-forge serve --db team.db --port 8080
              SKILL_FORGE_TOKEN=s3cret skill-forge serve --host 0.0.0.0
              curl -X POST localhost:4318/v1/metrics -H 'Content-Type: application/json' \\
                -d '{"skillId":"summarise","executionMs":840,"tokensIn":1200,"tokensOut":310,"success":true}'
            """)

    /// The environment variable that gives the token when `--token` is absent.
    static let tokenVariable = "SKILL_FORGE_TOKEN"

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var pricing: PricingOptions

    @Option(help: "The address to listen on; other than loopback, a token is required.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port = 4318

    @Option(help: ArgumentHelp("The bearer token every request must carry (default: $SKILL_FORGE_TOKEN).", valueName: "token"))
    var token: String?

    @Option(name: .customLong("max-body-mib"), help: "The largest request body accepted, in MiB.")
    var maximumBodyMiB = 8

    @Flag(name: .customLong("all-tools"), help: "Keep Claude Code's results of every tool, not only skills and MCP calls.")
    var includesAllTools = false

    var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.token = token ?? ProcessInfo.processInfo.environment[Self.tokenVariable]
        configuration.maximumBodyBytes = maximumBodyMiB.multipliedReportingOverflow(by: 1 << 20).partialValue
        configuration.includesAllTools = includesAllTools
        return configuration
    }

    func validate() throws {
        guard (1...1_024).contains(maximumBodyMiB) else {
            throw ValidationError("--max-body-mib \(maximumBodyMiB): give 1 to 1024")
        }
        if let problem = serverConfiguration.problem { throw ValidationError(problem) }
    }

    /// The writing connection's page cache: requests write small batches, so a
    /// smaller cache than an import's keeps the server's memory low at little cost
    /// (docs/PERFORMANCE.md, "The collector under load").
    static let writerCacheMiB = 8

    func run() async throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let prices = try pricing.priceList()
        var logger = Logger(label: "skill-forge.serve")
        logger.logLevel = .info
        let configuration = serverConfiguration
        do {
            try await configuration.checkAddressIsFree()
        } catch {
            throw Refusal.cannotListen(address: "\(configuration.host):\(configuration.port)", reason: "\(error)")
        }
        try await database.location.withDatabaseForWriting(writerCacheMiB: Self.writerCacheMiB) { db in
            let collector = Collector(store: db, configuration: configuration, pricing: prices, registry: registry)
            let app = buildApplication(collector: collector, logger: logger) { [host, path = db.location] port in
                let shown = host.contains(":") ? "[\(host)]" : host
                let output = TextOutput.standardOutput()
                output.line("skill-forge collector on http://\(shown):\(port), storing into \(path)")
                output.flush()
            }
            do {
                try await app.runService()
            } catch {
                await collector.finishBackgroundWork()
                throw error
            }
            await collector.finishBackgroundWork()
        }
    }
}
