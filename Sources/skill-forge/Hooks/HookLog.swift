import Foundation
import SkillForge

/// The file a hook writes its problems to, a line each, appended: many sessions'
/// hooks share it, and one `write` of a short line with `O_APPEND` is never interleaved.
struct HookLog {
    /// `~/.skill-forge/hooks.log`.
    static var defaultPath: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSTemporaryDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".skill-forge/hooks.log").path
    }

    var path: String

    /// Appends `message` with the time; a log that cannot be written is given up silently.
    func write(_ message: String) {
        guard let descriptor = openForAppending() else { return }
        defer { close(descriptor) }
        let line = "\(Readable.timestamp(Date().unixMilliseconds))Z \(message.replacingOccurrences(of: "\n", with: " "))\n"
        _ = line.utf8CString.withUnsafeBufferPointer { Foundation.write(descriptor, $0.baseAddress, $0.count - 1) }
    }

    /// Opens the log for a child process's output, or `/dev/null` if it cannot be.
    func descriptorForOutput() -> Int32 {
        openForAppending() ?? open("/dev/null", O_WRONLY)
    }

    /// The log opened with `O_APPEND`, its directory created first; `nil` when it cannot be.
    private func openForAppending() -> Int32? {
        try? FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        return descriptor >= 0 ? descriptor : nil
    }
}
