import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SkillForge
@testable import SkillForgeServer

/// A router over a fresh store, for HummingbirdTesting's `.router` client.
struct TestServer {
    let store: any MetricsStore
    let collector: Collector
    let app: Application<RouterResponder<CollectorRequestContext>>

    init(store: any MetricsStore = MemoryMetricsStore(), configure: (inout ServerConfiguration) -> Void = { _ in }) {
        var configuration = ServerConfiguration()
        configure(&configuration)
        self.store = store
        collector = Collector(store: store, configuration: configuration)
        app = Application(router: buildRouter(collector: collector, logger: Logger(label: "test")))
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await app.test(.router, body)
    }
}

extension ByteBuffer {
    /// The buffer's bytes as text.
    var text: String { String(buffer: self) }

    /// The buffer parsed as a JSON object.
    var jsonObject: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(self.readableBytesView))) as? [String: Any] ?? [:]
    }
}
