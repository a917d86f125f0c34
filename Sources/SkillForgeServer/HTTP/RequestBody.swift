import CompressNIO
import Foundation
import Hummingbird
import NIOCore

/// The media types the ingest routes read.
enum BodyType: Equatable {
    case json
    case ndjson
    case protobuf

    /// The type a `Content-Type` header names (parameters such as `charset` ignored), or `nil` for any other.
    init?(contentType: String?) {
        guard let contentType else { return nil }
        let essence = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch essence {
        case "application/json": self = .json
        case "application/x-ndjson", "application/jsonl", "application/x-jsonlines": self = .ndjson
        case "application/x-protobuf", "application/protobuf": self = .protobuf
        default: return nil
        }
    }
}

extension Request {
    /// The whole body, decompressed when `Content-Encoding: gzip`, within the collector's limits.
    ///
    /// - Throws: ``ProblemDetails``: 413 past ``ServerConfiguration/maximumBodyBytes`` (as sent) or
    ///   ``ServerConfiguration/maximumDecompressedBytes`` (decompressed), 408 when the body takes longer than
    ///   ``ServerConfiguration/bodyTimeout``, 415 for an encoding other than gzip or identity, 400 for corrupt gzip.
    func collectBody(within configuration: ServerConfiguration) async throws -> [UInt8] {
        let encoding = headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased() ?? "identity"
        guard encoding == "identity" || encoding == "gzip" || encoding == "x-gzip" else {
            throw ProblemDetails(
                status: .unsupportedMediaType, title: "Unsupported Content-Encoding",
                detail: "Content-Encoding \(encoding) is not accepted: send gzip or no encoding")
        }
        var buffer = try await collect(upTo: configuration.maximumBodyBytes, within: configuration.bodyTimeout)
        guard encoding != "identity" else { return Array(buffer: buffer) }
        do {
            let decompressed = try buffer.decompress(with: .gzip, maxSize: configuration.maximumDecompressedBytes)
            return Array(buffer: decompressed)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw ProblemDetails(
                status: .contentTooLarge, title: "Content Too Large",
                detail: "the gzip body decompresses to more than \(configuration.maximumDecompressedBytes >> 20) MiB; send smaller batches")
        } catch {
            throw ProblemDetails(
                status: .badRequest, title: "Corrupt gzip body", detail: "the body is not valid gzip: \(error)")
        }
    }

    /// The raw body, at most `limit` bytes, arriving within `timeout`.
    private func collect(upTo limit: Int, within timeout: Duration) async throws -> ByteBuffer {
        let body = self.body
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    throw ProblemDetails(
                        status: .contentTooLarge, title: "Content Too Large",
                        detail: "the body is larger than the \(Self.size(limit)) this collector accepts; send smaller batches")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                throw ProblemDetails(
                    status: .requestTimeout, title: "Request Timeout",
                    detail: "the body did not arrive within \(timeout.components.seconds) s", headers: [.connection: "close"])
            }
            return buffer
        }
    }

    private static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
