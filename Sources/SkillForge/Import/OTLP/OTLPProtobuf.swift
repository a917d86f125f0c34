import Foundation
import SwiftProtobuf

/// OTLP/HTTP request bodies in the binary protobuf encoding (`application/x-protobuf`),
/// decoded with the messages generated from `Protos/` (see `scripts/generate-protos.sh`).
enum OTLPProtobuf {
    /// A body that is not the message its endpoint takes.
    struct DecodingError: Error, CustomStringConvertible {
        /// The message the body should be, such as `ExportTraceServiceRequest`.
        var message: String
        var cause: BinaryDecodingError

        var description: String {
            let reason =
                switch cause {
                case .truncated: "it ends inside a field (truncated?)"
                case .invalidUTF8: "a string field is not valid UTF-8"
                case .messageDepthLimit: "its messages are nested too deeply"
                default: "it is not protobuf's binary encoding of that message"
                }
            return "the body is not a valid OTLP protobuf \(message): \(reason)"
        }
    }

    /// Decodes `bytes` as a message of type `M`, dropping fields the project's `.proto` files leave out.
    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, from bytes: [UInt8]) throws(DecodingError) -> M {
        var options = BinaryDecodingOptions()
        options.discardUnknownFields = true
        do {
            return try M(serializedBytes: bytes, options: options)
        } catch let error as BinaryDecodingError {
            throw DecodingError(message: messageName(of: type), cause: error)
        } catch {
            throw DecodingError(message: messageName(of: type), cause: .malformedProtobuf)
        }
    }

    /// Every span of an `ExportTraceServiceRequest`, in document order, as the JSON reader reads spans.
    static func spans(inTracesRequest bytes: [UInt8]) throws(DecodingError) -> [OTLPSpan] {
        let request = try decode(OTLPProtoExportTraceServiceRequest.self, from: bytes)
        var spans: [OTLPSpan] = []
        for resource in request.resourceSpans {
            for scope in resource.scopeSpans {
                for span in scope.spans { spans.append(OTLPSpan(span, offset: spans.count)) }
            }
        }
        return spans
    }

    /// Calls `body` with every log record of an `ExportLogsServiceRequest`, in document order,
    /// with the resource and the instrumentation scope it came with.
    static func forEachLogRecord(
        inLogsRequest bytes: [UInt8],
        _ body: (_ resource: OTLPProtoResource, _ scope: OTLPProtoInstrumentationScope, _ record: OTLPProtoLogRecord) -> Void
    ) throws(DecodingError) {
        let request = try decode(OTLPProtoExportLogsServiceRequest.self, from: bytes)
        for resourceLogs in request.resourceLogs {
            for scopeLogs in resourceLogs.scopeLogs {
                for record in scopeLogs.logRecords { body(resourceLogs.resource, scopeLogs.scope, record) }
            }
        }
    }

    /// `ExportTraceServiceRequest` for `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`.
    private static func messageName<M: SwiftProtobuf.Message>(of type: M.Type) -> String {
        let fullName = M.protoMessageName
        return fullName.split(separator: ".").last.map(String.init) ?? fullName
    }
}
