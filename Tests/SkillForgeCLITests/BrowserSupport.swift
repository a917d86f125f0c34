import Dispatch
import Foundation
import Testing

/// Headless Chromium, as Debian packages it (`.ci/run` installs it when absent).
enum Chromium {
    /// The browser's path, or `nil` when it is not installed.
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether browser tests run: with a browser, or in CI (`CI` set), where a missing browser fails them.
    static let isAvailableOrRequired = path != nil || ProcessInfo.processInfo.environment["CI"] != nil

    /// The longest a page may take to load and render.
    static let timeoutSeconds = 90

    /// The DOM of `url` once loaded, as Chromium serialises it.
    static func dom(of url: String, in directory: TemporaryDirectory) async throws -> String {
        let result = try await run(["--dump-dom", url], in: directory)
        try #require(result.status == 0, "chromium --dump-dom \(url) failed: \(result.stderr)")
        return result.stdout
    }

    /// A PNG screenshot of `url` in a window of `width` × `height` CSS pixels, drawn at `scale` device pixels each.
    static func screenshot(
        of url: String, to file: String, width: Int, height: Int, scale: Int = 1, in directory: TemporaryDirectory
    ) async throws {
        let result = try await run(
            ["--screenshot=\(file)", "--window-size=\(width),\(height)", "--force-device-scale-factor=\(scale)", "--hide-scrollbars", url],
            in: directory)
        try #require(result.status == 0 && FileManager.default.fileExists(atPath: file), "chromium --screenshot \(url) failed: \(result.stderr)")
    }

    /// Runs the browser headless, as root too (no sandbox), with a profile of its own, within the timeout.
    private static func run(_ arguments: [String], in directory: TemporaryDirectory) async throws -> ProcessResult {
        let browser = try #require(path, "chromium is needed: apt-get install chromium (CI installs it)")
        let profile = directory.path("chromium-profile-\(UUID().uuidString)")
        return try await runProcess(
            "/usr/bin/timeout",
            ["\(timeoutSeconds)", browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--user-data-dir=\(profile)", "--lang=en-US"] + arguments)
    }
}

/// `skill-forge serve --port 0` on a database, running until ``stop()``.
final class ServedDashboard: @unchecked Sendable {
    private let process = Process()
    /// `http://127.0.0.1:PORT`, as the server announced it.
    let baseURL: String

    /// Starts the server and waits (at most a minute) for it to announce its address.
    init(database: String, environment: [String: String] = [:]) async throws {
        process.executableURL = URL(fileURLWithPath: skillForgeBinary)
        process.arguments = ["serve", "--port", "0", "--db", database]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let process = self.process
        let started = NSLock()
        nonisolated(unsafe) var hasStarted = false
        // A server that never announces itself is stopped, which ends its output.
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) {
            if !started.withLock({ hasStarted }) { process.terminate() }
        }
        let announced: String? = await withCheckedContinuation { continuation in
            // Reads until the announcement, then drains the rest so the server never blocks on a full pipe.
            DispatchQueue.global().async {
                var text = ""
                var resumed = false
                while true {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    guard !resumed else { continue }
                    text += String(decoding: chunk, as: UTF8.self)
                    if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                        resumed = true
                        started.withLock { hasStarted = true }
                        continuation.resume(returning: String(text[range]))
                    }
                }
                if !resumed { continuation.resume(returning: nil) }
            }
        }
        guard let announced else {
            process.terminate()
            throw ServerDidNotStart()
        }
        baseURL = announced
    }

    struct ServerDidNotStart: Error {}

    /// The address of a page.
    func url(_ path: String) -> String { baseURL + path }

    /// Stops the server (SIGTERM: it finishes requests in flight) and waits for it to exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
