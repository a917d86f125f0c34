import Hummingbird
import Metrics
import NIOCore
import SkillForge

/// OTLP/HTTP (the OpenTelemetry protocol specification's HTTP transport):
/// `POST /v1/traces` and `POST /v1/logs` in `application/json` (OTLP's JSON
/// encoding) or `application/x-protobuf`, answered in the request's encoding.
/// Logs are Claude Code's telemetry events, merged into runs as
/// `import --from otlp-logs` merges them (docs/IMPORT.md).
///
/// - `200` with an `ExportTraceServiceResponse`: empty when every span was read,
///   with `partialSuccess` (`rejectedSpans` and a message) when some spans could
///   not become runs; the others are committed before the answer. Spans that are
///   no tool or agent execution are skipped, not rejected. An empty body is a success.
/// - `400` with a `google.rpc.Status` when the body cannot be decoded at all.
/// - `413`, `415` as for every route; `503` with `Retry-After` (retryable) when the store is busy.
///
/// Resent batches add nothing: a span's run id is its trace and span id, and a log
/// record's identity is kept with the runs it was merged into.
struct OTLPRoutes {
    let collector: Collector

    var routes: [Route] {
        [
            .post("v1/traces") { request, _ in try await traces(request) },
            .post("v1/logs") { request, _ in try await logs(request) },
        ]
    }

    private func traces(_ request: Request) async throws -> Response {
        let encoding = try Self.encoding(of: request)
        let body = try await collectBody(request, as: encoding)
        let received = encoding == .json ? ReceivedRuns(otlpTracesJSON: body) : ReceivedRuns(otlpTracesProtobuf: body)
        return try await answer(received, signal: .traces, encoding: encoding)
    }

    private func logs(_ request: Request) async throws -> Response {
        let encoding = try Self.encoding(of: request)
        let body = try await collectBody(request, as: encoding)
        let options = TelemetryOptions(allTools: collector.configuration.includesAllTools)
        let received = encoding == .json
            ? ReceivedTelemetry(otlpLogsJSON: body, options: options) : ReceivedTelemetry(otlpLogsProtobuf: body, options: options)
        if let unreadable = received.unreadable { return Self.unreadable(unreadable, encoding: encoding) }
        do {
            let result = try await collector.store.merge(received.contributions)
            IngestMetrics.stored.increment(by: result.merged)
            IngestMetrics.duplicates.increment(by: result.alreadyMerged)
            return Self.exported(.logs, rejecting: received.problems + received.problems(refusedIn: result), encoding: encoding)
        } catch {
            return Self.storeFailure(error, encoding: encoding)
        }
    }

    // MARK: - Answers

    /// Stores the runs and answers with the export response, or with a Status for an unreadable body.
    private func answer(_ received: ReceivedRuns, signal: OTLPExportResponse.Signal, encoding: OTLPEncoding) async throws -> Response {
        if let unreadable = received.unreadable { return Self.unreadable(unreadable, encoding: encoding) }
        do {
            let result = try await collector.commits.store(received.metrics)
            IngestMetrics.stored.increment(by: result.inserted)
            IngestMetrics.duplicates.increment(by: result.skipped)
        } catch {
            return Self.storeFailure(error, encoding: encoding)
        }
        return Self.exported(signal, rejecting: received.problems, encoding: encoding)
    }

    /// `200` with the export response: `partialSuccess` counts the rejected items and names the first.
    private static func exported(
        _ signal: OTLPExportResponse.Signal, rejecting problems: [ReceivedRuns.Problem], encoding: OTLPEncoding
    ) -> Response {
        IngestMetrics.refused.increment(by: problems.count)
        let message = problems.isEmpty
            ? nil
            : problems.prefix(3).map(\.description).joined(separator: "; ")
                + (problems.count > 3 ? "; and \(problems.count - 3) more" : "")
        let export = OTLPExportResponse(signal: signal, rejected: problems.count, message: message)
        return response(.ok, bytes: export.encoded(as: encoding), encoding: encoding)
    }

    /// `400` with a Status: the body cannot be decoded, nothing of it was read.
    private static func unreadable(_ problem: String, encoding: OTLPEncoding) -> Response {
        IngestMetrics.refused.increment()
        return failure(.badRequest, OTLPErrorStatus(message: problem), encoding: encoding)
    }

    /// The store's failure as a Status: `503` with `Retry-After` when it may pass.
    private static func storeFailure(_ error: ProfilerError, encoding: OTLPEncoding) -> Response {
        let problem = ProblemDetails.storeFailure(error)
        return failure(problem.status, OTLPErrorStatus(message: problem.detail), encoding: encoding, headers: problem.headers)
    }

    /// The request's encoding; any other content type is 415 (answered in JSON, the one OTLP/HTTP reads when in doubt).
    private static func encoding(of request: Request) throws -> OTLPEncoding {
        switch BodyType(contentType: request.headers[.contentType]) {
        case .json: return .json
        case .protobuf: return .protobuf
        case .ndjson, nil:
            throw OTLPFailure(
                response: failure(
                    .unsupportedMediaType,
                    OTLPErrorStatus(message: "send application/json or application/x-protobuf, not \(request.headers[.contentType] ?? "a body without Content-Type")"),
                    encoding: .json))
        }
    }

    /// The body within the limits; a refusal is answered as a Status in the request's encoding.
    private func collectBody(_ request: Request, as encoding: OTLPEncoding) async throws -> [UInt8] {
        do {
            return try await request.collectBody(within: collector.configuration)
        } catch let problem as ProblemDetails {
            throw OTLPFailure(
                response: Self.failure(problem.status, OTLPErrorStatus(message: problem.detail), encoding: encoding, headers: problem.headers))
        }
    }

    private static func failure(
        _ status: HTTPResponse.Status, _ error: OTLPErrorStatus, encoding: OTLPEncoding, headers: HTTPFields = [:]
    ) -> Response {
        response(status, bytes: error.encoded(as: encoding), encoding: encoding, headers: headers)
    }

    private static func response(
        _ status: HTTPResponse.Status, bytes: [UInt8], encoding: OTLPEncoding, headers: HTTPFields = [:]
    ) -> Response {
        var headers = headers
        headers[.contentType] = encoding.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// An OTLP answer that is not a success, already encoded as OTLP/HTTP says (a Status in the request's encoding).
struct OTLPFailure: Error, HTTPResponseError {
    let response: Response

    var status: HTTPResponse.Status { response.status }
    var headers: HTTPFields { response.headers }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }
}
