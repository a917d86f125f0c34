import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SkillForge
import SkillForgeServer
import Testing

@Suite("POST /v1/traces (OTLP/HTTP)")
struct OTLPIngestTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    /// One tool span of 150 ms from 2026-11-20T00:00:00Z (1795132800 s), one chat span (not a run),
    /// and, with `broken`, a tool span whose end comes before its start.
    static func request(broken: Bool = false) -> String {
        let tool = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"execute_tool get_weather","startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800150000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"get_weather"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"42"}}],"status":{}}"#
        let chat = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"aaaaaaaaaaaaaaaa","name":"chat","startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800100000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}]}"#
        let bad = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"bbbbbbbbbbbbbbbb","name":"execute_tool x","startTimeUnixNano":"1795132800200000000","endTimeUnixNano":"1795132800100000000","attributes":[{"key":"gen_ai.tool.name","value":{"stringValue":"x"}}]}"#
        let spans = [tool, chat] + (broken ? [bad] : [])
        return #"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[\#(spans.joined(separator: ","))],"unknownField":1}]}]}"#
    }

    @Test("a tool span becomes a run; the answer is an empty ExportTraceServiceResponse; resending adds nothing")
    func toolSpan() async throws {
        let server = TestServer()
        try await server.test { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/traces", method: .post, headers: Self.json, body: ByteBuffer(string: Self.request())) {
                    #expect($0.status == .ok)
                    #expect($0.headers[.contentType] == "application/json")
                    #expect($0.body.text == "{}")
                }
            }
        }
        let rows = try await server.store.metricsPage(MetricsPage(filter: MetricsFilter(), size: 10))
        #expect(rows.count == 1)
        let run = try #require(rows.first)
        #expect(run.skillId == "get_weather")
        #expect(run.executionMs == 150)
        #expect(run.timestamp == 1_795_132_800_000)
        #expect(run.tokensIn == 42)
        #expect(run.runId == "5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174")
    }

    @Test("a span that cannot become a run is rejected in partialSuccess; the others are stored")
    func partialSuccess() async throws {
        let server = TestServer()
        try await server.test { client in
            try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.json, body: ByteBuffer(string: Self.request(broken: true))
            ) { response in
                #expect(response.status == .ok)
                let partial = try #require(response.body.jsonObject["partialSuccess"] as? [String: Any])
                // OTLP JSON writes int64 as a decimal string.
                #expect(partial["rejectedSpans"] as? String == "1")
                #expect((partial["errorMessage"] as? String)?.contains("item 2") == true)
            }
        }
        #expect(try await server.store.countAndLastId(matching: MetricsFilter()).count == 1)
    }

    @Test("empty requests succeed; undecodable ones get 400 with a Status; other types 415", arguments: [
        ("{}", 200), ("", 200), (#"{"resourceSpans":[]}"#, 200), ("{", 400), ("[]", 400), (#"{"resourceSpans":7}"#, 400),
    ])
    func requestShapes(body: String, status: Int) async throws {
        let server = TestServer()
        try await server.test { client in
            try await client.execute(uri: "/v1/traces", method: .post, headers: Self.json, body: ByteBuffer(string: body)) { response in
                #expect(response.status.code == status)
                #expect(response.headers[.contentType] == "application/json")
                if status == 400 { #expect((response.body.jsonObject["message"] as? String)?.isEmpty == false) }
            }
            try await client.execute(uri: "/v1/traces", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: body)) {
                #expect($0.status == .unsupportedMediaType)
            }
        }
        #expect(try await server.store.lastId() == nil)
    }

    @Test("a protobuf body that does not decode gets 400 with a protobuf Status; an empty one succeeds")
    func protobufFailures() async throws {
        try await TestServer().test { client in
            let headers: HTTPFields = [.contentType: "application/x-protobuf"]
            try await client.execute(uri: "/v1/traces", method: .post, headers: headers, body: ByteBuffer(bytes: [0x0A, 0x05, 0x01])) {
                #expect($0.status == .badRequest)
                #expect($0.headers[.contentType] == "application/x-protobuf")
                // google.rpc.Status: field 2 (message), length-delimited: tag 0x12.
                #expect($0.body.readableBytesView.first == 0x12)
            }
            try await client.execute(uri: "/v1/traces", method: .post, headers: headers, body: ByteBuffer()) {
                #expect($0.status == .ok)
                #expect($0.body.readableBytes == 0)
            }
        }
    }
}
