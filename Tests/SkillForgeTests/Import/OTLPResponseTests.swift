import Foundation
import Testing

@testable import SkillForge

/// Python that reads each case (a message name, its protobuf bytes in hex, its JSON) with OpenTelemetry's
/// generated classes, the JSON strictly (unknown fields rejected), and prints what it found.
private let responseReader = """
    import json, sys
    from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
    from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceResponse

    # google.rpc.Status as googleapis' google/rpc/status.proto defines it: code = 1, message = 2 (details = 3 unused).
    file = descriptor_pb2.FileDescriptorProto(name="google/rpc/status.proto", package="google.rpc", syntax="proto3")
    status = file.message_type.add(name="Status")
    status.field.add(name="code", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT32,
                     label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL, json_name="code")
    status.field.add(name="message", number=2, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
                     label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL, json_name="message")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    Status = message_factory.GetMessageClass(pool.FindMessageTypeByName("google.rpc.Status"))

    found = []
    for line in sys.stdin:
        case = json.loads(line)
        kind = {"traces": ExportTraceServiceResponse, "logs": ExportLogsServiceResponse, "status": Status}[case["message"]]
        binary = kind.FromString(bytes.fromhex(case["protobuf"]))
        parsed = json_format.Parse(case["json"], kind())
        assert binary == parsed, (binary, parsed)
        if kind is Status:
            found.append({"present": None, "rejected": binary.code, "message": binary.message})
        else:
            partial = binary.partial_success
            rejected = partial.rejected_spans if kind is ExportTraceServiceResponse else partial.rejected_log_records
            found.append({"present": binary.HasField("partial_success"), "rejected": rejected, "message": partial.error_message})
        found[-1]["json"] = json.dumps(json.loads(case["json"]), sort_keys=True, ensure_ascii=False)
    print(json.dumps(found))
    """

/// One body for the reader.
private struct Case: Encodable {
    var message: String
    var protobuf: String
    var json: String
}

/// What the reader found in a body.
private struct Found: Decodable, Equatable {
    /// Whether `partial_success` is set (`nil` for a status).
    var present: Bool?
    /// `rejected_spans`, `rejected_log_records`, or a status's `code`.
    var rejected: Int64
    var message: String
    /// The JSON body as Python's `json.dumps(..., sort_keys=True)` writes it.
    var json: String
}

/// `response` in both encodings, as a case for the reader.
private func bodies(_ name: String, _ encode: (OTLPEncoding) -> [UInt8]) -> Case {
    Case(
        message: name, protobuf: Hex.string(encode(.protobuf)), json: String(decoding: encode(.json), as: UTF8.self))
}

@Suite("OTLP/HTTP responses")
struct OTLPResponseTests {
    @Test(
        "export responses and error statuses read back with OpenTelemetry's classes; a full success is an empty message",
        .enabled(if: otlpProtoIsAvailable, "needs Python's opentelemetry-proto (pip install opentelemetry-proto)"))
    func responsesReadBack() throws {
        let message = #"span "fetch": missing traceId — ünïcode ✓"#
        let responses: [(String, OTLPExportResponse)] = [
            ("traces", OTLPExportResponse(signal: .traces, rejected: 2, message: message)),
            ("traces", OTLPExportResponse(signal: .traces)),
            ("traces", OTLPExportResponse(signal: .traces, rejected: 0, message: "attribute gen_ai.system is deprecated")),
            ("logs", OTLPExportResponse(signal: .logs, rejected: 1, message: "a tool_result event without tool_name")),
            ("logs", OTLPExportResponse(signal: .logs, rejected: 0, message: "")),
        ]
        var cases = responses.map { name, response in bodies(name, response.encoded(as:)) }
        cases.append(bodies("status", OTLPErrorStatus(message: "the body is not valid JSON").encoded(as:)))
        let lines = try cases.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n")
        let found = try JSONDecoder().decode([Found].self, from: Data(try python(responseReader, stdin: lines).utf8))

        // proto3's JSON mapping writes int64 as a decimal string and leaves out fields at their defaults.
        #expect(found == [
            Found(
                present: true, rejected: 2, message: message,
                json: #"{"partialSuccess": {"errorMessage": "span \"fetch\": missing traceId — ünïcode ✓", "rejectedSpans": "2"}}"#),
            Found(present: false, rejected: 0, message: "", json: "{}"),
            Found(
                present: true, rejected: 0, message: "attribute gen_ai.system is deprecated",
                json: #"{"partialSuccess": {"errorMessage": "attribute gen_ai.system is deprecated"}}"#),
            Found(
                present: true, rejected: 1, message: "a tool_result event without tool_name",
                json: #"{"partialSuccess": {"errorMessage": "a tool_result event without tool_name", "rejectedLogRecords": "1"}}"#),
            Found(present: false, rejected: 0, message: "", json: "{}"),
            Found(present: nil, rejected: 0, message: "the body is not valid JSON", json: #"{"message": "the body is not valid JSON"}"#),
        ])
    }

    @Test("a full success is no bytes in protobuf and {} in JSON; a negative count is no rejection")
    func emptySuccess() {
        for signal in [OTLPExportResponse.Signal.traces, .logs] {
            let success = OTLPExportResponse(signal: signal)
            #expect(!success.isPartialSuccess)
            #expect(success.encoded(as: .protobuf) == [])
            #expect(success.encoded(as: .json) == Array("{}".utf8))
            #expect(OTLPExportResponse(signal: signal, rejected: -3).encoded(as: .protobuf) == [])
        }
        // Field 1 (partial_success), length 2, holding field 1 (rejected_spans) = 5, worked out by hand.
        #expect(OTLPExportResponse(signal: .traces, rejected: 5).encoded(as: .protobuf) == [0x0A, 0x02, 0x08, 0x05])
    }

    @Test("each encoding names its Content-Type")
    func contentTypes() {
        #expect(OTLPEncoding.allCases.map(\.contentType) == ["application/json", "application/x-protobuf"])
    }
}
