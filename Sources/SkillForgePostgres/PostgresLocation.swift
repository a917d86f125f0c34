import Foundation
import NIOSSL
import PostgresNIO
import SkillForge

/// Where a PostgreSQL store lives, read from a `postgres://` URL:
///
/// ```swift
/// let location = try PostgresLocation(url: "postgres://forge:secret@db.internal:5432/metrics?sslmode=require")
/// print(location)   // postgres://forge@db.internal:5432/metrics: the password never shows
/// let store = try await PostgresMetricsStore(location)
/// ```
///
/// The URL's parts: a user (and password), a host (or a Unix socket directory
/// as `?host=/run/postgresql`), a port (5432), a database (the user's name) and
/// query items:
/// - `sslmode`: `disable`, `prefer` (the default: TLS when the server offers
///   it), `require` (TLS, certificate checked) or `verify-full` (the same).
/// - `schema`: the PostgreSQL schema holding the tables (`public`); it is
///   created when missing, so teams can keep several stores in one database.
/// - `application_name`: how the connections show in `pg_stat_activity` (`skill-forge`).
/// - `connect_timeout`: seconds to wait for the server when connecting (10), as libpq's.
/// - `pool_size`: the most connections one store keeps open at once (10).
public struct PostgresLocation: Sendable, CustomStringConvertible {
    /// How the store's connection pool connects.
    public let configuration: PostgresClient.Configuration
    /// How a single connection connects: the one that opens the store and migrates it.
    public let connectionConfiguration: PostgresConnection.Configuration
    /// The schema holding Skill Forge's tables.
    public let schema: String
    /// How long opening a store waits for the server (`connect_timeout`).
    public let connectTimeout: Duration
    /// The URL without its password: what messages show.
    public let description: String

    /// The TLS modes of `sslmode`.
    private enum TLSMode: String, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// Reads a `postgres://` (or `postgresql://`) URL.
    ///
    /// - Throws: ``ProfilerError/cannotOpen(path:reason:cause:)`` naming the part of the URL that is wrong.
    public init(url text: String) throws(ProfilerError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw .cannotOpen(path: Self.redacted(text), reason: "expected a URL such as postgres://user@host:5432/database")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = components.password?.removingPercentEncoding
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 }
        var shown = components
        shown.password = nil
        let description = shown.string ?? "postgres://\(components.host ?? "")"

        let schema = query["schema"] ?? "public"
        guard Self.isPlainIdentifier(schema) else {
            throw .cannotOpen(
                path: description,
                reason: "schema '\(schema)' is not a plain name (letters, digits and _, not starting with a digit, at most 63)")
        }
        guard let mode = TLSMode(rawValue: query["sslmode"] ?? "prefer") else {
            throw .cannotOpen(
                path: description,
                reason: "sslmode '\(query["sslmode"] ?? "")' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let timeout = try Self.positiveInteger(query, "connect_timeout", default: 10, description: description)
        let poolSize = try Self.positiveInteger(query, "pool_size", default: 10, description: description)
        // Every connection reads and writes the chosen schema, and names itself in pg_stat_activity.
        let startupParameters = [("search_path", schema), ("application_name", query["application_name"] ?? "skill-forge")]

        var configuration: PostgresClient.Configuration
        var single: PostgresConnection.Configuration
        if let socket = query["host"], socket.hasPrefix("/") {
            let path = "\(socket)/.s.PGSQL.\(components.port ?? 5432)"
            configuration = PostgresClient.Configuration(
                unixSocketPath: path, username: user, password: password, database: database ?? user)
            single = PostgresConnection.Configuration(
                unixSocketPath: path, username: user, password: password, database: database ?? user)
        } else {
            guard let host = components.host, !host.isEmpty else {
                throw .cannotOpen(path: description, reason: "the URL names no host (postgres://user@host/database)")
            }
            let port = components.port ?? 5432
            let (poolTLS, singleTLS) = try Self.tls(mode, description: description)
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database ?? user, tls: poolTLS)
            single = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database ?? user, tls: singleTLS)
        }
        configuration.options.connectTimeout = .seconds(timeout)
        configuration.options.maximumConnections = poolSize
        configuration.options.additionalStartupParameters = startupParameters
        single.options.connectTimeout = .seconds(Int64(timeout))
        single.options.additionalStartupParameters = startupParameters
        self.connectionConfiguration = single
        self.configuration = configuration
        self.schema = schema
        self.connectTimeout = .seconds(timeout)
        self.description = description
    }

    /// Whether `text` is a URL this type reads (what `--db` tells apart from a file path).
    public static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    // MARK: - Details

    /// The pool's and the single connection's TLS for `mode`.
    private static func tls(
        _ mode: TLSMode, description: String
    ) throws(ProfilerError) -> (PostgresClient.Configuration.TLS, PostgresConnection.Configuration.TLS) {
        var tls = TLSConfiguration.makeClientConfiguration()
        // `prefer` encrypts when the server offers it, the certificate unchecked, as libpq's does.
        if mode == .prefer { tls.certificateVerification = .none }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw .cannotOpen(path: description, reason: "cannot set up TLS: \(error)", cause: error)
        }
        switch mode {
        case .disable: return (.disable, .disable)
        case .prefer: return (.prefer(tls), .prefer(context))
        case .require, .verifyFull: return (.require(tls), .require(context))
        }
    }

    /// The query item `name` as a whole number of at least 1, or `defaultValue` when absent.
    private static func positiveInteger(
        _ query: [String: String], _ name: String, default defaultValue: Int, description: String
    ) throws(ProfilerError) -> Int {
        guard let text = query[name] else { return defaultValue }
        guard let value = Int(text), value >= 1 else {
            throw .cannotOpen(path: description, reason: "\(name) '\(text)' is not a whole number of at least 1")
        }
        return value
    }

    private static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let rest = letters.union(CharacterSet(charactersIn: "0123456789"))
        return letters.contains(first) && name.unicodeScalars.allSatisfy(rest.contains)
    }

    /// `text` with anything between `://user:` and `@` hidden.
    private static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return text.replacingCharacters(in: colon..<at, with: ":***")
    }
}
