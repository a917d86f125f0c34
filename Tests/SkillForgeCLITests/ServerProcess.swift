import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running `skill-forge serve --port 0`, its port read from the line it prints at start.
final class ServerProcess: @unchecked Sendable {
    private let process = Process()
    let port: Int

    /// Starts the server on `db` and waits (off the cooperative threads) until it listens.
    init(db: String, extraArguments: [String] = []) async throws {
        process.executableURL = URL(fileURLWithPath: skillForgeBinary)
        process.arguments = ["serve", "--db", db, "--port", "0"] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let line: String = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes = Data()
                while let byte = try? output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
                    bytes.append(byte)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        // "skill-forge collector on http://127.0.0.1:PORT, storing into …"
        guard let range = line.range(of: #"127\.0\.0\.1:(\d+),"#, options: .regularExpression),
              let port = Int(line[range].dropFirst("127.0.0.1:".count).dropLast())
        else {
            process.terminate()
            throw ServerProcessError(message: "the server printed no address: \(line.debugDescription)")
        }
        self.port = port
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// Sends `signal` to the server.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the server to end, off the cooperative threads, and returns its status.
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Sends a request and returns the status and body; `nil` status when the connection failed.
    func request(
        _ method: String, _ path: String, body: Data? = nil, contentType: String? = nil, headers: [String: String] = [:]
    ) async -> (status: Int?, body: Data) {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { return (nil, Data()) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 30
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode, data)
        } catch {
            return (nil, Data())
        }
    }
}

struct ServerProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
