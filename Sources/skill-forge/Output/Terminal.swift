import ArgumentParser
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress display on stderr, shown only when stderr is a terminal.
struct ProgressLine: Sendable {
    private let enabled: Bool

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
    }

    /// Replaces the line with `text`.
    func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }

    /// Erases the line.
    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// Prints one line on stderr at once (for warnings between progress updates).
func printWarning(_ text: String) {
    printNote("warning: \(text)")
}

/// Prints an informational line on stderr, leaving stdout to the data; stored text in it is escaped.
func printNote(_ text: String) {
    FileHandle.standardError.write(Data("\(text.escapedForTerminal)\n".utf8))
}

/// Asks a question on stderr, leaving the cursor after it for the answer.
func printPrompt(_ question: String) {
    FileHandle.standardError.write(Data(question.escapedForTerminal.utf8))
}

/// Runs long work so that Ctrl-C (or a `kill`) cancels it cleanly instead of
/// killing the process.
///
/// SIGINT and SIGTERM cancel the work's task: a profiled command is then
/// killed, an import stops, and what was already stored stays stored (every
/// command writes each run or batch in a transaction of its own before going
/// on, so nothing is left queued). Whatever error the cancelled work ends with,
/// the command exits as shells expect after the signal: 130 after SIGINT, 143
/// after SIGTERM.
enum InterruptibleTask {
    /// What the user is told after Ctrl-C, unless a command says otherwise.
    static let storedWorkStays = "what was stored before stays stored"

    /// The signals that cancel the work, with the exit status each ends the command with.
    private static let signals: [(number: Int32, exitStatus: Int32)] = [(SIGINT, 130), (SIGTERM, 143)]

    /// Runs `operation`; after SIGINT or SIGTERM prints "interrupted; " and `note`,
    /// and exits with 130 or 143.
    static func run<T: Sendable>(
        note: String = storedWorkStays, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let received = SignalRecord()
        // The handlers are in place before the work starts, so no signal falls between.
        let (work, start) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            for await _ in work { break }
            return try await operation()
        }
        let sources = signals.map { caught in
            signal(caught.number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: caught.number, queue: .global())
            source.setEventHandler {
                received.set(caught.exitStatus)
                task.cancel()
            }
            source.resume()
            return source
        }
        defer {
            for (source, caught) in zip(sources, signals) {
                source.cancel()
                signal(caught.number, SIG_DFL)
            }
        }
        start.yield()
        start.finish()
        do {
            return try await task.value
        } catch let error where task.isCancelled {
            guard let status = received.exitStatus else { throw error }
            FileHandle.standardError.write(Data("\ninterrupted; \(note)\n".utf8))
            throw ExitCode(status)
        }
    }
}

/// The exit status of the first signal received, shared with the signal handlers.
private final class SignalRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32?

    /// Keeps the first status set.
    func set(_ status: Int32) {
        lock.withLock { self.status = self.status ?? status }
    }

    var exitStatus: Int32? { lock.withLock { status } }
}
