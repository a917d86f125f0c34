import Foundation
import Testing

@testable import SkillForge

/// Python that builds spans with OpenTelemetry's own generated classes (an encoder independent of ours).
private let spanBuilders = """
    import base64, json, sys
    from google.protobuf import json_format
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
    from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span, Status
    from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList
    from opentelemetry.proto.resource.v1.resource_pb2 import Resource

    TRACE = bytes.fromhex("5b8efff798038103d269b633813fc60c")
    START = 1795132800000000000  # 2026-11-20T00:00:00Z

    def attr(key, **value):
        return KeyValue(key=key, value=AnyValue(**value))

    def span(name, span_id, parent="", start=START, duration=0, attributes=(), code=0, message="", trace=TRACE):
        return Span(trace_id=trace, span_id=span_id if isinstance(span_id, bytes) else bytes.fromhex(span_id),
                    parent_span_id=bytes.fromhex(parent), name=name, kind=Span.SPAN_KIND_INTERNAL,
                    start_time_unix_nano=start, end_time_unix_nano=start + duration, attributes=list(attributes),
                    status=Status(code=code, message=message))

    def otlp_json(request):
        # OTLP JSON is protobuf's JSON mapping with hex ids instead of base64 and enums as integers.
        document = json.loads(json_format.MessageToJson(request, use_integers_for_enums=True))
        def hexed(value): return base64.b64decode(value).hex()
        for resource in document.get("resourceSpans", []):
            for scope in resource.get("scopeSpans", []):
                for item in scope.get("spans", []):
                    for key in ("traceId", "spanId", "parentSpanId"):
                        if key in item: item[key] = hexed(item[key])
                    for link in item.get("links", []):
                        for key in ("traceId", "spanId"):
                            if key in link: link[key] = hexed(link[key])
        return json.dumps(document, indent=2)
    """

/// An agent with two chat spans and a tool span below it, and a tool span of its own, over two
/// resources and three scopes; the failing tool span also has events and links (left out of our `.proto`).
private let agentRequest = spanBuilders + """

    agent = span("invoke_agent planner", "a1a1a1a1a1a1a1a1", duration=2_345_600_000, attributes=[
        attr("gen_ai.operation.name", string_value="invoke_agent"), attr("gen_ai.agent.name", string_value="planner"),
        attr("gen_ai.conversation.id", string_value="conv-7")])
    chat1 = span("chat claude-sonnet-4-5", "b2b2b2b2b2b2b2b2", parent="a1a1a1a1a1a1a1a1", start=START + 1_000_000,
                 duration=800_000_000, attributes=[
        attr("gen_ai.operation.name", string_value="chat"), attr("gen_ai.request.model", string_value="claude-sonnet-4-5"),
        attr("gen_ai.usage.input_tokens", int_value=1200), attr("gen_ai.usage.output_tokens", int_value=300),
        attr("gen_ai.usage.cache_read.input_tokens", int_value=5000)])
    chat2 = span("chat", "c3c3c3c3c3c3c3c3", parent="a1a1a1a1a1a1a1a1", start=START + 1_000_000_000,
                 duration=900_000_000, attributes=[
        attr("gen_ai.operation.name", string_value="chat"), attr("gen_ai.request.model", string_value="claude-sonnet-4-5"),
        attr("gen_ai.usage.input_tokens", int_value=800), attr("gen_ai.usage.output_tokens", double_value=100.0),
        attr("gen_ai.usage.cache_read.input_tokens", int_value=1000)])
    tool = span("execute_tool get_weather", "d4d4d4d4d4d4d4d4", parent="a1a1a1a1a1a1a1a1", start=START + 100_999_999,
                duration=150_499_999, code=2, message="HTTP 503", attributes=[
        attr("gen_ai.operation.name", string_value="execute_tool"), attr("gen_ai.tool.name", string_value="get_weather"),
        attr("gen_ai.usage.input_tokens", int_value=50), attr("gen_ai.usage.output_tokens", int_value=7),
        attr("tool.arguments", kvlist_value=KeyValueList(values=[attr("city", string_value="Oslo")])),
        attr("tags", array_value=ArrayValue(values=[AnyValue(string_value="x"), AnyValue(int_value=1)]))])
    tool.events.add(time_unix_nano=START + 200_000_000, name="retry", attributes=[attr("attempt", int_value=2)])
    tool.links.add(trace_id=bytes(range(16)), span_id=bytes(range(8)))
    lint = span("execute_tool lint", "e5e5e5e5e5e5e5e5", start=START + 5_000_000_000, duration=90_000_000, code=1,
                attributes=[
        attr("gen_ai.tool.name", string_value="lint"), attr("skill_forge.version", string_value="2.0"),
        attr("skill_forge.tokens_estimated", bool_value=True), attr("session.id", string_value="sess-1"),
        attr("gen_ai.usage.input_tokens", string_value="12"), attr("gen_ai.usage.output_tokens", int_value=3)])

    request = ExportTraceServiceRequest(resource_spans=[
        ResourceSpans(resource=Resource(attributes=[attr("service.name", string_value="agent")]),
                      scope_spans=[ScopeSpans(scope=InstrumentationScope(name="agents", version="0.1"), spans=[agent, chat1])]),
        ResourceSpans(scope_spans=[ScopeSpans(spans=[chat2, tool]), ScopeSpans(spans=[lint])]),
    ])
    print(json.dumps({"protobuf": request.SerializeToString().hex(), "json": otlp_json(request)}))
    """

