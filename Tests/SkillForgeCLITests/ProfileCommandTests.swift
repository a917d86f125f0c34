import Foundation
import Testing

@Suite("skill-forge profile")
struct ProfileCommandTests {
    @Test("the seed's success check: profile a skill, then sqlite3 shows the rows")
    func seedSuccessCheck() async throws {
        let sqlite3 = try #require(sqlite3Path, "the seed's check uses the sqlite3 shell")
        let directory = try TemporaryDirectory()
        let script = packageRoot.appendingPathComponent("Examples/skills/time-tracker/run.sh").path
        // No --db: the default ./skill-forge.db in the working directory, as the README says.
        let profile = try await skillForge(
            "profile", "--skill", "time-tracker", "--iterations", "5", "--", script, in: directory.url)
        #expect(profile.status == 0, "\(profile.stderr)")
        #expect(profile.stdout.contains("Skill: time-tracker (5 runs)"))
        #expect(profile.stdout.contains("Time (mean ± σ)"))
        #expect(profile.stdout.contains("p50 / p95"))
        #expect(profile.stdout.contains("Failures:            0 of 5"))
        #expect(profile.stdout.contains("reported by the skill"))

        let rows = try await runProcess(sqlite3, [directory.path("skill-forge.db"), "SELECT * FROM skill_metrics;"])
        #expect(rows.status == 0)
        let lines = rows.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        for (index, line) in lines.enumerated() {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            #expect(fields[0] == "\(index + 1)")
            #expect(fields[1] == "time-tracker")
            #expect(Int(fields[2]).map { $0 >= 0 } == true)
            #expect(fields[5] == "1", "success")
        }
    }

    @Test(
        "SIGINT or SIGTERM during a run: the runs before it stay stored, the profiled command is killed, exit 130 or 143",
        arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] as [(Int32, Int32)])
    func interruptedProfile(signal: Int32, status: Int32) async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("runs.db")
        // The first run ends at once; the second writes its process id, then sleeps.
        let script = """
            if [ -e "$1/first" ]; then echo $$ > "$1/second.tmp"; mv "$1/second.tmp" "$1/second"; exec sleep 600; fi
            touch "$1/first"
            """
        let profile = try RunningProcess(
            ["profile", "--db", db, "--skill", "sleepy", "--iterations", "3", "--warmup", "0", "--",
             "/bin/sh", "-c", script, "sh", directory.url.path])
        let second = directory.path("second")
        // The second run starts once the first is stored.
        let signalled = await profile.send(signal) { FileManager.default.fileExists(atPath: second) }
        #expect(signalled)
        #expect(await profile.waitForExit() == status)

        #expect(try await sqlite3(db, "SELECT skill_id, success FROM skill_metrics").stdout == "sleepy|1\n")
        let sleeper = try #require(Int32(try String(contentsOfFile: second, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // The killed command may take a moment to end; a zombie nobody reaps has ended too.
        func isRunning() -> Bool {
            guard kill(sleeper, 0) == 0 else { return false }
            let stat = (try? String(contentsOfFile: "/proc/\(sleeper)/stat", encoding: .utf8)) ?? ""
            return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
        }
        var alive = true
        for _ in 0..<100 where alive {
            alive = isRunning()
            if alive { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(!alive, "the profiled command (pid \(sleeper)) outlives the profile")
    }

    @Test("a failing skill is recorded as failures with its last stderr line; profile itself succeeds")
    func failingSkill() async throws {
        let directory = try TemporaryDirectory()
        let script = packageRoot.appendingPathComponent("Examples/skills/flaky-fetch/run.sh").path
        let db = directory.path("flaky.db")
        let result = try await skillForge(
            "profile", "--db", db, "--skill", "flaky-fetch", "--iterations", "3", "--warmup", "1", "--", script,
            environment: ["FLAKY_FAILURE_RATE": "100"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Failures:            3 of 3 (100.0%)"))
        #expect(result.stdout.contains("HTTP 429 Too Many Requests"))
        #expect(result.stdout.contains("estimated from stdin/stdout bytes"))

        let json = try await skillForge("metrics", "flaky-fetch", "--db", db, "--format", "json")
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 3, "warm-up runs are not recorded")
        #expect(rows?.allSatisfy { ($0["success"] as? Bool) == false } == true)
        #expect(rows?.first?["error"] as? String == "flaky-fetch: HTTP 429 Too Many Requests (retry after 2 s)")
    }

    @Test("profile --format json prints the summary and the stored runs")
    func jsonSummary() async throws {
        let directory = try TemporaryDirectory()
        let script = packageRoot.appendingPathComponent("Examples/skills/time-tracker/run.sh").path
        let result = try await skillForge(
            "profile", "--db", directory.path("j.db"), "--skill", "tt", "--iterations", "2", "--version", "1.2",
            "--format", "json", "--", script)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["runs"] as? Int == 2)
        #expect(summary["failures"] as? Int == 0)
        #expect(summary["p95Ms"] is Double)
        #expect((object["runs"] as? [[String: Any]])?.map { $0["version"] as? String } == ["1.2", "1.2"])
    }

    @Test("bad profile invocations fail before running anything, and record nothing", arguments: [
        ["--skill", "x"],
        ["--skill", "x", "--iterations", "0", "--", "/bin/true"],
        ["--skill", "x", "--timeout", "-1", "--", "/bin/true"],
        ["--skill", "x", "--", "/no/such/command"],
        ["--skill", "", "--", "/bin/true"],
    ])
    func invalidInvocations(_ arguments: [String]) async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("never.db")
        let result = try await runProcess(skillForgeBinary, ["profile", "--db", db] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("Error: "))
        if FileManager.default.fileExists(atPath: db), let sqlite3 = sqlite3Path {
            #expect(try await runProcess(sqlite3, [db, "SELECT COUNT(*) FROM skill_metrics"]).stdout == "0\n")
        }
    }
}
