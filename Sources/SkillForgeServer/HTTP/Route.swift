import Hummingbird

/// One route: its method, its path (`v1/skills/:id/summary`) and its handler.
/// Route groups list their routes as values, so the router and the table of
/// allowed methods (405 answers) come from the same definitions.
struct Route: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let handler: @Sendable (Request, CollectorRequestContext) async throws -> Response

    static func get(_ path: String, _ handler: @escaping @Sendable (Request, CollectorRequestContext) async throws -> Response) -> Route {
        Route(method: .get, path: path, handler: handler)
    }

    static func post(_ path: String, _ handler: @escaping @Sendable (Request, CollectorRequestContext) async throws -> Response) -> Route {
        Route(method: .post, path: path, handler: handler)
    }

    /// The path's segments; `:name` segments match any one segment.
    var segments: [Substring] { path.split(separator: "/") }
}

/// The methods each path accepts, for `405 Method Not Allowed` with an `Allow` header.
struct AllowedMethods: Sendable {
    private let routes: [(segments: [Substring], method: HTTPRequest.Method)]

    init(_ routes: [Route]) {
        self.routes = routes.map { ($0.segments, $0.method) }
    }

    /// The methods of the routes whose path matches `path`, empty when none does.
    func methods(forPath path: String) -> [HTTPRequest.Method] {
        let given = path.split(separator: "/")
        return routes.filter { route in
            route.segments.count == given.count
                && zip(route.segments, given).allSatisfy { pattern, segment in pattern.hasPrefix(":") || pattern == segment }
        }.map(\.method)
    }
}
