import Foundation
import Testing

// MARK: - Looking at files from outside

/// The SHA-256 of a file, as the `sha256sum` tool computes it.
func sha256(of path: String) async throws -> String {
    let result = try await runProcess("/usr/bin/env", ["sha256sum", path])
    try #require(result.status == 0, "\(result.stderr)")
    return String(result.stdout.prefix(64))
}

/// The names in a directory, sorted.
func names(in directory: TemporaryDirectory) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
}

/// Runs the `sqlite3` shell on a database.
func sqlite3(_ database: String, _ sql: String) async throws -> ProcessResult {
    let shell = try #require(sqlite3Path, "the sqlite3 shell is needed")
    return try await runProcess(shell, [database, sql])
}

/// Whether the tests run as root, who can also become an unprivileged user and mount file systems.
let runsAsRoot = getuid() == 0

// MARK: - Running as someone else

/// Runs `skill-forge` as the unprivileged user `nobody` (the tests run as root in CI).
///
/// The binary is copied into `directory` first, so that `nobody` can run it
/// whatever the permissions of the directories the package was built in.
func skillForgeAsNobody(_ arguments: [String], copyingBinaryInto directory: TemporaryDirectory) async throws
    -> ProcessResult
{
    let binary = directory.path("skill-forge-binary")
    if !FileManager.default.fileExists(atPath: binary) {
        try FileManager.default.copyItem(atPath: skillForgeBinary, toPath: binary)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
    }
    return try await runProcess(
        "/usr/bin/env", ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", binary] + arguments)
}

// MARK: - Small file systems

/// A file system mounted for one test and unmounted after it (root only).
final class TemporaryMount {
    let directory: TemporaryDirectory
    private var mounted = true

    /// Mounts a tmpfs of `kibibytes` KiB: a disk that fills up at once.
    init(tmpfsOf kibibytes: Int) async throws {
        directory = try TemporaryDirectory()
        let result = try await runProcess(
            "/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=\(kibibytes)k", "tmpfs", directory.url.path])
        try #require(result.status == 0, "mount: \(result.stderr)")
    }

    /// Mounts `source` again, read-only, so that nothing in it can be written, even by root.
    init(readOnlyViewOf source: TemporaryDirectory) async throws {
        directory = try TemporaryDirectory()
        let path = directory.url.path
        let bind = try await runProcess("/usr/bin/env", ["mount", "--bind", source.url.path, path])
        try #require(bind.status == 0, "mount --bind: \(bind.stderr)")
        let readOnly = try await runProcess("/usr/bin/env", ["mount", "-o", "remount,ro,bind", path])
        if readOnly.status != 0 { unmount() }
        try #require(readOnly.status == 0, "remount read-only: \(readOnly.stderr)")
    }

    func path(_ name: String) -> String { directory.path(name) }

    /// Unmounts now (it is also done when the mount goes away).
    func unmount() {
        guard mounted else { return }
        mounted = false
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        umount.arguments = ["umount", directory.url.path]
        try? umount.run()
        umount.waitUntilExit()
    }

    deinit { unmount() }
}

// MARK: - Processes that run while the test watches

/// A `skill-forge` process that the test can signal while it runs.
final class RunningProcess: @unchecked Sendable {
    private let process = Process()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: skillForgeBinary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Sends `signal` as soon as `condition` holds, watching from a thread of its own (not a
    /// cooperative one, which a busy test run can leave waiting); returns whether it was sent
    /// before the process ended.
    func send(_ signal: Int32, when condition: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                while self.process.isRunning {
                    if condition() {
                        kill(self.process.processIdentifier, signal)
                        continuation.resume(returning: true)
                        return
                    }
                    usleep(200)
                }
                continuation.resume(returning: false)
            }
        }
    }

    /// Waits for the process to end, off the cooperative threads, and returns its status.
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }
}
