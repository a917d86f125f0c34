import Hummingbird
import Logging
import Metrics
import SkillForge

/// `POST /v1/metrics`: runs in the fields of `import --from jsonl`, as one JSON
/// object, an array of them, or NDJSON. All or nothing per request.
///
/// - `201` `{"stored": 2, "alreadyStored": 1, "runIds": [...]}` once the runs are committed;
///   `runIds` are in the request's order (derived from the fields when a run gives none).
/// - `400` with a problem document naming each bad item's index and field; nothing is stored.
/// - `413` past the body limit, `415` for other content types, `503` with `Retry-After` when the store is busy.
struct IngestRoutes {
    let collector: Collector
    let logger: Logger

    var routes: [Route] {
        [.post("v1/metrics") { request, _ in try await storeMetrics(request) }]
    }

    /// What a stored request answers.
    struct Stored: Encodable {
        var stored: Int
        var alreadyStored: Int
        var runIds: [String]
    }

    private func storeMetrics(_ request: Request) async throws -> Response {
        guard let type = BodyType(contentType: request.headers[.contentType]), type != .protobuf else {
            throw ProblemDetails(
                status: .unsupportedMediaType, title: "Unsupported Media Type",
                detail: "send application/json (a metric object or an array of them) or application/x-ndjson (one per line), not \(request.headers[.contentType] ?? "a body without Content-Type")")
        }
        let body = try await request.collectBody(within: collector.configuration)
        let received = type == .json ? ReceivedRuns(metricsJSON: body) : ReceivedRuns(metricsNDJSON: body)
        guard received.problems.isEmpty else {
            IngestMetrics.refused.increment(by: received.problems.count)
            let count = received.problems.count + received.metrics.count
            throw ProblemDetails(
                status: .badRequest, title: "Invalid metrics",
                detail: "\(received.problems.count) of \(count) metrics cannot be stored; nothing was stored",
                errors: received.problems)
        }
        let result = try await collector.commits.store(received.metrics)
        IngestMetrics.stored.increment(by: result.inserted)
        IngestMetrics.duplicates.increment(by: result.skipped)
        let answer = Stored(stored: result.inserted, alreadyStored: result.skipped, runIds: received.metrics.compactMap(\.runId))
        return JSONBody.response(answer, status: .created)
    }
}

/// The collector's own counters, through swift-metrics (shown at `/metrics` when Prometheus is bootstrapped).
enum IngestMetrics {
    static let stored = Counter(label: "skill_forge_runs_stored_total")
    static let duplicates = Counter(label: "skill_forge_runs_already_stored_total")
    static let refused = Counter(label: "skill_forge_items_refused_total")
}
