import ArgumentParser
import Foundation

/// Which `settings.json` a hook command edits: the user's (every session) or the current project's.
struct SettingsLocation: ParsableArguments {
    @Flag(help: "Edit this project's .claude/settings.json.")
    var project = false

    @Flag(help: "Edit the user's ~/.claude/settings.json (the default).")
    var user = false

    func validate() throws {
        if project && user { throw ValidationError("Give --project or --user, not both.") }
    }

    var path: String { project ? ClaudeCodeSettings.projectPath : ClaudeCodeSettings.userPath }
}

extension ClaudeCodeSettings {
    /// Saves the settings and prints what changed, and where the file as it was is kept.
    func save(reporting heading: String, _ changes: [String]) throws {
        let backup = try save()
        print("\(heading) \(path):")
        for change in changes { print("  \(change)") }
        if let backup { print("The file as it was: \(backup)") }
    }
}

// MARK: - install

struct HookInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Add Skill Forge's hooks to Claude Code's settings.json.",
        discussion: """
            Registers `skill-forge hook claude-code --db PATH` (or, with --http, the \
            collector's /v1/hooks/claude-code) for PostToolUse and PostToolUseFailure \
            of MCP tools, Stop, SubagentStop and SessionEnd. Other settings and hooks \
            are kept; the file as it was is copied to settings.json.skill-forge-backup. \
            Running it again changes nothing, or replaces Skill Forge's entries with \
            the new ones. Claude Code reads the file when a session starts.

            Examples:
              skill-forge hook install --db ~/skill-forge.db
              skill-forge hook install --project --db skill-forge.db
              skill-forge hook install --http http://127.0.0.1:4318/v1/hooks/claude-code
            """)

    @OptionGroup var location: SettingsLocation
    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Post the events to a collector (skill-forge serve) at this URL instead.", valueName: "url"))
    var http: String?

    func validate() throws {
        if let http, !(http.hasPrefix("http://") || http.hasPrefix("https://")) || !http.hasSuffix("/v1/hooks/claude-code") {
            throw ValidationError("--http takes the collector's hook URL, such as http://127.0.0.1:4318/v1/hooks/claude-code.")
        }
    }

    func run() throws {
        var settings = try ClaudeCodeSettings(path: location.path)
        let hook: ClaudeCodeSettings.Hook = http.map { .http($0) } ?? .command(command())
        let changes = settings.install(hook)
        guard !changes.isEmpty else {
            print("Skill Forge's hooks are installed already in \(settings.path); nothing changed.")
            return
        }
        try settings.save(reporting: "Added to", changes)
        print("Claude Code uses them from its next session.")
    }

    /// This executable and the database, both absolute: hooks run in the session's directory.
    private func command() -> String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return "\(shellQuoted(executable)) hook claude-code --db \(shellQuoted(database.location.absolute))"
    }

    private func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

// MARK: - uninstall

struct HookUninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove Skill Forge's hooks from Claude Code's settings.json.",
        discussion: """
            Removes exactly the entries `hook install` added (a command running \
            `skill-forge hook claude-code`, or a URL ending in /v1/hooks/claude-code), \
            and the groups and events they leave empty. Everything else is kept; the \
            file as it was is copied to settings.json.skill-forge-backup.

            Examples:
              skill-forge hook uninstall
              skill-forge hook uninstall --project
            """)

    @OptionGroup var location: SettingsLocation

    func run() throws {
        var settings = try ClaudeCodeSettings(path: location.path)
        let removed = settings.removeOurs()
        guard !removed.isEmpty else {
            print("No Skill Forge hook in \(settings.path); nothing changed.")
            return
        }
        try settings.save(reporting: "Removed from", removed)
    }
}

// MARK: - status

struct HookStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say which of Skill Forge's hooks Claude Code's settings hold.",
        discussion: """
            Reads the user's and this project's settings.json and lists Skill Forge's \
            entries in each, by event.

            Example:
              skill-forge hook status
            """)

    func run() throws {
        for path in [ClaudeCodeSettings.userPath, ClaudeCodeSettings.projectPath] {
            guard FileManager.default.fileExists(atPath: path) else {
                print("\(path): no such file")
                continue
            }
            let installed = try ClaudeCodeSettings(path: path).installed
            let missing = ClaudeCodeSettings.events.map(\.name).filter { event in !installed.contains { $0.event == event } }
            print("\(path): " + (installed.isEmpty ? "no Skill Forge hook" : "\(installed.count) Skill Forge hooks"))
            for (event, hook) in installed { print("  \(event): \(hook.description)") }
            if !installed.isEmpty && !missing.isEmpty { print("  missing: \(missing.joined(separator: ", ")) (run hook install again)") }
        }
    }
}
