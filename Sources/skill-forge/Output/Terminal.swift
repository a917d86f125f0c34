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

/// Runs long work so that Ctrl-C cancels it cleanly instead of killing the process.
///
/// Ctrl-C cancels the work's task: a profiled command is then killed, an
/// import stops, and what was already stored stays stored. Whatever error the
/// cancelled work ends with, the command exits with status 130, as shells
/// expect after SIGINT.
enum InterruptibleTask {
    /// What the user is told after Ctrl-C, unless a command says otherwise.
    static let storedWorkStays = "what was stored before stays stored"

    /// Runs `operation`; after Ctrl-C prints "interrupted; " and `note`, and exits with status 130.
    static func run<T: Sendable>(
        note: String = storedWorkStays, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await operation() }
        signal(SIGINT, SIG_IGN)
        let interrupts = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupts.setEventHandler { task.cancel() }
        interrupts.resume()
        defer {
            interrupts.cancel()
            signal(SIGINT, SIG_DFL)
        }
        do {
            return try await task.value
        } catch where task.isCancelled {
            FileHandle.standardError.write(Data("\ninterrupted; \(note)\n".utf8))
            throw ExitCode(130)
        }
    }
}
