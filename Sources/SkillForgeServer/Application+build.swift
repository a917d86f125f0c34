import Hummingbird
import Logging
import NIOCore
import SkillForge

/// The request context of every route.
public typealias CollectorRequestContext = BasicRequestContext

/// Builds the collector's application: the router, HTTP/1.1 with the idle
/// timeout, the bound address. `runService()` runs it until SIGINT or SIGTERM,
/// then lets requests in flight finish (their runs are committed before they answer).
///
/// ```swift
/// let app = buildApplication(collector: collector, logger: logger) { port in print("listening on \(port)") }
/// try await app.runService()
/// ```
///
/// - Parameter onListening: Called with the bound port once the server accepts connections
///   (the port asked for, or the one the system chose for port 0).
public func buildApplication(
    collector: Collector, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let configuration = collector.configuration
    let timeout = TimeAmount.nanoseconds(Int64(configuration.idleTimeout.components.seconds) * 1_000_000_000)
    let dashboard = DashboardRoutes(collector: collector)
    return Application(
        router: buildRouter(collector: collector, logger: logger, dashboard: dashboard),
        server: .http1(configuration: .init(additionalChannelHandlers: [ContinueHandler()], idleTimeout: timeout)),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "skill-forge"),
        onServerRunning: { channel in
            await onListening(channel.localAddress?.port ?? configuration.port)
            // In the background: the first load of the overview waits for it rather than computing it again.
            Task { await warmUp(dashboard, logger: logger) }
        },
        logger: logger)
}

/// Computes the dashboard's overview once, and logs how long it took.
private func warmUp(_ dashboard: DashboardRoutes, logger: Logger) async {
    let clock = ContinuousClock()
    let start = clock.now
    do {
        let skills = try await dashboard.warmUp()
        let elapsed = start.duration(to: clock.now)
        let milliseconds = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("dashboard ready", metadata: ["skills": "\(skills)", "took": "\(Readable.milliseconds(milliseconds))"])
    } catch {
        logger.warning("dashboard warm-up failed", metadata: ["error": "\(error)"])
    }
}

/// Builds the router with every route: ingest (`/v1/metrics`, OTLP's
/// `/v1/traces` and `/v1/logs`), the read API (`/v1/skills` …), `/healthz`,
/// `/metrics` and the dashboard. Tests call it with HummingbirdTesting.
///
/// ```swift
/// let app = Application(router: buildRouter(collector: collector, logger: logger))
/// try await app.test(.router) { client in
///     try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
/// }
/// ```
public func buildRouter(collector: Collector, logger: Logger) -> Router<CollectorRequestContext> {
    buildRouter(collector: collector, logger: logger, dashboard: DashboardRoutes(collector: collector))
}

/// ``buildRouter(collector:logger:)`` with the dashboard's routes given (their cache shared with its warm-up).
func buildRouter(collector: Collector, logger: Logger, dashboard: DashboardRoutes) -> Router<CollectorRequestContext> {
    let routes = [Route.get("healthz") { _, _ in Response(status: .ok) }]
        + PrometheusRoutes(registry: collector.registry).routes
        + IngestRoutes(collector: collector, logger: logger).routes
        + OTLPRoutes(collector: collector).routes
        + HookRoutes(collector: collector, logger: logger).routes
        + ReadRoutes(collector: collector).routes
        + dashboard.routes
    let router = Router(context: CollectorRequestContext.self)
    router.addMiddleware {
        MetricsMiddleware()
        ProblemMiddleware(allowedMethods: AllowedMethods(routes))
        if let token = collector.configuration.token { BearerTokenMiddleware(token: token) }
    }
    for route in routes {
        router.on(RouterPath(route.path), method: route.method, use: route.handler)
    }
    return router
}
