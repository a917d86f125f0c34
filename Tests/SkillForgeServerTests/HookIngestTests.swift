import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SkillForge
import Testing

import SkillForgeServer

@Suite("POST /v1/hooks/claude-code")
struct HookIngestTests {
    private static let json: HTTPFields = [.contentType: "application/json"]

    @Test("an MCP call is committed before the empty 200; a resent event adds nothing; a body that is no event is 400")
    func mcpCall() async throws {
        let server = TestServer()
        let event = """
            {"session_id":"s1","hook_event_name":"PostToolUse","tool_name":"mcp__github__create_issue",
             "tool_input":{"title":"bug"},"tool_use_id":"toolu_01","tool_response":"created #12","duration_ms":412}
            """
        try await server.test { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/hooks/claude-code", method: .post, headers: Self.json, body: ByteBuffer(string: event)) {
                    #expect($0.status == .ok)
                    #expect($0.body.readableBytes == 0)
                }
            }
            try await client.execute(uri: "/v1/hooks/claude-code", method: .post, headers: Self.json, body: ByteBuffer(string: "[]")) {
                #expect($0.status == .badRequest)
                #expect($0.body.text.contains("the hook's input is not a JSON object (2 bytes)"))
            }
            try await client.execute(
                uri: "/v1/hooks/claude-code", method: .post, headers: Self.json,
                body: ByteBuffer(string: #"{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_use_id":"x","duration_ms":3}"#)
            ) { #expect($0.status == .ok) }
        }
        let all = MetricsFilter()
        #expect(try await server.store.countAndLastId(matching: all).count == 1)
        let run = try #require(try await server.store.metricsPage(MetricsPage(filter: all, size: 10)).first)
        // "created #12" is 11 bytes (3 tokens in); {"title":"bug"} 15 (4 tokens out).
        #expect(run.skillId == "mcp:github/create_issue" && run.executionMs == 412 && run.runId == "toolu_01")
        #expect(run.tokensIn == 3 && run.tokensOut == 4 && run.success)
    }

    @Test("Stop imports the transcript after the answer, in the background; finishing the server waits for it")
    func stopImportsTheTranscript() async throws {
        let transcript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/realdata/claude-code/spotter/8463c716-a2ea-4c14-9efa-87158ebd9f20.jsonl").path
        try #require(FileManager.default.fileExists(atPath: transcript), "the real transcripts are in ../shared/realdata")
        let server = TestServer()
        try await server.test { client in
            try await client.execute(
                uri: "/v1/hooks/claude-code", method: .post, headers: Self.json,
                body: ByteBuffer(string: #"{"hook_event_name":"Stop","transcript_path":"\#(transcript)"}"#)
            ) { #expect($0.status == .ok) }
        }
        await server.collector.finishBackgroundWork()
        let runs = try await server.store.metricsPage(MetricsPage(filter: MetricsFilter(), size: 10))
        #expect(runs.map(\.skillId) == ["handgemacht:commit"])
        #expect(runs.map(\.runId) == ["toolu_01WD7R52g4Tq4muwnGEgs9nD"])
    }
}
