import Foundation

/// Claude Code's `settings.json` (the user's `~/.claude/settings.json` or a project's
/// `.claude/settings.json`), read for its `hooks` and written back with Skill Forge's
/// hook entries added or removed, every other setting kept.
///
/// ```swift
/// var settings = try ClaudeCodeSettings(path: ClaudeCodeSettings.userPath)
/// let changes = settings.install(.command("'/usr/local/bin/skill-forge' hook claude-code --db '/home/me/skill-forge.db'"))
/// try settings.save()
/// ```
struct ClaudeCodeSettings {
    /// The events Skill Forge's hook is registered for, with the tool matcher of the tool events.
    static let events: [(name: String, matcher: String?)] = [
        ("PostToolUse", "mcp__.*"), ("PostToolUseFailure", "mcp__.*"), ("Stop", nil), ("SubagentStop", nil), ("SessionEnd", nil),
    ]

    /// How Claude Code reaches Skill Forge: a command it runs, or a collector it posts to.
    enum Hook: Equatable {
        case command(String)
        case http(String)

        var entry: [String: Any] {
            switch self {
            case .command(let command): ["type": "command", "command": command, "timeout": 10]
            case .http(let url): ["type": "http", "url": url, "timeout": 10]
            }
        }

        var description: String {
            switch self {
            case .command(let command): "command \(command)"
            case .http(let url): "http \(url)"
            }
        }

        /// The hook an entry of `settings.json` is, if it is Skill Forge's.
        init?(entry: [String: Any]) {
            if let command = entry["command"] as? String, command.contains("hook claude-code"), command.contains("skill-forge") {
                self = .command(command)
            } else if let url = entry["url"] as? String, url.hasSuffix("/v1/hooks/claude-code") {
                self = .http(url)
            } else {
                return nil
            }
        }
    }

    /// A settings file that is not a JSON object.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// `$CLAUDE_CONFIG_DIR/settings.json`, else `~/.claude/settings.json`.
    static var userPath: String {
        let environment = ProcessInfo.processInfo.environment
        let directory = environment["CLAUDE_CONFIG_DIR"]
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".claude").path
        return URL(fileURLWithPath: directory).appendingPathComponent("settings.json").path
    }

    /// `.claude/settings.json` in the current directory.
    static var projectPath: String {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".claude/settings.json").path
    }

    let path: String
    private(set) var root: [String: Any]
    private let original: Data?

    init(path: String) throws(Unreadable) {
        self.path = path
        original = FileManager.default.contents(atPath: path)
        guard let original, !original.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) else {
            root = [:]
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: original) as? [String: Any] else {
            throw Unreadable(description: "\(path) is not a JSON object; it was left as it is")
        }
        root = object
    }

    // MARK: - Reading

    /// Skill Forge's hooks, by event, in the order of ``events``.
    var installed: [(event: String, hook: Hook)] {
        let hooks = root["hooks"] as? [String: Any] ?? [:]
        return hooks.keys.sorted().flatMap { event in
            (hooks[event] as? [[String: Any]] ?? []).flatMap { group in
                (group["hooks"] as? [[String: Any]] ?? []).compactMap(Hook.init(entry:)).map { (event, $0) }
            }
        }
    }

    // MARK: - Changing

    /// Registers `hook` for every event of ``events``, replacing Skill Forge's earlier
    /// entries; returns what changed (nothing when it was installed already).
    mutating func install(_ hook: Hook) -> [String] {
        let before = installed
        _ = removeOurs()
        var hooks = root["hooks"] as? [String: Any] ?? [:]
        for (event, matcher) in Self.events {
            var group: [String: Any] = ["hooks": [hook.entry]]
            if let matcher { group["matcher"] = matcher }
            hooks[event] = (hooks[event] as? [[String: Any]] ?? []) + [group]
        }
        root["hooks"] = hooks
        let after = installed
        if before.map(\.event) == after.map(\.event) && before.map(\.hook) == after.map(\.hook) { return [] }
        return Self.events.map { "\($0.name): \(hook.description)" + ($0.matcher.map { " (tools \($0))" } ?? "") }
    }

    /// Removes every entry of Skill Forge's, and the groups and events left empty; returns what was removed.
    mutating func removeOurs() -> [String] {
        guard var hooks = root["hooks"] as? [String: Any] else { return [] }
        var removed: [String] = []
        for (event, value) in hooks {
            guard let groups = value as? [[String: Any]] else { continue }
            var kept: [[String: Any]] = []
            for var group in groups {
                let entries = group["hooks"] as? [[String: Any]] ?? []
                let others = entries.filter { Hook(entry: $0) == nil }
                removed += entries.compactMap(Hook.init(entry:)).map { "\(event): \($0.description)" }
                if others.isEmpty && !entries.isEmpty { continue }
                group["hooks"] = others
                kept.append(group)
            }
            hooks[event] = kept.isEmpty ? nil : kept
        }
        root["hooks"] = hooks.isEmpty ? nil : hooks
        return removed.sorted()
    }

    /// Writes the settings, first copying the file as it was to `<path>.skill-forge-backup`;
    /// returns the backup's path, if there was a file to back up.
    @discardableResult
    func save() throws -> String? {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var backup: String?
        if let original {
            backup = path + ".skill-forge-backup"
            try original.write(to: URL(fileURLWithPath: path + ".skill-forge-backup"), options: .atomic)
        }
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
        return backup
    }
}
