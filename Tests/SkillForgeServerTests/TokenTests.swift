import Hummingbird
import HummingbirdTesting
import SkillForge
import SkillForgeServer
import Testing

@Suite("Bearer token")
struct TokenTests {
    @Test("with a token, every route refuses requests without it, or with another, with 401")
    func everyRoute() async throws {
        let server = TestServer { $0.token = "s3cret-token" }
        try await server.test { client in
            for (uri, method) in [("/healthz", HTTPRequest.Method.get), ("/metrics", .get), ("/v1/metrics", .post), ("/nope", .get)] {
                for header in [nil, "Bearer wrong", "Bearer s3cret-toke", "Bearer s3cret-token2", "Basic s3cret-token", "s3cret-token"] {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let header { headers[.authorization] = header }
                    try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: "{}")) {
                        #expect($0.status == .unauthorized, "\(method) \(uri) with \(header ?? "no header")")
                        #expect($0.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                        #expect(!$0.body.text.contains("s3cret"))
                    }
                }
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "Bearer s3cret-token"]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "bearer s3cret-token"]) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("off loopback, a configuration without a token cannot serve")
    func loopbackRule() {
        var configuration = ServerConfiguration()
        #expect(configuration.problem == nil)
        configuration.host = "0.0.0.0"
        #expect(configuration.problem?.contains("--token") == true)
        configuration.token = "t"
        #expect(configuration.problem == nil)
        configuration.host = "127.0.0.2"
        configuration.token = nil
        #expect(configuration.problem == nil)
    }
}
