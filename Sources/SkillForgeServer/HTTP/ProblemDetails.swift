import Foundation
import Hummingbird
import Logging
import NIOCore
import SkillForge

/// An error answer as an RFC 9457 problem document (`application/problem+json`):
///
/// ```json
/// {"type":"about:blank","status":400,"title":"Invalid metrics","detail":"2 of 3 metrics are invalid; nothing was stored",
///  "errors":[{"index":1,"field":"tokens_in","detail":"invalid tokens_in -5: must be zero or more"}]}
/// ```
///
/// Route handlers throw it; ``ProblemMiddleware`` turns every other error into one too.
struct ProblemDetails: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var title: String
    var detail: String
    /// One entry per bad item, for requests of many items.
    var errors: [ReceivedRuns.Problem] = []
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        let document = Document(status: status.code, title: title, detail: detail, errors: errors.isEmpty ? nil : errors)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONBody.encode(document))))
    }

    private struct Document: Encodable {
        var type = "about:blank"
        var status: Int
        var title: String
        var detail: String
        var errors: [ReceivedRuns.Problem]?
    }
}

/// Answers every error a route or Hummingbird throws with a problem document:
/// 404 for unknown paths, 413 for bodies past the limit, 500 (logged, not
/// shown) for anything unexpected.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedMethods: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            throw problem
        } catch let failure as OTLPFailure {
            throw failure
        } catch let error as any HTTPResponseError where error.status == .notFound {
            let methods = allowedMethods.methods(forPath: request.uri.path)
            guard !methods.isEmpty else { throw ProblemDetails(status: .notFound, title: "Not Found", detail: Self.detail(of: error, request)) }
            let allowed = methods.map(\.rawValue).joined(separator: ", ")
            throw ProblemDetails(
                status: .methodNotAllowed, title: "Method Not Allowed",
                detail: "\(request.uri.path) accepts \(allowed), not \(request.method)", headers: [.allow: allowed])
        } catch let error as any HTTPResponseError {
            throw ProblemDetails(status: error.status, title: error.status.reasonPhrase, detail: Self.detail(of: error, request))
        } catch let error as ProfilerError {
            context.logger.error("the store failed", metadata: ["error": "\(error)"])
            throw ProblemDetails.storeFailure(error)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            throw ProblemDetails(status: .internalServerError, title: "Internal Server Error", detail: "the server failed; see its log")
        }
    }

    private static func detail(of error: any HTTPResponseError, _ request: Request) -> String {
        switch error.status {
        case .notFound: "no route for \(request.method) \(request.uri.path)"
        case .contentTooLarge: "the body is larger than this collector accepts"
        default: (error as? HTTPError)?.body ?? error.status.reasonPhrase
        }
    }
}

extension ProblemDetails {
    /// The answer to a store's failure: 503 with `Retry-After` when it may pass (a busy
    /// database, a full disk), 400 for a request the store refuses, 500 for the rest.
    static func storeFailure(_ error: ProfilerError) -> ProblemDetails {
        switch error.code {
        case .busy, .diskFull, .readOnly:
            ProblemDetails(
                status: .serviceUnavailable, title: "Service Unavailable",
                detail: "the database cannot be written now (\(error.code)); nothing of this request was stored. Send it again",
                headers: [.retryAfter: "1"])
        case .tooManyBuckets, .invalidMetric, .duplicateRunId:
            ProblemDetails(status: .badRequest, title: "Bad Request", detail: error.description)
        default:
            ProblemDetails(status: .internalServerError, title: "Internal Server Error", detail: "the database failed; see the server's log")
        }
    }
}

/// JSON as the CLI prints it (`--format json`): keys sorted, slashes unescaped.
enum JSONBody {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array(#"{"error":"could not encode the answer"}"#.utf8)
    }

    /// A `200` (or `status`) answer holding `value` as `application/json`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: encode(value))))
    }
}
