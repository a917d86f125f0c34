import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SkillForge
import SkillForgeServer
import Testing

@Suite("Unknown tokens through the collector")
struct UnknownTokensIngestTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    /// Two runs of "probe" without tokens (tokensKnown false) and one with 90 + 10: by hand, tokens known
    /// for 1 of 3 runs, 100 tokens a run over it; "dark" has none known.
    static let runs = """
        [{"skillId":"probe","executionMs":40,"success":true,"timestamp":1795132800000,"tokensKnown":false},
         {"skillId":"probe","executionMs":60,"success":true,"timestamp":1795132800001,"tokensKnown":false},
         {"skillId":"probe","executionMs":100,"tokensIn":90,"tokensOut":10,"success":true,"timestamp":1795132800002},
         {"skillId":"dark","executionMs":5,"success":true,"timestamp":1795132800000,"tokensKnown":false}]
        """

    @Test("POST /v1/metrics stores unknown tokens; the read API counts the known runs and answers null without any")
    func ingestAndRead() async throws {
        let server = TestServer()
        try await server.test { client in
            try await client.execute(uri: "/v1/metrics", method: .post, headers: Self.json, body: ByteBuffer(string: Self.runs)) {
                #expect($0.status == .created)
                #expect($0.body.jsonObject["stored"] as? Int == 4)
            }
            try await client.execute(uri: "/v1/skills/probe/summary", method: .get) { response in
                let summary = response.body.jsonObject
                #expect(summary["runs"] as? Int == 3)
                #expect(summary["tokenRuns"] as? Int == 1)
                let total = (summary["tokens"] as? [String: Any])?["total"] as? [String: Any]
                #expect(total?["mean"] as? Double == 100)
            }
            try await client.execute(uri: "/v1/skills/dark/summary", method: .get) { response in
                #expect(response.body.jsonObject["tokens"] is NSNull)
            }
        }
        let rows = try await server.store.metricsPage(MetricsPage(filter: MetricsFilter(skillId: "dark"), size: 10))
        #expect(rows.map(\.tokensKnown) == [false])
    }
}