/// The two encodings of one request, as Python wrote them.
private struct Encodings: Decodable {
    var protobuf: String
    var json: String
}

private let traceId = "5b8efff798038103d269b633813fc60c"

@Suite("OTLP protobuf traces", .enabled(if: otlpProtoIsAvailable, "needs Python's opentelemetry-proto (pip install opentelemetry-proto)"))
struct OTLPProtobufTests {
    @Test("protobuf spans make the same runs as the same request in OTLP JSON, with the values worked out by hand")
    func sameRunsAsJSON() throws {
        let encodings = try JSONDecoder().decode(Encodings.self, from: Data(try python(agentRequest).utf8))
        let received = ReceivedRuns(otlpTracesProtobuf: try bytes(hex: encodings.protobuf))
        let fromJSON = ReceivedRuns(otlpTracesJSON: Array(encodings.json.utf8))

        #expect(received.problems == [])
        #expect(fromJSON.problems == [])
        #expect(received.metrics == fromJSON.metrics)
        // The two chat spans are no executions.
        #expect(received.ignoredCount == 2 && fromJSON.ignoredCount == 2)
        try #require(received.metrics.count == 3)

        // The agent: its children's usage summed (1200 + 800 + 50 in, 300 + 100 + 7 out, 5000 + 1000 read),
        // the one model they name, 2,345.6 ms rounded half up.
        var agent = SkillMetrics(
            skillId: "planner", executionMs: 2_346, tokensIn: 2_050, tokensOut: 407, success: true, timestamp: day20)
        agent.model = "claude-sonnet-4-5"
        agent.cacheReadTokens = 6_000
        agent.sessionId = "conv-7"
        agent.tokensEstimated = false
        agent.runId = "\(traceId)-a1a1a1a1a1a1a1a1"
        agent.source = "otlp"
        #expect(received.metrics[0] == agent)

        // The failing tool: its own usage, 150.499999 ms rounded to 150, the start 100.999999 ms
        // after day20 rounded down, the status message as the error.
        var tool = SkillMetrics(
            skillId: "get_weather", executionMs: 150, tokensIn: 50, tokensOut: 7, success: false, timestamp: day20 + 100)
        tool.error = "HTTP 503"
        tool.tokensEstimated = false
        tool.runId = "\(traceId)-d4d4d4d4d4d4d4d4"
        tool.source = "otlp"
        #expect(received.metrics[1] == tool)

        // A root tool span: skill_forge.* overrides, a token count given as a string of digits.
        var lint = SkillMetrics(
            skillId: "lint", executionMs: 90, tokensIn: 12, tokensOut: 3, success: true, timestamp: day20 + 5_000)
        lint.version = "2.0"
        lint.tokensEstimated = true
        lint.sessionId = "sess-1"
        lint.runId = "\(traceId)-e5e5e5e5e5e5e5e5"
        lint.source = "otlp"
        #expect(received.metrics[2] == lint)
    }

