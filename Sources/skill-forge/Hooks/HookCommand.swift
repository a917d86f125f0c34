import ArgumentParser

/// `skill-forge hook`: live capture from an agent's hooks.
struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Record runs live from Claude Code's hooks, and install or remove those hooks.",
        discussion: """
            Claude Code runs a hook command at points of a session, with the event as JSON \
            on standard input. `hook install` adds Skill Forge's to Claude Code's settings; \
            from then on every MCP tool call is stored as it ends, and every skill's \
            execution when its turn ends (docs/HOOKS.md).

            Examples:
              skill-forge hook install --db ~/skill-forge.db       # every session of this user
              skill-forge hook install --project --db skill-forge.db
              skill-forge hook install --http http://127.0.0.1:4318/v1/hooks/claude-code
              skill-forge hook status
              skill-forge hook uninstall
            """,
        subcommands: [HookClaudeCodeCommand.self, HookInstallCommand.self, HookUninstallCommand.self, HookStatusCommand.self])
}
