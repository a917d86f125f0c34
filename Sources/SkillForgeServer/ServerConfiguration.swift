import NIOCore
import NIOPosix

/// How `skill-forge serve` listens and what it accepts.
///
/// ```swift
/// var configuration = ServerConfiguration()
/// configuration.port = 0                 // any free port (tests)
/// configuration.token = "s3cret"         // required off loopback
/// ```
public struct ServerConfiguration: Sendable {
    /// The address to bind: loopback by default, so nothing off this machine reaches the collector.
    public var host = "127.0.0.1"
    /// The port: 4318 is OTLP/HTTP's default, so an OpenTelemetry exporter finds the collector unconfigured.
    public var port = 4318
    /// The bearer token every request must carry (`Authorization: Bearer <token>`), or `nil` for none.
    /// Required when ``host`` is not a loopback address.
    public var token: String?
    /// The largest request body accepted, as sent (compressed or not); larger ones get 413.
    public var maximumBodyBytes = 8 << 20
    /// The largest body once a gzip body is decompressed; a larger one (a gzip bomb) gets 413.
    public var maximumDecompressedBytes = 32 << 20
    /// How long a connection may stay silent (between requests or inside one) before it is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// How long a request body may take to arrive in full; a slower one gets 408.
    public var bodyTimeout: Duration = .seconds(30)
    /// Whether Claude Code's tool results of tools other than skills and MCP calls become rows (`tool:<name>`).
    public var includesAllTools = false

    /// Creates the default configuration.
    public init() {}

    /// Whether ``host`` is a loopback address, reachable from this machine only.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Why the configuration cannot serve, or `nil` when it can.
    public var problem: String? {
        if !isLoopback, token?.isEmpty ?? true {
            return "--host \(host) is reachable from other machines: give a token with --token or SKILL_FORGE_TOKEN, which every request must then carry"
        }
        if let token, token.isEmpty { return "the token is empty" }
        if !(0...65_535).contains(port) { return "--port \(port) is not a TCP port (0 to 65535)" }
        if maximumBodyBytes < 1 { return "the body limit must be at least 1 byte" }
        return nil
    }
}

// MARK: - Checking the address

extension ServerConfiguration {
    /// Binds the address and lets it go again: a command checks this before it opens or
    /// creates the database, so a port in use fails before anything is written.
    ///
    /// - Throws: NIO's error (such as `EADDRINUSE`) when the address cannot be bound.
    public func checkAddressIsFree() async throws {
        guard port != 0 else { return }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port).get()
        try await channel.close()
    }
}
