import Foundation
import Hummingbird

/// Refuses every request that does not carry `Authorization: Bearer <token>`
/// with 401, comparing the token in constant time; the token is never logged.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expected: [UInt8]

    init(token: String) {
        expected = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let given = Self.bearerToken(in: request.headers[.authorization]), Self.constantTimeEqual(given, expected) else {
            throw ProblemDetails(
                status: .unauthorized, title: "Unauthorized",
                detail: "this collector needs a token: send Authorization: Bearer <token>",
                headers: [.wwwAuthenticate: #"Bearer realm="skill-forge""#])
        }
        return try await next(request, context)
    }

    /// The token of a `Bearer` authorization, or `nil`.
    private static func bearerToken(in header: String?) -> [UInt8]? {
        guard let header else { return nil }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else { return nil }
        return Array(header.dropFirst(scheme.count).utf8)
    }

    /// Whether two byte strings are equal, in time that depends on their lengths only.
    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
