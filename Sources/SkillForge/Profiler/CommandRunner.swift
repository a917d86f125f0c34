import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A command to run as a skill: an executable, its arguments, and how to run it.
public struct SkillCommand: Sendable, Hashable {
    /// The executable: a path (`./run.sh`) or a name looked up in `PATH` (`python3`).
    public var executable: String
    /// The arguments after the executable.
    public var arguments: [String]
    /// A file whose contents are the command's standard input; `nil` for none.
    public var inputFile: String?
    /// The longest a run may take before it is killed and recorded as failed; `nil` for no limit.
    public var timeout: Duration?
    /// Whether the command's output goes to this process's stdout and stderr (it is always counted).
    public var showsOutput: Bool

    /// Creates a command.
    public init(
        executable: String, arguments: [String] = [], inputFile: String? = nil,
        timeout: Duration? = nil, showsOutput: Bool = false
    ) {
        self.executable = executable
        self.arguments = arguments
        self.inputFile = inputFile
        self.timeout = timeout
        self.showsOutput = showsOutput
    }

    /// The environment variable naming the file where a command may report its token usage.
    public static let usageFileVariable = usageFileKey.rawValue

    /// ``usageFileVariable`` as Subprocess spells it.
    static let usageFileKey: Environment.Key = "SKILL_FORGE_USAGE_FILE"
}

/// What one run of a ``SkillCommand`` did.
public struct CommandOutcome: Sendable, Hashable {
    /// How the run ended.
    public enum Termination: Sendable, Hashable {
        /// The process exited with this status.
        case exited(Int32)
        /// The process was killed by this signal.
        case signaled(Int32)
        /// The process ran past the timeout and was killed.
        case timedOut(Duration)
    }

    /// How the run ended.
    public var termination: Termination
    /// Wall-clock time from spawn to exit.
    public var duration: Duration
    /// Bytes the command read on standard input.
    public var inputBytes: Int64
    /// Bytes the command wrote on standard output.
    public var outputBytes: Int64
    /// The last non-empty line the command wrote on standard error.
    public var lastErrorLine: String?
    /// The usage the command reported through `SKILL_FORGE_USAGE_FILE`.
    public var reportedUsage: ReportedUsage?
    /// Why a usage file the command wrote was ignored.
    public var usageFileProblem: String?

    /// Whether the run counts as a success: exit status 0 within the timeout.
    public var succeeded: Bool { termination == .exited(0) }

    /// The error message recorded for a failed run: its last stderr line, else how it ended.
    public var errorMessage: String? {
        if succeeded { return nil }
        if case .timedOut(let limit) = termination {
            return "timed out after \(limit.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))"
        }
        if let lastErrorLine { return lastErrorLine }
        switch termination {
        case .exited(let status): return "exit status \(status)"
        case .signaled(let signal): return "killed by signal \(signal)"
        case .timedOut: return nil
        }
    }
}

// MARK: - Running