    @Test("a failed span without a status message takes its error from its exception event, in both encodings")
    func exceptionEvent() throws {
        let script = spanBuilders + """

            failed = span("execute_tool fetch", "f6f6f6f6f6f6f6f6", duration=10_000_000, code=2,
                          attributes=[attr("gen_ai.tool.name", string_value="fetch")])
            failed.events.add(time_unix_nano=START + 1_000_000, name="retry", attributes=[attr("attempt", int_value=2)])
            failed.events.add(time_unix_nano=START + 9_000_000, name="exception", attributes=[
                attr("exception.type", string_value="ValueError"), attr("exception.message", string_value="no such page"),
                attr("exception.stacktrace", string_value="Traceback (most recent call last): ...")])
            typed = span("execute_tool lint", "a7a7a7a7a7a7a7a7", duration=10_000_000, code=2,
                         attributes=[attr("gen_ai.tool.name", string_value="lint")])
            typed.events.add(time_unix_nano=START, name="exception", attributes=[
                attr("exception.type", string_value="TimeoutError")])
            stated = span("execute_tool read", "b8b8b8b8b8b8b8b8", duration=10_000_000, code=2, message="HTTP 404",
                          attributes=[attr("gen_ai.tool.name", string_value="read")])
            stated.events.add(time_unix_nano=START, name="exception", attributes=[
                attr("exception.message", string_value="ignored: the status says why")])
            request = ExportTraceServiceRequest(resource_spans=[
                ResourceSpans(scope_spans=[ScopeSpans(spans=[failed, typed, stated])])])
            print(json.dumps({"protobuf": request.SerializeToString().hex(), "json": otlp_json(request)}))
            """
        let encodings = try JSONDecoder().decode(Encodings.self, from: Data(try python(script).utf8))
        let received = ReceivedRuns(otlpTracesProtobuf: try bytes(hex: encodings.protobuf))
        let fromJSON = ReceivedRuns(otlpTracesJSON: Array(encodings.json.utf8))
        #expect(received.problems == [] && fromJSON.problems == [])
        // type: message from the exception event (the retry event before it is no exception); the type alone;
        // the status message before any event.
        #expect(received.metrics.map(\.error) == ["ValueError: no such page", "TimeoutError", "HTTP 404"])
        #expect(fromJSON.metrics == received.metrics)
        #expect(received.metrics.allSatisfy { !$0.success })
    }

    @Test("a span id or trace id of the wrong length is a problem of that span only, at its index")
    func wrongLengthIds() throws {
        let script = spanBuilders + """

            tool = [attr("gen_ai.tool.name", string_value="fmt")]
            request = ExportTraceServiceRequest(resource_spans=[ResourceSpans(scope_spans=[ScopeSpans(spans=[
                span("execute_tool bad", bytes([1, 2, 3, 4, 5]), attributes=tool),
                span("execute_tool good", "0f0f0f0f0f0f0f0f", duration=5_000_000, attributes=tool),
                span("chat", bytes([9, 9, 9])),
                span("execute_tool short trace", "1111111111111111", attributes=tool, trace=bytes(range(1, 16))),
            ])])])
            print(request.SerializeToString().hex())
            """
        let received = ReceivedRuns(otlpTracesProtobuf: try bytes(hex: try python(script)))
        #expect(received.problems == [
            ReceivedRuns.Problem(index: 0, detail: #"span "execute_tool bad": spanId 0102030405 is 5 bytes, not 8"#),
            ReceivedRuns.Problem(
                index: 3,
                detail: #"span "execute_tool short trace": traceId 0102030405060708090a0b0c0d0e0f is 15 bytes, not 16"#),
        ])
        #expect(received.metrics.map(\.runId) == ["\(traceId)-0f0f0f0f0f0f0f0f"])
        #expect(received.metrics.map(\.executionMs) == [5])
        // A span that is no execution is not checked, as in JSON.
        #expect(received.ignoredCount == 1)
    }

