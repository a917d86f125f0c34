import SwiftProtobuf

// MARK: - Encodings

/// The two encodings of OTLP/HTTP: a response is written in the request's.
///
/// ```swift
/// let body = OTLPExportResponse(signal: .traces).encoded(as: .protobuf)
/// OTLPEncoding.protobuf.contentType   // "application/x-protobuf", the response's Content-Type
/// ```
public enum OTLPEncoding: Sendable, Hashable, CaseIterable {
    /// `application/json`: protobuf's JSON mapping, with OTLP's hex ids.
    case json
    /// `application/x-protobuf`: protobuf's binary encoding.
    case protobuf

    /// The `Content-Type` of a body in this encoding.
    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .protobuf: "application/x-protobuf"
        }
    }
}

// MARK: - Export responses

/// The body of an OTLP/HTTP `200 OK` answer: an `ExportTraceServiceResponse` or
/// an `ExportLogsServiceResponse`.
///
/// As the specification says, `partial_success` is set only when items were
/// rejected or there is a message for the sender, so a full success is an
/// empty message (`{}` in JSON, no bytes in protobuf).
///
/// ```swift
/// let received = ReceivedRuns(otlpTracesProtobuf: body)
/// let response = OTLPExportResponse(
///     signal: .traces, rejected: received.problems.count, message: received.problems.first?.description)
/// let bytes = response.encoded(as: .protobuf)
/// // JSON: {"partialSuccess":{"rejectedSpans":"1","errorMessage":"item 0: …"}}
/// ```
public struct OTLPExportResponse: Sendable, Hashable {
    /// The signal a response answers for, which names its message and its `rejected_<signal>` field.
    public enum Signal: Sendable, Hashable {
        /// `POST /v1/traces`: `rejected_spans`.
        case traces
        /// `POST /v1/logs`: `rejected_log_records`.
        case logs
    }

    /// The endpoint's signal.
    public var signal: Signal
    /// The number of spans or log records rejected (negative counts as 0).
    public var rejected: Int
    /// Why items were rejected, or a warning for the sender; `nil` or empty for none.
    public var message: String?

    /// Creates a response; with the defaults, a full success.
    ///
    /// - Parameters:
    ///   - signal: The endpoint's signal.
    ///   - rejected: How many items of the request were rejected.
    ///   - message: A human-readable message in English, such as the first problem.
    public init(signal: Signal, rejected: Int = 0, message: String? = nil) {
        self.signal = signal
        self.rejected = rejected
        self.message = message
    }

    /// Whether the response carries `partial_success`.
    public var isPartialSuccess: Bool { rejected > 0 || !(message ?? "").isEmpty }

    /// The response's body in `encoding`.
    ///
    /// - Parameter encoding: The request's encoding.
    public func encoded(as encoding: OTLPEncoding) -> [UInt8] {
        let count = Int64(clamping: max(rejected, 0))
        let text = message ?? ""
        switch signal {
        case .traces:
            var response = OTLPProtoExportTraceServiceResponse()
            if isPartialSuccess {
                response.partialSuccess.rejectedSpans = count
                response.partialSuccess.errorMessage = text
            }
            return OTLPMessageEncoding.bytes(of: response, as: encoding)
        case .logs:
            var response = OTLPProtoExportLogsServiceResponse()
            if isPartialSuccess {
                response.partialSuccess.rejectedLogRecords = count
                response.partialSuccess.errorMessage = text
            }
            return OTLPMessageEncoding.bytes(of: response, as: encoding)
        }
    }
}

// MARK: - Failures

/// The body of an OTLP/HTTP `4xx` or `5xx` answer: a `google.rpc.Status` whose
/// message is for the developer (the specification leaves `code` unused, so it is omitted).
///
/// ```swift
/// let body = OTLPErrorStatus(message: "the body is not a valid OTLP protobuf ExportTraceServiceRequest").encoded(as: .protobuf)
/// // respond 400 Bad Request, Content-Type: application/x-protobuf
/// ```
public struct OTLPErrorStatus: Sendable, Hashable {
    /// What went wrong, in English.
    public var message: String

    /// Creates a status.
    ///
    /// - Parameter message: A developer-facing message.
    public init(message: String) {
        self.message = message
    }

    /// The status's body in `encoding`: `{"message":"…"}` in JSON.
    ///
    /// - Parameter encoding: The request's encoding.
    public func encoded(as encoding: OTLPEncoding) -> [UInt8] {
        var status = RPCProtoStatus()
        status.message = message
        return OTLPMessageEncoding.bytes(of: status, as: encoding)
    }
}

/// Writes a generated message in either encoding.
private enum OTLPMessageEncoding {
    /// The message's bytes. SwiftProtobuf's encoders fail only on missing required fields (proto2),
    /// `Any` fields they cannot resolve and non-finite floats in JSON, none of which these
    /// messages have, so the empty fallback is never used.
    static func bytes(of message: some SwiftProtobuf.Message, as encoding: OTLPEncoding) -> [UInt8] {
        switch encoding {
        case .json: (try? message.jsonUTF8Bytes()) ?? Array("{}".utf8)
        case .protobuf: (try? message.serializedBytes()) ?? []
        }
    }
}
