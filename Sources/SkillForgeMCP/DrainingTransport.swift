import Foundation
import Logging
import MCP

/// A transport that, when its input ends (a client that closes stdin), ends the
/// session only once every request read has been answered.
///
/// The SDK's server handles each request in a task of its own and stops when
/// its input ends, so `printf '…requests…' | skill-forge mcp` would lose the
/// answers still being worked out. This wrapper holds the end of the input back
/// until no request is waiting for its answer, or ``drainLimit`` has passed.
actor DrainingTransport: Transport {
    private let base: any Transport
    nonisolated let logger: Logger
    /// The ids of the requests read and not yet answered (`s:` text ids, `n:` numbers).
    private var unanswered: Set<String> = []
    /// Where the server reads messages, once the base transport's input has ended.
    private var endedInput: AsyncThrowingStream<Data, any Error>.Continuation?

    /// How long the end of the input waits for answers still to come.
    static let drainLimit: Duration = .seconds(30)

    init(_ base: any Transport, logger: Logger) {
        self.base = base
        self.logger = logger
    }

    func connect() async throws { try await base.connect() }

    func disconnect() async { await base.disconnect() }

    func send(_ data: Data) async throws {
        try await base.send(data)
        for id in Self.ids(in: data, requests: false) { unanswered.remove(id) }
        finishIfDrained()
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        Task {
            do {
                for try await message in await base.receive() {
                    self.noteRequests(in: message)
                    continuation.yield(message)
                }
            } catch {
                continuation.finish(throwing: error)
                return
            }
            self.inputEnded(continuation)
        }
        return stream
    }

    // MARK: - Requests and answers

    private func noteRequests(in message: Data) {
        unanswered.formUnion(Self.ids(in: message, requests: true))
    }

    private func inputEnded(_ continuation: AsyncThrowingStream<Data, any Error>.Continuation) {
        endedInput = continuation
        finishIfDrained()
        guard endedInput != nil else { return }
        Task {
            try? await Task.sleep(for: Self.drainLimit)
            self.finish()
        }
    }

    private func finishIfDrained() {
        if unanswered.isEmpty { finish() }
    }

    private func finish() {
        endedInput?.finish()
        endedInput = nil
    }

    /// The ids of the requests (`method` and `id`) or of the answers (`id` and no `method`)
    /// in a JSON-RPC message or batch.
    static func ids(in message: Data, requests: Bool) -> [String] {
        let json = try? JSONSerialization.jsonObject(with: message)
        let objects = (json as? [[String: Any]]) ?? (json as? [String: Any]).map { [$0] } ?? []
        return objects.compactMap { object in
            guard (object["method"] != nil) == requests, let id = object["id"] else { return nil }
            if let text = id as? String { return "s:" + text }
            if let number = id as? NSNumber { return "n:" + number.stringValue }
            return nil
        }
    }
}
