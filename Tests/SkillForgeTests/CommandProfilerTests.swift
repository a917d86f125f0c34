import Foundation
import Testing

@testable import SkillForge

/// The package's root directory, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("CommandProfiler")
struct CommandProfilerTests {
    /// Writes an executable shell script into `directory`.
    func script(_ name: String, _ body: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.path(name)
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test("the time-tracker example: warm-ups are not recorded, usage comes from SKILL_FORGE_USAGE_FILE")
    func timeTrackerExample() async throws {
        let db = try ProfilerDB.inMemory()
        let skill = packageRoot.appendingPathComponent("Examples/skills/time-tracker")
        let runs = try await CommandProfiler(store: db).profile(
            skill: "time-tracker", version: "1.0",
            command: SkillCommand(executable: skill.appendingPathComponent("run.sh").path), iterations: 3, warmup: 1)
        #expect(runs.count == 3)
        #expect(try db.count() == 3)
        // The script reports the words of its log as input tokens: count them independently.
        let log = try String(contentsOf: skill.appendingPathComponent("timelog.csv"), encoding: .utf8)
        let words = log.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count
        for stored in try db.metrics(forSkill: "time-tracker") {
            #expect(stored.success)
            #expect(stored.tokensIn == Int64(words))
            #expect(stored.tokensOut > 0)
            #expect(stored.tokensEstimated == false)
            #expect(stored.model == "local-awk")
            #expect(stored.version == "1.0")
            #expect(stored.source == "command")
        }
    }

    @Test("a failing command records its last stderr line; a silent one its exit status")
    func failures() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB.inMemory()
        let loud = try script("loud.sh", "echo 'starting' >&2\necho 'boom: disk on fire' >&2\necho '' >&2\nexit 3", in: directory)
        let silent = try script("silent.sh", "exit 4", in: directory)
        let profiler = CommandProfiler(store: db)
        let loudRuns = try await profiler.profile(skill: "loud", command: SkillCommand(executable: loud), iterations: 1)
        let silentRuns = try await profiler.profile(skill: "silent", command: SkillCommand(executable: silent), iterations: 1)
        #expect(loudRuns.first?.outcome.termination == .exited(3))
        #expect(try db.metrics(forSkill: "loud").first?.error == "boom: disk on fire")
        #expect(try db.metrics(forSkill: "loud").first?.success == false)
        #expect(try db.metrics(forSkill: "silent").first?.error == "exit status 4")
        #expect(silentRuns.first?.metric.success == false)
    }

    @Test("a run past the timeout is killed, with the processes it started, and recorded as failed")
    func timeout() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB.inMemory()
        // The child `sleep` keeps stdout open: only killing the whole process group ends the run.
        // (The sleeps are long and the bound loose: tests run in parallel on a busy machine, and
        // what matters is that the run ends long before the commands would.)
        let slow = try script("slow.sh", "sleep 3600 &\nsleep 3600\necho done", in: directory)
        let clock = ContinuousClock()
        let started = clock.now
        let runs = try await CommandProfiler(store: db).profile(
            skill: "slow", command: SkillCommand(executable: slow, timeout: .milliseconds(300)), iterations: 1)
        #expect(started.duration(to: clock.now) < .seconds(600))
        #expect(runs.first?.outcome.termination == .timedOut(.milliseconds(300)))
        let stored = try #require(try db.metrics(forSkill: "slow").first)
        #expect(stored.success == false)
        #expect(stored.error?.hasPrefix("timed out after") == true)
        #expect(stored.executionMs >= 300)
    }

    @Test("without a usage file, tokens are estimated from stdin and stdout bytes")
    func estimatedFromBytes() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB.inMemory()
        let input = directory.path("input.txt")
        try String(repeating: "x", count: 41).write(toFile: input, atomically: true, encoding: .utf8)
        // Echoes stdin twice: 82 bytes out. 41 bytes in → 11 tokens, 82 out → 21 tokens (rounded up).
        let twice = try script("twice.sh", "data=$(cat)\nprintf '%s%s' \"$data\" \"$data\"", in: directory)
        _ = try await CommandProfiler(store: db).profile(
            skill: "twice", command: SkillCommand(executable: twice, inputFile: input), iterations: 2)
        for stored in try db.metrics(forSkill: "twice") {
            #expect(stored.tokensIn == 11)
            #expect(stored.tokensOut == 21)
            #expect(stored.tokensEstimated == true)
        }
    }

    @Test("a usage file with cache tokens is used; an invalid one is reported and tokens estimated")
    func usageFiles() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB.inMemory()
        let good = try script(
            "good.sh",
            #"printf '{"tokensIn": 7, "tokens_out": 3, "cache_read_tokens": 5, "model": "m1"}' > "$SKILL_FORGE_USAGE_FILE""#,
            in: directory)
        let bad = try script("bad.sh", #"echo 'hello'; printf '{"tokens_in": -2, "tokens_out": 3}' > "$SKILL_FORGE_USAGE_FILE""#, in: directory)
        let profiler = CommandProfiler(store: db)
        _ = try await profiler.profile(skill: "good", command: SkillCommand(executable: good), iterations: 1)
        let badRuns = try await profiler.profile(skill: "bad", command: SkillCommand(executable: bad), iterations: 1)

        let goodRow = try #require(try db.metrics(forSkill: "good").first)
        #expect(goodRow.tokensIn == 7)
        #expect(goodRow.tokensOut == 3)
        #expect(goodRow.cacheReadTokens == 5)
        #expect(goodRow.model == "m1")
        #expect(goodRow.tokensEstimated == false)

        #expect(badRuns.first?.outcome.usageFileProblem?.contains("tokens_in must be a whole number") == true)
        let badRow = try #require(try db.metrics(forSkill: "bad").first)
        #expect(badRow.tokensEstimated == true)
        #expect(badRow.tokensOut == 2, "'hello\\n' is 6 bytes → 2 tokens")
    }

    @Test("a command that cannot start fails before any run, and nothing is recorded", arguments: [
        "/no/such/skill.sh", "no-such-command-skill-forge-test",
    ])
    func launchErrors(_ executable: String) async throws {
        let db = try ProfilerDB.inMemory()
        await #expect(throws: ProfilerError.self) {
            try await CommandProfiler(store: db).profile(skill: "x", command: SkillCommand(executable: executable), iterations: 3)
        }
        #expect(try db.count() == 0)
    }

    @Test("a file without execute permission is refused with that reason")
    func notExecutable() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("plain.sh")
        try "echo hi".write(toFile: path, atomically: true, encoding: .utf8)
        await #expect(throws: ProfilerError.cannotLaunch(executable: path, reason: "the file is not executable")) {
            try await CommandProfiler(store: try ProfilerDB.inMemory()).profile(
                skill: "x", command: SkillCommand(executable: path), iterations: 1)
        }
    }

    @Test("cancelling a profile kills the running command and keeps the finished runs")
    func cancellation() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB.inMemory()
        let marker = directory.path("count")
        // The first run is quick; the second sleeps until it is killed.
        let body = "if [ -f '\(marker)' ]; then sleep 300; fi\ntouch '\(marker)'"
        let command = SkillCommand(executable: try script("second-hangs.sh", body, in: directory))
        let task = Task { try await CommandProfiler(store: db).profile(skill: "hang", command: command, iterations: 3) }
        // Wait until the first run is stored and the second has had time to start.
        for _ in 0..<200 where try db.count() == 0 { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let clock = ContinuousClock()
        let cancelled = clock.now
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(cancelled.duration(to: clock.now) < .seconds(120), "the 300 s sleep was killed")
        #expect(try db.count() == 1)
    }
}
