import Foundation
import NIOCore
import NIOPosix
import PostgresNIO
import SkillForge

/// How PostgresNIO's errors become ``ProfilerError``s: the server's own message
/// (with its SQLSTATE), or what happened to the connection. Never a query's
/// values or the password: PostgresNIO keeps those out of its errors too.
enum PostgresFailure {
    /// The connection closed while a query waited for the server (``PostgresConnection/guardedQuery(_:logger:)``).
    struct ConnectionLost: Error {}

    /// SQLSTATE `23505`: a `UNIQUE` constraint refused a row.
    static let uniqueViolation = "23505"
    /// SQLSTATE `40P01`: the server rolled the transaction back to break a deadlock.
    static let deadlock = "40P01"
    /// SQLSTATE `40001`: a serialization failure.
    static let serialization = "40001"

    /// The SQLSTATE of a server error, or `nil` for any other error.
    static func sqlState(of error: any Error) -> String? {
        (underlying(error) as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// What failed inside a transaction: the body's error, else the `COMMIT`'s or the `BEGIN`'s.
    static func underlying(_ error: any Error) -> any Error {
        guard let transaction = error as? PostgresTransactionError else { return error }
        return transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error
    }

    static func map(_ error: any Error, location: String) -> ProfilerError {
        let error = underlying(error)
        if let error = error as? ProfilerError { return error }
        if error is ConnectionLost {
            return .database(path: location, message: "the connection to the server was lost", cause: error)
        }
        guard let error = error as? PSQLError else {
            if error is CancellationError {
                return .database(path: location, message: "the operation was cancelled", cause: error)
            }
            return .database(path: location, message: "\(error)", cause: error)
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?"
            let message = error.serverInfo?[.message] ?? "the server reported an error"
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            switch state {
            case "28000", "28P01":
                return .cannotOpen(path: location, reason: "the server refused the login: \(message)", cause: error)
            case "3D000":
                return .cannotOpen(path: location, reason: message, cause: error)
            case "25006":
                return .readOnly(path: location, cause: error)
            case "53100":
                return .diskFull(path: location, cause: error)
            case "40001", "40P01", "55P03":
                return .busy(path: location, cause: error)
            default:
                return .database(path: location, message: "\(message)\(detail) [SQLSTATE \(state)]", cause: error)
            }
        case .connectionError:
            return .cannotOpen(path: location, reason: unreachable(error.underlying), cause: error)
        case .authMechanismRequiresPassword:
            return .cannotOpen(path: location, reason: "the server asks for a password, and the URL has none", cause: error)
        case .sslUnsupported:
            return .cannotOpen(path: location, reason: "the server does not offer TLS (sslmode=require)", cause: error)
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return .database(path: location, message: "the connection to the server was lost", cause: error)
        case .poolClosed:
            return .database(path: location, message: "the store is closed", cause: error)
        case .queryCancelled:
            return .database(path: location, message: "the query was cancelled", cause: error)
        default:
            return .database(path: location, message: "\(error.code)", cause: error)
        }
    }

    // MARK: - Unreachable servers

    /// Why a connection could not be made, as libpq would say it: "cannot reach db:5432: connection refused".
    static func unreachable(_ error: (any Error)?) -> String {
        switch error {
        case let error as NIOConnectionError:
            let target = "\(error.host):\(error.port)"
            if let failure = error.connectionErrors.first {
                return "cannot reach \(target): \(reason(failure.error))"
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return "cannot reach \(target): the host name does not resolve"
            }
            return "cannot reach \(target)"
        case let error?:
            return "cannot reach the server: \(reason(error))"
        case nil:
            return "cannot reach the server"
        }
    }

    /// A socket error in words ("connection refused"), else the error as it describes itself.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            let text = String(cString: strerror(error.errnoCode))
            return text.prefix(1).lowercased() + text.dropFirst()
        case ChannelError.connectTimeout(let limit):
            return "no answer within \(limit.nanoseconds / 1_000_000_000) s"
        default:
            return "\(error)"
        }
    }
}