    @Test("bytes that are no ExportTraceServiceRequest are unreadable and make nothing")
    func malformedBytes() throws {
        // Field 1, length-delimited, says 5 bytes follow but one does.
        let truncated = ReceivedRuns(otlpTracesProtobuf: [0x0A, 0x05, 0x01])
        #expect(truncated.unreadable == "the body is not a valid OTLP protobuf ExportTraceServiceRequest: it ends inside a field (truncated?)")
        #expect(truncated.metrics.isEmpty && truncated.problems.isEmpty)
        // Wire type 7 does not exist; a JSON body sent as protobuf.
        for body in [[0x0F, 0x00], Array(#"{"resourceSpans":[]}"#.utf8)] {
            let received = ReceivedRuns(otlpTracesProtobuf: body)
            #expect(received.metrics.isEmpty && received.ignoredCount == 0 && received.problems.isEmpty)
            #expect(received.unreadable?.hasPrefix("the body is not a valid OTLP protobuf ExportTraceServiceRequest: ") == true)
        }
        // An empty body is a request with no spans.
        let empty = ReceivedRuns(otlpTracesProtobuf: [])
        #expect(empty.problems.isEmpty && empty.metrics.isEmpty && empty.ignoredCount == 0 && empty.unreadable == nil)
    }

    @Test("the log-record walk sees every field of LogRecord, event_name included, with its resource and scope")
    func logRecords() throws {
        let script = """
            from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
            from opentelemetry.proto.logs.v1.logs_pb2 import LogRecord, ResourceLogs, ScopeLogs, SEVERITY_NUMBER_WARN
            from opentelemetry.proto.common.v1.common_pb2 import AnyValue, InstrumentationScope, KeyValue
            from opentelemetry.proto.resource.v1.resource_pb2 import Resource
            record = LogRecord(time_unix_nano=1795132800000000001, observed_time_unix_nano=1795132800000000002,
                severity_number=SEVERITY_NUMBER_WARN, severity_text="WARN", body=AnyValue(string_value="tool failed"),
                attributes=[KeyValue(key="tool_name", value=AnyValue(string_value="Bash"))], dropped_attributes_count=3,
                flags=1, trace_id=bytes(range(16)), span_id=bytes(range(8)), event_name="claude_code.tool_result")
            request = ExportLogsServiceRequest(resource_logs=[
                ResourceLogs(resource=Resource(attributes=[KeyValue(key="service.name", value=AnyValue(string_value="claude-code"))]),
                             scope_logs=[ScopeLogs(scope=InstrumentationScope(name="com.anthropic.claude_code", version="2.0"),
                                                   log_records=[record, LogRecord(event_name="second")])]),
                ResourceLogs(scope_logs=[ScopeLogs(log_records=[LogRecord(event_name="third")])]),
            ])
            print(request.SerializeToString().hex())
            """
        var seen: [(service: String?, scope: String, record: OTLPProtoLogRecord)] = []
        try OTLPProtobuf.forEachLogRecord(inLogsRequest: try bytes(hex: try python(script))) { resource, scope, record in
            let service = resource.attributes.first { $0.key == "service.name" }?.value.stringValue
            seen.append((service, scope.name, record))
        }
        #expect(seen.map(\.record.eventName) == ["claude_code.tool_result", "second", "third"])
        #expect(seen.map(\.service) == ["claude-code", "claude-code", nil])
        #expect(seen.map(\.scope) == ["com.anthropic.claude_code", "com.anthropic.claude_code", ""])
        let record = try #require(seen.first?.record)
        #expect(record.timeUnixNano == 1_795_132_800_000_000_001 && record.observedTimeUnixNano == 1_795_132_800_000_000_002)
        // SEVERITY_NUMBER_WARN is 13 in logs.proto.
        #expect(record.severityNumber == .warn && record.severityNumber.rawValue == 13 && record.severityText == "WARN")
        #expect(record.body.stringValue == "tool failed")
        #expect(record.attributes.map(\.key) == ["tool_name"] && record.droppedAttributesCount == 3 && record.flags == 1)
        #expect(Hex.string(record.traceID) == "000102030405060708090a0b0c0d0e0f" && Hex.string(record.spanID) == "0001020304050607")

        #expect(throws: OTLPProtobuf.DecodingError.self) {
            try OTLPProtobuf.forEachLogRecord(inLogsRequest: [0x0A, 0x05, 0x01]) { _, _, _ in }
        }
    }
}
