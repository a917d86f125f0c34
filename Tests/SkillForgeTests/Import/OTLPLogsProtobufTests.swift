import Foundation
import Testing

@testable import SkillForge

/// The Claude Code telemetry fixtures (Fixtures/claude-code-otel/README.md), OTLP JSON.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/claude-code-otel")

@Suite("OTLP protobuf logs", .enabled(if: otlpProtoIsAvailable, "needs Python's opentelemetry-proto (pip install opentelemetry-proto)"))
struct OTLPLogsProtobufTests {
    /// The protobuf of an OTLP JSON logs document, encoded by Python's opentelemetry-proto.
    private func protobuf(ofJSON json: String) throws -> [UInt8] {
        let script = """
            import sys
            from google.protobuf import json_format
            from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
            message = json_format.Parse(sys.stdin.read(), ExportLogsServiceRequest(), ignore_unknown_fields=True)
            print(message.SerializeToString().hex())
            """
        return try bytes(hex: try python(script, stdin: json))
    }

    @Test("every fixture request decodes from protobuf to the same contributions, problems and counts as from JSON")
    func sameAsJSON() throws {
        let lines = try String(contentsOf: fixtures.appendingPathComponent("claude-code-telemetry.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let request = try String(contentsOf: fixtures.appendingPathComponent("claude-code-request.json"), encoding: .utf8)
        var contributions = 0
        for json in lines + [request] where json.contains("resourceLogs") {
            let fromJSON = ReceivedTelemetry(otlpLogsJSON: Array(json.utf8))
            let fromProtobuf = ReceivedTelemetry(otlpLogsProtobuf: try protobuf(ofJSON: json))
            #expect(fromProtobuf.unreadable == nil)
            #expect(fromProtobuf.contributions == fromJSON.contributions)
            #expect(fromProtobuf.problems.map(\.index) == fromJSON.problems.map(\.index))
            #expect(fromProtobuf.problems.map(\.field) == fromJSON.problems.map(\.field))
            #expect(fromProtobuf.ignoredCount == fromJSON.ignoredCount)
            #expect(fromProtobuf.redactedCount == fromJSON.redactedCount)
            contributions += fromJSON.contributions.count
        }
        #expect(contributions > 5)
    }
}
