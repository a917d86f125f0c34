import Hummingbird
import Logging
import Metrics
import SkillForge

/// `POST /v1/hooks/claude-code`: Claude Code's HTTP hooks (`"type": "http"`) post
/// each event's JSON here, as a command hook gets it on standard input
/// (`skill-forge hook claude-code`), and it is recorded the same way
/// (``ClaudeCodeHookAction``).
///
/// - `200` with an empty body, which Claude Code reads as success: a finished MCP
///   call is committed first; a transcript to import (at `Stop`, `SubagentStop`,
///   `SessionEnd`) is imported after the answer, in the background, so the session
///   never waits for it. The transcript must be a path this server can read: the
///   collector and Claude Code on the same machine.
/// - `400` with a problem document for a body that is not a hook event.
struct HookRoutes {
    let collector: Collector
    let logger: Logger

    var routes: [Route] {
        [.post("v1/hooks/claude-code") { request, _ in try await record(request) }]
    }

    private func record(_ request: Request) async throws -> Response {
        let body = try await request.collectBody(within: collector.configuration)
        let event: ClaudeCodeHookEvent
        do {
            event = try ClaudeCodeHookEvent(json: body)
        } catch {
            throw ProblemDetails(status: .badRequest, title: "Not a Claude Code hook event", detail: error.description)
        }
        switch event.action() {
        case .record(let run):
            let result = try await collector.commits.store([run])
            IngestMetrics.stored.increment(by: result.inserted)
            IngestMetrics.duplicates.increment(by: result.skipped)
        case .importTranscripts(let paths):
            await collector.transcriptImports.start(paths, into: collector.store, pricing: collector.pricing, logger: logger)
        case .ignore:
            break
        }
        return Response(status: .ok)
    }
}

/// The transcript imports the hooks started: one at a time per transcript, and a
/// transcript asked for again while it is being imported is imported once more after.
/// ``finish()`` waits for them, so that a collector shutting down completes them.
actor TranscriptImports {
    private var running: Set<String> = []
    private var again: Set<String> = []
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var nextTask = 0

    /// Starts importing `paths` in the background.
    func start(_ paths: [String], into store: any MetricsStore, pricing: PriceList, logger: Logger) {
        let key = nextTask
        nextTask += 1
        tasks[key] = Task {
            await run(paths, into: store, pricing: pricing, logger: logger)
            ended(key)
        }
    }

    /// Waits for every import started, including those started while it waits.
    func finish() async {
        while let (_, task) = tasks.first {
            await task.value
        }
    }

    private func ended(_ key: Int) {
        tasks[key] = nil
    }

    private func run(_ paths: [String], into store: any MetricsStore, pricing: PriceList, logger: Logger) async {
        for path in paths {
            guard !running.contains(path) else {
                again.insert(path)
                continue
            }
            running.insert(path)
            repeat {
                again.remove(path)
                do {
                    let summary = try await Importer(store: store).run(
                        [ImportInput(path: path)], options: Importer.Options(format: .claudeCode, pricing: pricing))
                    logger.debug("imported a transcript", metadata: ["path": "\(path)", "imported": "\(summary.imported)"])
                } catch {
                    logger.warning("a hook's transcript was not imported", metadata: ["path": "\(path)", "error": "\(error)"])
                }
            } while again.contains(path)
            running.remove(path)
        }
    }
}
