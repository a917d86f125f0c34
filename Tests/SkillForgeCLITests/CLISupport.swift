import Dispatch
import Foundation
import SkillForgeTestSupport
import Testing

/// The built `skill-forge` binary, next to the test bundle.
let skillForgeBinary: String = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // swift-testing may run from inside the .xctest bundle directory.
    for _ in 0..<3 where !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("skill-forge").path) {
        directory.deleteLastPathComponent()
    }
    return directory.appendingPathComponent("skill-forge").path
}()

/// The package's root directory.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The `sqlite3` shell, the seed's own way of reading the database.
let sqlite3Path = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// What a finished process printed.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs an executable to completion, draining stdout and stderr concurrently.
///
/// The waiting happens on a Dispatch thread, never on a Swift concurrency
/// thread: tests run in parallel, and blocked cooperative threads would starve
/// the ones that measure time (the profiler's timeout tests).
@discardableResult
func runProcess(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    currentDirectory: URL? = nil
) async throws -> ProcessResult {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(
                with: Result {
                    try runProcessBlocking(executable, arguments, environment: environment, currentDirectory: currentDirectory)
                })
        }
    }
}

private func runProcessBlocking(
    _ executable: String, _ arguments: [String], environment: [String: String], currentDirectory: URL?
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    try process.run()
    nonisolated(unsafe) var errData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        errData = error.fileHandleForReading.readAllRetryingInterrupts()
        drained.signal()
    }
    let outData = output.fileHandleForReading.readAllRetryingInterrupts()
    drained.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// Whether `python3 -c "import MODULES"` succeeds: tests that need a Python package skip
/// without it, except under `CI=true`, where `.ci/run` installs it and they always run.
func pythonCanImport(_ modules: String) -> Bool {
    if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import \(modules)"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

/// Runs `skill-forge` with `arguments`.
@discardableResult
func skillForge(_ arguments: String..., environment: [String: String] = [:], in directory: URL? = nil) async throws -> ProcessResult {
    try await runProcess(skillForgeBinary, arguments, environment: environment, currentDirectory: directory)
}

/// A fresh directory, removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("skill-forge-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Parses CSV output with Python's csv module, an independent RFC 4180 reader.
func parseCSV(_ text: String) throws -> [[String: String]] {
    let script = "import csv, json, sys; print(json.dumps(list(csv.DictReader(sys.stdin))))"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    return try JSONDecoder().decode([[String: String]].self, from: data)
}
