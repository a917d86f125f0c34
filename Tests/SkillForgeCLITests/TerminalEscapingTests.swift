import Foundation
import Testing

/// A skill name with U+202E (which reverses the rest of a line), an ESC sequence (red text) and a tab.
private let hostileName = "evil\u{202E}txt\u{1B}[31mred\ttab"
/// The same name as tables and messages must show it, written out by hand.
private let shownName = #"evil\u{202E}txt\u{1B}[31mred\ttab"#
private let hostileVersion = "v\u{202E}1"
private let shownVersion = #"v\u{202E}1"#

/// Characters that a terminal acts on instead of showing.
private func rawControls(in text: String) -> [String] {
    text.unicodeScalars.filter { [0x09, 0x0D, 0x1B, 0x85, 0x202E, 0x2029].contains($0.value) }
        .map { "U+" + String($0.value, radix: 16, uppercase: true) }
}

@Suite("Stored text on a terminal")
struct TerminalEscapingTests {
    /// Six runs recorded through the CLI, then given hostile text with the sqlite3 shell:
    /// runs 1–3 the hostile version, 4–6 version 2; every run the hostile name, model and error.
    private func makeDatabase(in directory: TemporaryDirectory) async throws -> String {
        let sqlite3 = try #require(sqlite3Path, "the hostile text is stored with the sqlite3 shell")
        let db = directory.path("hostile.db")
        for run in 1...6 {
            let recorded = try await skillForge(
                "record", "--db", db, "--skill", "plain", "--ms", "\(run * 10)", "--tokens-in", "1", "--tokens-out", "2",
                "--version", "2", "--error", "boom")
            #expect(recorded.status == 0, "\(recorded.stderr)")
        }
        let update = """
            UPDATE skill_metrics SET skill_id = 'evil' || char(8238) || 'txt' || char(27) || '[31mred' || char(9) || 'tab',
              model = 'm' || char(27) || '[2J', error = 'e' || char(13) || 'x' || char(133) || 'y' || char(8233) || 'z';
            UPDATE skill_metrics SET version = 'v' || char(8238) || '1' WHERE id <= 3;
            """
        #expect(try await runProcess(sqlite3, [db, update]).status == 0)
        return db
    }

    @Test("tables and summaries of every command show stored text escaped", .enabled(if: sqlite3Path != nil))
    func tablesEscapeStoredText() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let commands: [[String]] = [
            ["skills"], ["stats"], ["metrics", hostileName],
            ["compare", hostileName, "--baseline", hostileVersion, "--candidate", "2", "--min-runs", "1"],
            ["candidates", "--all", "--min-runs", "1", "--last", "1h"],
        ]
        for command in commands {
            let result = try await runProcess(skillForgeBinary, command + ["--db", db])
            #expect(result.status == 0, "\(command[0]): \(result.stderr)")
            #expect(rawControls(in: result.stdout).isEmpty, "\(command[0]) printed \(rawControls(in: result.stdout))")
            #expect(result.stdout.contains(shownName), "\(command[0]):\n\(result.stdout)")
        }
        let metrics = try await skillForge("metrics", hostileName, "--db", db)
        #expect(metrics.stdout.contains(shownVersion))
        #expect(metrics.stdout.contains(#"m\u{1B}[2J"#))
        #expect(metrics.stdout.contains(#"e\rx\u{85}y\u{2029}z"#))
        let compare = try await skillForge("compare", hostileName, "--baseline", hostileVersion, "--candidate", "2", "--db", db)
        #expect(compare.stdout.hasPrefix("\(shownName): version \(shownVersion) → version 2\n"))
    }

    @Test("a warning naming a stored skill is escaped too", .enabled(if: sqlite3Path != nil))
    func warningsEscapeStoredText() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let result = try await skillForge("metrics", hostileName, "--db", db, "--until", "2000-01-01")
        #expect(result.status == 0)
        #expect(rawControls(in: result.stderr).isEmpty, "\(rawControls(in: result.stderr))")
        #expect(result.stderr.contains(shownName), "\(result.stderr)")
    }

    @Test("profile's summary escapes the skill, its version and the command's last error line")
    func profileEscapesText() async throws {
        let directory = try TemporaryDirectory()
        // Skill ids with control characters are refused when recorded; U+202E is not a control character.
        let failing = #"printf 'bad\033[2J\342\200\256news\n' >&2; exit 1"#
        let result = try await skillForge(
            "profile", "--db", directory.path("p.db"), "--skill", "evil\u{202E}txt", "--version", hostileVersion,
            "--iterations", "2", "--", "/bin/sh", "-c", failing)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(rawControls(in: result.stdout).isEmpty, "\(rawControls(in: result.stdout))")
        #expect(result.stdout.hasPrefix(#"Skill: evil\u{202E}txt v\u{202E}1 (2 runs)"# + "\n"))
        #expect(result.stdout.contains(#"last error: bad\u{1B}[2J\u{202E}news"#))
    }

    @Test("an error message quoting the user's text is escaped")
    func errorsEscapeText() async throws {
        let directory = try TemporaryDirectory()
        let result = try await skillForge(
            "record", "--db", directory.path("r.db"), "--skill", "a\u{202E}b\u{1B}c", "--ms", "1", "--tokens-in", "1",
            "--tokens-out", "1")
        #expect(result.status == 1)
        #expect(result.stderr == #"Error: invalid skill_id "a\u{202E}b\u{1B}c": must not contain control characters"# + "\n")
    }

    @Test("records that import --skip-invalid rejects are shown escaped on stderr, and kept as they were in --rejects")
    func rejectedRecordsEscaped() async throws {
        let directory = try TemporaryDirectory()
        let runs = directory.path("runs.jsonl")
        let line = #"{"skillId":"s","executionMs":1,"tokensIn":1,"tokensOut":1,"success":true,"timestamp":1764547200000,"metadata":"[\u202E\u001b[2J]"}"#
        try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: runs))
        let result = try await skillForge("import", "--db", directory.path("d.db"), "--skip-invalid", runs)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(rawControls(in: result.stderr).isEmpty, "stderr carried \(rawControls(in: result.stderr))")
        #expect(result.stderr.contains(#"[\u{202E}\u{1B}[2J]"#), "\(result.stderr)")

        let rejects = directory.path("rejects.txt")
        let logged = try await skillForge(
            "import", "--db", directory.path("d.db"), "--skip-invalid", "--rejects", rejects, runs)
        #expect(logged.status == 0, "\(logged.stderr)")
        let file = try String(contentsOfFile: rejects, encoding: .utf8)
        // The value as validation quotes it (Swift's debugDescription escapes ESC, not U+202E), unescaped further.
        #expect(file.contains("[\u{202E}" + #"\u{1B}"# + "[2J]"), "\(file)")
    }
}
