import Foundation
import Testing

/// The `script` program runs a command on a pseudo-terminal, as a user's shell would.
private let scriptPath = ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("Progress on a terminal")
struct TerminalTests {
    /// Runs a shell command line on a pseudo-terminal (stdout and stderr both go to it).
    private func onTerminal(_ commandLine: String) async throws -> String {
        let script = try #require(scriptPath, "util-linux's script runs commands on a terminal")
        return try await runProcess(script, ["-qec", commandLine, "/dev/null"]).stdout
    }

    @Test("profile shows `run N/M` on a terminal, and nothing of it when piped", .enabled(if: scriptPath != nil))
    func profileProgress() async throws {
        let directory = try TemporaryDirectory()
        let skill = packageRoot.appendingPathComponent("Examples/skills/time-tracker/run.sh").path
        let db = directory.path("tty.db")
        let terminal = try await onTerminal("'\(skillForgeBinary)' profile --db '\(db)' --skill tt --iterations 3 -- '\(skill)'")
        for run in 1...3 { #expect(terminal.contains("run \(run)/3")) }
        #expect(terminal.contains("\u{1B}[2K"), "the progress line is erased before the summary")
        #expect(terminal.contains("Skill: tt (3 runs)"))

        let piped = try await skillForge("profile", "--db", db, "--skill", "tt", "--iterations", "3", "--", skill)
        #expect(!piped.stdout.contains("run 1/3") && !piped.stderr.contains("run 1/3"))
        #expect(!piped.stderr.contains("\u{1B}"))
    }

    @Test("import shows a progress bar on a terminal and only the summary line when piped", .enabled(if: scriptPath != nil))
    func importProgress() async throws {
        let directory = try TemporaryDirectory()
        // Enough lines that the bar (redrawn at most ten times a second) appears at least once.
        let rows = (0..<60_000).map { index in
            #"{"skill_id":"s","execution_ms":\#(index),"tokens_in":1,"tokens_out":2,"success":true,"timestamp":\#(1_795_132_800_000 + index)}"#
        }
        let file = directory.path("runs.jsonl")
        try (rows.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let terminal = try await onTerminal("'\(skillForgeBinary)' import --db '\(directory.path("a.db"))' '\(file)'")
        #expect(terminal.contains("records/s"))
        #expect(terminal.contains("imported 60,000 of 60,000 records"))

        let piped = try await skillForge("import", "--db", directory.path("b.db"), file)
        #expect(piped.status == 0)
        #expect(piped.stdout.hasPrefix("imported 60,000 of 60,000 records (0 already stored) from 1 file in "))
        #expect(piped.stderr.isEmpty, "no progress bar when stderr is not a terminal")
    }
}
