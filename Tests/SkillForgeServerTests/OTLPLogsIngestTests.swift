import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SkillForge
import SkillForgeServer
import Testing

/// The fixture written to Claude Code's event format (Tests/SkillForgeTests/Fixtures/claude-code-otel/README.md).
private let requestFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("SkillForgeTests/Fixtures/claude-code-otel/claude-code-request.json")

@Suite("POST /v1/logs (Claude Code's telemetry over OTLP/HTTP)")
struct OTLPLogsIngestTests {
    @Test("the events become runs; the malformed one is rejected in partialSuccess; a resend adds nothing")
    func claudeCodeRequest() async throws {
        let server = TestServer()
        let body = try Data(contentsOf: requestFixture)
        try await server.test { client in
            for attempt in 0..<2 {
                try await client.execute(
                    uri: "/v1/logs", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body)
                ) { response in
                    #expect(response.status == .ok)
                    let partial = try #require(response.body.jsonObject["partialSuccess"] as? [String: Any], "attempt \(attempt)")
                    // The api_request whose duration_ms is "fast" (README.md).
                    #expect(partial["rejectedLogRecords"] as? String == "1")
                    #expect((partial["errorMessage"] as? String)?.contains("duration_ms") == true)
                }
            }
        }
        let runs = try await server.store.metricsPage(MetricsPage(filter: MetricsFilter(skillId: "mcp:linear/list_issues"), size: 10))
        // The MCP call named in tool_parameters fails with McpError after 1,250 ms (README.md).
        #expect(runs.count == 1)
        #expect(runs.first?.executionMs == 1_250)
        #expect(runs.first?.success == false)
        #expect(runs.first?.error?.contains("McpError") == true)
        let all = try await server.store.countAndLastId(matching: MetricsFilter()).count
        try await server.test { client in
            try await client.execute(uri: "/v1/logs", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body)) {
                #expect($0.status == .ok)
            }
        }
        #expect(try await server.store.countAndLastId(matching: MetricsFilter()).count == all)
    }

    @Test("undecodable bodies get 400 with a Status; empty requests succeed", arguments: [
        ("{", 400), ("[]", 400), ("{}", 200), (#"{"resourceLogs":[]}"#, 200),
    ])
    func shapes(body: String, status: Int) async throws {
        try await TestServer().test { client in
            try await client.execute(uri: "/v1/logs", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) {
                #expect($0.status.code == status)
            }
            try await client.execute(
                uri: "/v1/logs", method: .post, headers: [.contentType: "application/x-protobuf"], body: ByteBuffer(bytes: [0x0A, 0x05, 0x01])
            ) {
                #expect($0.status == .badRequest)
                #expect($0.headers[.contentType] == "application/x-protobuf")
            }
        }
    }
}
