import Hummingbird
import NIOCore

/// An HTML answer: `text/html; charset=utf-8`, never cached (every load reads
/// the store afresh), with a status (200, or a 4xx page).
///
/// ```swift
/// router.get("/") { _, _ in HTMLPage(html: "<!doctype html><title>Skills</title>") }
/// ```
struct HTMLPage: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var html: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
