import ArgumentParser
import Foundation
import SkillForge

/// `skill-forge hook claude-code`: the command Claude Code runs for each hook event.
///
/// It must never slow or break the session: it always exits 0, writes its own
/// failures to a log file rather than to standard error (which Claude Code may
/// show), and leaves the one slow step, importing a transcript at the end of a
/// turn, to a detached process.
struct HookClaudeCodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claude-code",
        abstract: "Record one Claude Code hook event read from standard input (run by Claude Code).",
        discussion: """
            Claude Code runs this for the events `hook install` registers. A finished \
            MCP tool call (PostToolUse, PostToolUseFailure) is stored at once as \
            mcp:<server>/<tool>. At Stop, SubagentStop and SessionEnd the session's \
            transcript is imported in a detached process (import --from claude-code), \
            which stores each skill execution the turn closed, with its tokens. Other \
            events record nothing. It always exits 0; problems go to the log file.

            Example:
              echo '{"hook_event_name":"Stop","transcript_path":"/home/me/.claude/projects/p/s.jsonl"}' \\
                | skill-forge hook claude-code --db ~/skill-forge.db
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var pricing: PricingOptions

    @Option(help: ArgumentHelp("Where problems are written.", discussion: "Defaults to ~/.skill-forge/hooks.log.", valueName: "file"))
    var log: String?

    /// The most of standard input read: hook inputs carry a tool's whole response.
    static let maximumInputBytes = 64 << 20

    func run() async {
        let log = HookLog(path: log ?? HookLog.defaultPath)
        do {
            let input = try FileHandle.standardInput.read(upToCount: Self.maximumInputBytes) ?? Data()
            let event = try ClaudeCodeHookEvent(json: Array(input))
            switch event.action() {
            case .record(let run):
                let priced = try pricing.pricing(run)
                _ = try await database.location.withDatabaseForWriting(writerCacheMiB: 1) { db in
                    try await db.insert(contentsOf: [priced], duplicateRuns: .skip)
                }
            case .importTranscripts(let paths):
                try DetachedImport(
                    database: database.location.absolute, transcripts: paths, pricing: pricing.path.map(absolutePath),
                    log: log
                ).start()
            case .ignore:
                break
            }
        } catch {
            log.write("\(error)")
        }
    }

    private func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
