import Foundation
import SkillForge

/// `skill-forge import --from claude-code --db DATABASE TRANSCRIPT…` started in a
/// session of its own (`setsid`), not waited for: the hook that starts it returns at
/// once, and the import outlives it. Its output goes to the hook log.
struct DetachedImport {
    var database: String
    var transcripts: [String]
    /// The `--pricing` file the import computes costs from, if one was given (an absolute path).
    var pricing: String?
    var log: HookLog

    /// A transcript that cannot be imported in the background.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `POSIX_SPAWN_SETSID`, which Glibc's module leaves out (spawn.h defines it for _GNU_SOURCE).
    #if os(Linux)
    private static let newSession: Int16 = 0x80
    #else
    private static let newSession = Int16(POSIX_SPAWN_SETSID)
    #endif

    func start() throws(Failure) {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let arguments = [executable, "import", "--from", "claude-code", "--db", database]
            + (pricing.map { ["--pricing", $0] } ?? []) + transcripts
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        posix_spawnattr_setflags(&attributes, Self.newSession)
        let output = log.descriptorForOutput()
        defer { close(output) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        var child: pid_t = 0
        let status = withCStrings(arguments) { argv in
            posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        }
        guard status == 0 else {
            throw Failure(description: "could not start the import of \(transcripts.joined(separator: ", ")): \(String(cString: strerror(status)))")
        }
    }

    /// Runs `body` with `strings` as a NULL-terminated array of C strings.
    private func withCStrings<T>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