/// Runs a ``SkillCommand`` once and measures it.
enum CommandRunner {
    /// Runs `command` once.
    ///
    /// The command runs in its own process group, so a timeout kills the
    /// processes it started too. Its stdout and stderr are read as they come,
    /// never held in memory.
    static func run(_ command: SkillCommand) async throws -> CommandOutcome {
        let usageFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("skill-forge-usage-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: usageFile) }
        let input = try openInput(of: command)

        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500))]
        let configuration = Configuration(
            executable: executable(of: command),
            arguments: Arguments(command.arguments),
            environment: .inherit.updating([SkillCommand.usageFileKey: usageFile]),
            platformOptions: options)

        let clock = ContinuousClock()
        let start = clock.now
        let result = try await withThrowingTaskGroup(of: Attempt.self) { group in
            group.addTask {
                let execution = try await Subprocess.run(
                    configuration, input: .fileDescriptor(input.descriptor, closeAfterSpawningProcess: true),
                    output: .sequence, error: .sequence
                ) { execution in
                    async let outputBytes = count(execution.standardOutput, echoingTo: command.showsOutput ? .standardOutput : nil)
                    let lastLine = try await lastLine(of: execution.standardError, echoingTo: command.showsOutput ? .standardError : nil)
                    return (try await outputBytes, lastLine)
                }
                return .finished(execution.terminationStatus, outputBytes: execution.closureResult.0, lastErrorLine: execution.closureResult.1)
            }
            if let timeout = command.timeout {
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return .timedOut
                }
            }
            guard let first = try await group.next() else { throw CancellationError() }
            group.cancelAll()
            // Wait for the teardown of a timed-out command before timing the next one.
            while (try? await group.next()) != nil {}
            return first
        }
        let duration = start.duration(to: clock.now)

        var outcome: CommandOutcome
        switch result {
        case .timedOut:
            outcome = CommandOutcome(
                termination: .timedOut(command.timeout ?? duration), duration: duration, inputBytes: input.size,
                outputBytes: 0)
        case .finished(let status, let outputBytes, let lastErrorLine):
            let termination: CommandOutcome.Termination
            switch status {
            case .exited(let code): termination = .exited(Int32(code))
            case .signaled(let signal): termination = .signaled(Int32(signal))
            }
            outcome = CommandOutcome(
                termination: termination, duration: duration, inputBytes: input.size, outputBytes: outputBytes,
                lastErrorLine: lastErrorLine)
        }
        readUsage(from: usageFile, into: &outcome)
        return outcome
    }

    private enum Attempt: Sendable {
        case finished(TerminationStatus, outputBytes: Int64, lastErrorLine: String?)
        case timedOut
    }

    private static func executable(of command: SkillCommand) -> Executable {
        command.executable.contains("/") ? .path(FilePath(command.executable)) : .name(command.executable)
    }

    /// Checks, before any run, that the command can be started at all; the error's cause is
    /// the `errno` of the failed check.
    static func checkLaunchable(_ command: SkillCommand) throws(ProfilerError) {
        if command.executable.contains("/") {
            if access(command.executable, X_OK) != 0 {
                let cause = lastPOSIXError()
                let exists = FileManager.default.fileExists(atPath: command.executable)
                throw .cannotLaunch(
                    executable: command.executable, reason: exists ? "the file is not executable" : "no such file",
                    cause: cause)
            }
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            let found = path.split(separator: ":").contains { directory in
                FileManager.default.isExecutableFile(atPath: "\(directory)/\(command.executable)")
            }
            guard found else {
                throw .cannotLaunch(
                    executable: command.executable, reason: "command not found in PATH", cause: POSIXError(.ENOENT))
            }
        }
        if let inputFile = command.inputFile, access(inputFile, R_OK) != 0 {
            throw .cannotLaunch(
                executable: command.executable, reason: "cannot read the input file \(inputFile)",
                cause: lastPOSIXError())
        }
    }

    /// The error `errno` holds, read right after the system call that failed.
    private static func lastPOSIXError() -> POSIXError? {
        POSIXErrorCode(rawValue: errno).map { POSIXError($0) }
    }

    private static func openInput(of command: SkillCommand) throws -> (descriptor: FileDescriptor, size: Int64) {
        let path = command.inputFile ?? "/dev/null"
        let descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        return (descriptor, command.inputFile == nil ? 0 : size)
    }

    // MARK: Output

    private static func count(_ output: SubprocessOutputSequence, echoingTo echo: FileHandle?) async throws -> Int64 {
        var total: Int64 = 0
        for try await buffer in output {
            total += Int64(buffer.count)
            if let echo { buffer.withUnsafeBytes { echo.write(Data($0)) } }
        }
        return total
    }

    /// The last non-empty line of `output`, keeping at most one line (capped) in memory.
    private static func lastLine(of output: SubprocessOutputSequence, echoingTo echo: FileHandle?) async throws -> String? {
        let cap = 4_096
        var current: [UInt8] = []
        var last: [UInt8] = []
        for try await buffer in output {
            buffer.withUnsafeBytes { bytes in
                echo?.write(Data(bytes))
                for byte in bytes {
                    if byte == UInt8(ascii: "\n") {
                        if current.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) {
                            last = current
                        }
                        current.removeAll(keepingCapacity: true)
                    } else if current.count < cap {
                        current.append(byte)
                    }
                }
            }
        }
        if current.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) { last = current }
        let line = String(decoding: last, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return line.isEmpty ? nil : line
    }

    // MARK: Usage file

    private static func readUsage(from path: String, into outcome: inout CommandOutcome) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        do {
            outcome.reportedUsage = try UsageReport.decode(data)
        } catch {
            outcome.usageFileProblem = "\(SkillCommand.usageFileVariable): \(error)"
        }
    }
}
