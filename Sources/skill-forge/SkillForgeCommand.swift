import ArgumentParser
import SkillForge

@main
struct SkillForgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skill-forge",
        abstract: "Profile AI-agent skills: record each execution, then find the slow, token-hungry and failing ones.",
        discussion: """
            Every execution is one row in an SQLite file (./skill-forge.db unless --db or \
            SKILL_FORGE_DB says otherwise), readable with any SQLite tool:

              sqlite3 skill-forge.db "SELECT * FROM skill_metrics;"

            Examples:
              skill-forge profile --skill time-tracker --iterations 5 \\
                -- ./Examples/skills/time-tracker/run.sh
              skill-forge record --skill summarise --ms 840 \\
                --tokens-in 1200 --tokens-out 310
              skill-forge stats
              skill-forge metrics time-tracker --limit 20

            The version, and shell completions (the README says where to put them):
              skill-forge --version
              skill-forge --generate-completion-script bash   # or zsh, fish
            """,
        subcommands: [
            ProfileCommand.self, RecordCommand.self, SkillsCommand.self, StatsCommand.self, MetricsCommand.self,
            TrendCommand.self, CompareCommand.self, CandidatesCommand.self, ImportCommand.self, ExportCommand.self,
            DeleteCommand.self, PruneCommand.self, RepriceCommand.self, VacuumCommand.self, BackupCommand.self, MigrateCommand.self, ServeCommand.self,
            HookCommand.self, MCPCommand.self, VersionCommand.self,
        ])

    /// Runs the command line; `skill-forge --version` alone runs the `version` command.
    ///
    /// It is not a flag of this command: ArgumentParser would look for it after a subcommand
    /// too, where `--version` is the skill's version (`profile --version 2.0`). Errors of a
    /// running command quote stored text, so their message is escaped for the terminal.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments == ["--version"] ? ["version"] : arguments)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: terminalSafe(error))
        }
    }

    /// The error with its message escaped for the terminal; ArgumentParser's own outcomes
    /// (an exit code, help, a validation error with its usage) pass through unchanged.
    private static func terminalSafe(_ error: any Error) -> any Error {
        guard !(error is ExitCode), exitCode(for: error) == .failure else { return error }
        return EscapedError(description: message(for: error).escapedForTerminal)
    }
}

/// An error of a running command, as the terminal shows it.
private struct EscapedError: Error, CustomStringConvertible {
    let description: String
}
