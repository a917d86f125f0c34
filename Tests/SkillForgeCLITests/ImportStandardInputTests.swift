import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a stdin import killed while it copies its input leaves behind.
private struct KilledImport {
    /// Whether the process held its copy of standard input open with the file's name already removed.
    var heldUnlinkedCopy: Bool
    /// The entries of `TMPDIR` seen while the import ran.
    var entriesWhileRunning: [String]
    /// The entries of `TMPDIR` after the process ended.
    var entriesAfter: [String]
    var terminationReason: Process.TerminationReason
    var status: Int32
}

/// Starts `skill-forge import -` with `TMPDIR` set to `temporary`, feeds it part of a
/// JSONL input through a pipe kept open (so it is still copying), waits until it holds
/// its copy, sends it `signal`, and reports what `TMPDIR` holds. Runs on a Dispatch
/// thread, not on the Swift concurrency pool.
private func killStandardInputImport(with signal: Int32, temporary: String, db: String) async throws -> KilledImport {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: skillForgeBinary)
                process.arguments = ["import", "--db", db, "--from", "jsonl", "-"]
                process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
                let input = Pipe()
                process.standardInput = input
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                input.fileHandleForWriting.write(Data(String(repeating: jsonl("s"), count: 10_000).utf8))
                var seen: Set<String> = []
                var heldUnlinkedCopy = false
                let deadline = Date().addingTimeInterval(20)
                while !heldUnlinkedCopy, Date() < deadline {
                    seen.formUnion(try FileManager.default.contentsOfDirectory(atPath: temporary))
                    let descriptors = "/proc/\(process.processIdentifier)/fd"
                    for descriptor in (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? [] {
                        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: descriptors + "/" + descriptor)) ?? ""
                        if target.contains("skill-forge-stdin-"), target.hasSuffix(" (deleted)") { heldUnlinkedCopy = true }
                    }
                    usleep(20_000)
                }
                seen.formUnion(try FileManager.default.contentsOfDirectory(atPath: temporary))
                kill(process.processIdentifier, signal)
                process.waitUntilExit()
                try? input.fileHandleForWriting.close()
                return KilledImport(
                    heldUnlinkedCopy: heldUnlinkedCopy, entriesWhileRunning: seen.sorted(),
                    entriesAfter: try FileManager.default.contentsOfDirectory(atPath: temporary),
                    terminationReason: process.terminationReason, status: process.terminationStatus)
            })
        }
    }
}

@Suite("import -: standard input leaves nothing behind")
struct ImportStandardInputTests {
    @Test(
        "SIGTERM or SIGKILL while stdin is being copied leaves nothing in TMPDIR",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd"), "reads /proc to see the copy"),
        arguments: [SIGTERM, SIGKILL])
    func killedWhileCopying(_ signal: Int32) async throws {
        let directory = try TemporaryDirectory()
        let temporary = directory.path("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        let killed = try await killStandardInputImport(with: signal, temporary: temporary, db: directory.path("data.db"))
        #expect(killed.heldUnlinkedCopy, "the import never held an unlinked copy of its input")
        #expect(killed.entriesWhileRunning.isEmpty, "\(killed.entriesWhileRunning)")
        #expect(killed.entriesAfter.isEmpty, "\(killed.entriesAfter)")
        #expect(killed.terminationReason == .uncaughtSignal)
        #expect(killed.status == signal)
    }
}
