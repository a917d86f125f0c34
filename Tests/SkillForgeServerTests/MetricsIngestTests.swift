import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SkillForge
import SkillForgeServer
import Testing

@Suite("POST /v1/metrics")
struct MetricsIngestTests {
    static let json: HTTPFields = [.contentType: "application/json"]
    static let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]

    static let summarise = #"{"skillId":"summarise","executionMs":840,"tokensIn":1200,"tokensOut":310,"success":true,"timestamp":1795132800000,"version":"2.0"}"#
    static let lint = #"{"skill_id":"lint","execution_ms":95,"tokens_in":0,"tokens_out":0,"success":0,"timestamp":"2026-11-20T10:00:00Z","error":"exit 1","run_id":"lint-1"}"#

    @Test("one object is stored with every field, and sending it again stores nothing more")
    func oneObject() async throws {
        let server = TestServer()
        try await server.test { client in
            try await client.execute(uri: "/v1/metrics", method: .post, headers: Self.json, body: ByteBuffer(string: Self.summarise)) {
                #expect($0.status == .created)
                let answer = $0.body.jsonObject
                #expect(answer["stored"] as? Int == 1)
                #expect(answer["alreadyStored"] as? Int == 0)
                #expect((answer["runIds"] as? [String])?.first?.hasPrefix("row:") == true)
            }
            try await client.execute(uri: "/v1/metrics", method: .post, headers: Self.json, body: ByteBuffer(string: Self.summarise)) {
                #expect($0.status == .created)
                #expect($0.body.jsonObject["stored"] as? Int == 0)
                #expect($0.body.jsonObject["alreadyStored"] as? Int == 1)
            }
        }
        let rows = try await server.store.metricsPage(MetricsPage(filter: MetricsFilter(), size: 10))
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.skillId == "summarise")
        #expect(row.executionMs == 840)
        #expect(row.tokensIn == 1200)
        #expect(row.tokensOut == 310)
        #expect(row.success)
        #expect(row.timestamp == 1_795_132_800_000)
        #expect(row.version == "2.0")
    }

    @Test("an array and NDJSON take both names of the fields; run ids come back in order")
    func arrayAndNDJSON() async throws {
        let server = TestServer()
        try await server.test { client in
            try await client.execute(
                uri: "/v1/metrics", method: .post, headers: Self.json, body: ByteBuffer(string: "[\(Self.summarise),\(Self.lint)]")
            ) {
                #expect($0.status == .created)
                #expect(($0.body.jsonObject["runIds"] as? [String])?.last == "lint-1")
            }
            let lines = "\n\(Self.lint)\r\n\n\(Self.summarise.replacingOccurrences(of: "840", with: "841"))\n"
            try await client.execute(uri: "/v1/metrics", method: .post, headers: Self.ndjson, body: ByteBuffer(string: lines)) {
                #expect($0.status == .created)
                #expect($0.body.jsonObject["stored"] as? Int == 1)
                #expect($0.body.jsonObject["alreadyStored"] as? Int == 1)
            }
        }
        let rows = try await server.store.metricsPage(MetricsPage(filter: MetricsFilter(), size: 10))
        #expect(rows.map(\.executionMs).sorted() == [95, 840, 841])
        let lint = try #require(rows.first { $0.skillId == "lint" })
        // 2026-11-20T10:00:00Z, worked out with `date -u -d 2026-11-20T10:00:00Z +%s`.
        #expect(lint.timestamp == 1_795_168_800_000)
        #expect(!lint.success)
        #expect(lint.error == "exit 1")
    }

    @Test("a bad item refuses the whole request, naming each item's index and field")
    func badItems() async throws {
        let server = TestServer()
        let bad = #"{"skillId":"x","executionMs":5,"tokensIn":-5,"tokensOut":0,"success":true,"timestamp":1795132800000}"#
        let missing = #"{"skillId":"y","executionMs":5,"tokensIn":1,"success":true,"timestamp":1795132800000}"#
        try await server.test { client in
            try await client.execute(
                uri: "/v1/metrics", method: .post, headers: Self.json, body: ByteBuffer(string: "[\(Self.summarise),\(bad),\(missing)]")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = response.body.jsonObject
                #expect(problem["status"] as? Int == 400)
                let errors = try #require(problem["errors"] as? [[String: Any]])
                #expect(errors.map { $0["index"] as? Int } == [1, 2])
                #expect(errors.map { $0["field"] as? String } == ["tokens_in", "tokens_out"])
                #expect((errors.first?["detail"] as? String)?.contains("-5") == true)
            }
            let lines = "\(Self.summarise)\n\n{\"skillId\": \n"
            try await client.execute(uri: "/v1/metrics", method: .post, headers: Self.ndjson, body: ByteBuffer(string: lines)) {
                #expect($0.status == .badRequest)
                let errors = $0.body.jsonObject["errors"] as? [[String: Any]]
                #expect(errors?.first?["index"] as? Int == 1)
                #expect(errors?.first?["line"] as? Int == 3)
            }
        }
        #expect(try await server.store.lastId() == nil)
    }

    @Test("malformed, deeply nested and out-of-range bodies get 400, not a crash", arguments: [
        "{", "[1,2", "nul", "\"text\"", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        #"{"skillId":"x","executionMs":1e300,"tokensIn":1,"tokensOut":1,"success":true,"timestamp":1795132800000}"#,
        #"{"skillId":"x","executionMs":1,"tokensIn":99999999999999999999999,"tokensOut":1,"success":true,"timestamp":1795132800000}"#,
    ])
    func malformed(body: String) async throws {
        let server = TestServer()
        try await server.test { client in
            try await client.execute(uri: "/v1/metrics", method: .post, headers: Self.json, body: ByteBuffer(string: body)) {
                #expect($0.status == .badRequest)
                #expect(($0.body.jsonObject["errors"] as? [Any])?.count == 1)
            }
        }
        #expect(try await server.store.lastId() == nil)
    }

    @Test("other content types get 415, bodies past the limit 413")
    func contentTypeAndSize() async throws {
        let server = TestServer { $0.maximumBodyBytes = 100 }
        try await server.test { client in
            for type in ["text/plain", "application/x-protobuf", "application/xml"] {
                try await client.execute(
                    uri: "/v1/metrics", method: .post, headers: [.contentType: type], body: ByteBuffer(string: Self.summarise)
                ) { #expect($0.status == .unsupportedMediaType) }
            }
            try await client.execute(uri: "/v1/metrics", method: .post, body: ByteBuffer(string: Self.summarise)) {
                #expect($0.status == .unsupportedMediaType)
            }
            try await client.execute(
                uri: "/v1/metrics", method: .post, headers: [.contentType: "application/json; charset=utf-8"],
                body: ByteBuffer(string: "[" + String(repeating: Self.summarise + ",", count: 3) + Self.summarise + "]")
            ) {
                #expect($0.status == .contentTooLarge)
                #expect($0.headers[.contentType] == "application/problem+json")
            }
        }
        #expect(try await server.store.lastId() == nil)
    }

    @Test("gzip bodies are read; a bomb past the decompressed limit gets 413 and corrupt gzip 400")
    func gzip() async throws {
        let server = TestServer { $0.maximumDecompressedBytes = 4_096 }
        var plain = ByteBuffer(string: Self.summarise)
        let compressed = try plain.compress(with: .gzip)
        var bomb = ByteBuffer(string: "[" + String(repeating: " ", count: 1 << 20) + "]")
        let compressedBomb = try bomb.compress(with: .gzip)
        try await server.test { client in
            var headers = Self.json
            headers[.contentEncoding] = "gzip"
            try await client.execute(uri: "/v1/metrics", method: .post, headers: headers, body: compressed) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/v1/metrics", method: .post, headers: headers, body: compressedBomb) {
                #expect($0.status == .contentTooLarge)
            }
            try await client.execute(uri: "/v1/metrics", method: .post, headers: headers, body: ByteBuffer(string: Self.summarise)) {
                #expect($0.status == .badRequest)
            }
            headers[.contentEncoding] = "br"
            try await client.execute(uri: "/v1/metrics", method: .post, headers: headers, body: ByteBuffer(string: Self.summarise)) {
                #expect($0.status == .unsupportedMediaType)
            }
        }
        #expect(compressedBomb.readableBytes < 4_096)
        #expect(try await server.store.lastId() == 1)
    }

    @Test("unknown routes answer a 404 problem document")
    func unknownRoute() async throws {
        try await TestServer().test { client in
            try await client.execute(uri: "/v1/nothing", method: .get) {
                #expect($0.status == .notFound)
                #expect($0.body.jsonObject["status"] as? Int == 404)
            }
        }
    }
}
