import Foundation
import SkillForge
import Testing

/// 2026-11-20T00:00:00Z in Unix milliseconds.
private let day20: Int64 = 1_795_132_800_000
private let hour: Int64 = 3_600_000
private let day: Int64 = 86_400_000

/// A database file holding `runs`, written through the library (the CLI reads it as any user's file).
private func makeDatabase(_ runs: [SkillMetrics], in directory: TemporaryDirectory) async throws -> String {
    let path = directory.path("analysis.db")
    try await ProfilerDB(path: path).insert(contentsOf: runs)
    return path
}

private func metric(
    _ skillId: String, ms: Int64, tokensIn: Int64 = 10, tokensOut: Int64 = 5, success: Bool = true, at timestamp: Int64,
    version: String? = nil
) -> SkillMetrics {
    SkillMetrics(
        skillId: skillId, executionMs: ms, tokensIn: tokensIn, tokensOut: tokensOut, success: success,
        timestamp: timestamp, version: version)
}

private func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// Runs `skill-forge` with an argument array.
@discardableResult
private func skillForge(_ arguments: [String]) async throws -> ProcessResult {
    try await runProcess(skillForgeBinary, arguments)
}

@Suite("stats, trend, compare, candidates")
struct AnalysisCommandsTests {
    // MARK: - stats

    /// Four skills whose p95 (numpy's linear rule) is worked out by hand:
    /// a 10 20 30 → h = 1.9 → 29; b 500; c 100 300 → 290; d 200 200 → 200. Runs: a 3, b 1, c 2, d 2.
    static let population: [SkillMetrics] = [
        metric("d", ms: 200, at: day20), metric("a", ms: 10, at: day20 + hour), metric("a", ms: 20, at: day20 + 2 * hour),
        metric("a", ms: 30, at: day20 + 3 * hour), metric("d", ms: 200, at: day20 + 3 * hour),
        metric("b", ms: 500, success: false, at: day20 + 10 * hour), metric("c", ms: 300, at: day20 + 6 * hour),
        metric("c", ms: 100, at: day20 + 5 * hour),
    ]

    @Test("stats --sort orders skills by a measure, largest first, ties by skill id")
    func statsSort() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(Self.population, in: directory)
        func order(_ field: String?) async throws -> [String] {
            let result = try await skillForge(["stats", "--db", db, "--format", "json"] + (field.map { ["--sort", $0] } ?? []))
            #expect(result.status == 0, "\(result.stderr)")
            let rows = try #require(try json(result.stdout) as? [[String: Any]])
            return rows.compactMap { $0["skillId"] as? String }
        }
        #expect(try await order(nil) == ["a", "b", "c", "d"])
        #expect(try await order("p95") == ["b", "c", "d", "a"])
        #expect(try await order("runs") == ["a", "c", "d", "b"])
        #expect(try await order("failure-rate") == ["b", "a", "c", "d"])

        let table = try await skillForge(["stats", "--db", db, "--sort", "p95"]).stdout.split(separator: "\n")
        try #require(table.count == 5)
        #expect(table.dropFirst().map { String($0.prefix(1)) } == ["b", "c", "d", "a"])
        #expect(table[2].contains("290 ms"))

        let invalid = try await skillForge(["stats", "--db", db, "--sort", "speed"])
        #expect(invalid.status == 64)
        #expect(invalid.stderr.contains("speed"))
    }

    @Test("stats --last keeps only recent runs; an empty window prints a warning, not an empty table")
    func statsWindow() async throws {
        let directory = try TemporaryDirectory()
        let now = Date().unixMilliseconds
        let db = try await makeDatabase([
            metric("recent", ms: 40, at: now - hour), metric("recent", ms: 60, at: now - 2 * hour),
            metric("recent", ms: 1_000, at: now - 10 * day), metric("old", ms: 5, at: now - 10 * day),
        ], in: directory)
        let recent = try await skillForge(["stats", "--db", db, "--last", "7d", "--format", "json"])
        let rows = try #require(try json(recent.stdout) as? [[String: Any]])
        #expect(rows.map { $0["skillId"] as? String } == ["recent"])
        #expect(rows.first?["runs"] as? Int == 2)
        #expect((rows.first?["executionMs"] as? [String: Any])?["p50"] as? Double == 50)

        let empty = try await skillForge(["stats", "--db", db, "--since", "2030-01-01"])
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty)
        #expect(empty.stderr == "warning: no runs since 2030-01-01 00:00:00 UTC\n")

        let emptyJSON = try await skillForge(["stats", "recent", "--db", db, "--last", "30m", "--format", "json"])
        #expect(emptyJSON.stdout == "[]\n")
        #expect(emptyJSON.stderr == "warning: no runs of \"recent\" in the last 30m\n")
        #expect(try await skillForge(["stats", "--db", db, "--since", "2030-01-01", "--format", "csv"]).stdout.hasPrefix("skill_id,runs,"))
    }

    @Test("stats of one run: JSON standardDeviation is null and every percentile is the run's time")
    func statsOneRun() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase([metric("solo", ms: 75, at: day20)], in: directory)
        let rows = try #require(try json(try await skillForge(["stats", "solo", "--db", db, "--format", "json"]).stdout) as? [[String: Any]])
        let time = try #require(rows.first?["executionMs"] as? [String: Any])
        #expect(time["standardDeviation"] is NSNull)
        #expect(["p50", "p90", "p95", "p99", "mean"].map { time[$0] as? Double } == [75, 75, 75, 75, 75])
    }

    // MARK: - trend

    /// alpha: Nov 20 100 ms (15 tokens) and 200 ms (30 tokens, failed); Nov 21 600 ms (45 tokens); Nov 22 nothing.
    /// By hand: Nov 20 p50 150, p95 = 100 + 0.95 · 100 = 195, failure rate 50%, tokens 22.5.
    static let alpha: [SkillMetrics] = [
        metric("alpha", ms: 100, at: day20 + 10 * hour),
        metric("alpha", ms: 200, tokensIn: 20, tokensOut: 10, success: false, at: day20 + 11 * hour),
        metric("alpha", ms: 600, tokensIn: 30, tokensOut: 15, at: day20 + day + 9 * hour),
    ]

    @Test("trend JSON has every bucket, empty ones with null values")
    func trendJSON() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(Self.alpha, in: directory)
        let result = try await skillForge(
            ["trend", "alpha", "--db", db, "--since", "2026-11-20", "--until", "2026-11-23", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let points = try #require(try json(result.stdout) as? [[String: Any]])
        try #require(points.count == 3)
        #expect(points.map { $0["label"] as? String } == ["2026-11-20", "2026-11-21", "2026-11-22"])
        #expect(points.map { $0["start"] as? Int64 } == [day20, day20 + day, day20 + 2 * day])
        #expect(points.map { $0["runs"] as? Int } == [2, 1, 0])
        #expect(points[0]["p50"] as? Double == 150)
        #expect(abs((points[0]["p95"] as? Double ?? 0) - 195) < 1e-9)
        #expect(points[0]["failureRate"] as? Double == 0.5)
        #expect(points[0]["meanTokens"] as? Double == 22.5)
        #expect(points[2]["p95"] is NSNull && points[2]["p50"] is NSNull && points[2]["failureRate"] is NSNull)

        // Hours in another zone: 10:00 UTC is 15:30 in Kolkata.
        let hours = try await skillForge([
            "trend", "alpha", "--db", db, "--bucket", "hour", "--tz", "Asia/Kolkata", "--since", "2026-11-20T10:00:00Z",
            "--until", "2026-11-20T12:00:00Z", "--format", "json",
        ])
        let hourPoints = try #require(try json(hours.stdout) as? [[String: Any]])
        #expect(hourPoints.map { $0["label"] as? String } == ["2026-11-20 15:00", "2026-11-20 16:00", "2026-11-20 17:00"])
        #expect(hourPoints.map { $0["runs"] as? Int } == [1, 1, 0])
    }

    @Test("the trend table shows a dash for empty buckets and two sparkline lines")
    func trendTable() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(Self.alpha, in: directory)
        let result = try await skillForge(["trend", "alpha", "--db", db, "--since", "2026-11-20", "--until", "2026-11-23"])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == 8)  // header, 3 buckets, a blank line, 2 sparklines, and the final newline
        #expect(lines[0].hasPrefix("bucket"))
        #expect(lines[1].hasPrefix("2026-11-20") && lines[1].contains("195 ms") && lines[1].contains("50.0%"))
        #expect(lines[3].hasPrefix("2026-11-22") && lines[3].hasSuffix("-"))
        #expect(lines[4].isEmpty)
        // p95 195 then 600 then nothing: lowest and highest bar, and a blank for the empty day.
        #expect(lines[5] == "p95   ▁█  (195 ms … 600 ms)")
        #expect(lines[6] == "fail  █▁  (0.0% … 50.0%)")

        let none = try await skillForge(["trend", "nobody", "--db", db])
        #expect(none.status == 0)
        #expect(none.stdout.isEmpty)
        #expect(none.stderr == "warning: no runs of \"nobody\" at all\n")
        let badZone = try await skillForge(["trend", "alpha", "--db", db, "--tz", "Mars/Olympus"])
        #expect(badZone.status == 64)
        #expect(badZone.stderr.contains("'Mars/Olympus' is not a time zone"))
    }

    // MARK: - compare

    /// Version 1.0 takes `200 + (i · 37) mod 100` ms, 2.0 takes 50 ms less, for i < 30 (the library tests'
    /// "better" set): `scipy.stats.mannwhitneyu(base, cand, alternative='two-sided', method='asymptotic',
    /// use_continuity=True).pvalue` -> 8.197497229004642e-07; `np.percentile(base, 50)` -> 249.5, cand -> 199.5.
    static let versions: [SkillMetrics] = (0..<30).flatMap { (i: Int) -> [SkillMetrics] in
        let ms = Int64(200 + (i * 37) % 100)
        return [metric("s", ms: ms, at: day20, version: "1.0"), metric("s", ms: ms - 50, at: day20 + hour, version: "2.0")]
    }

    @Test("compare --exit-code: 0 for better, 1 for worse, 2 for inconclusive")
    func compareExitCodes() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(Self.versions, in: directory)
        func compare(_ arguments: String...) async throws -> ProcessResult {
            try await skillForge(["compare", "s", "--db", db] + arguments)
        }
        let better = try await compare("--baseline", "1.0", "--candidate", "2.0", "--exit-code")
        #expect(better.status == 0, "\(better.stderr)")
        #expect(better.stdout.contains("verdict: better"))
        #expect(better.stdout.hasPrefix("s: version 1.0 → version 2.0\n"))

        let worse = try await compare("--baseline", "2.0", "--candidate", "1.0", "--exit-code")
        #expect(worse.status == 1)
        #expect(worse.stdout.contains("verdict: worse"))
        #expect(try await compare("--baseline", "2.0", "--candidate", "1.0").status == 0, "without --exit-code, a verdict is no error")

        let tooFew = try await compare("--baseline", "1.0", "--candidate", "2.0", "--min-runs", "31", "--exit-code")
        #expect(tooFew.status == 2)
        #expect(tooFew.stdout.contains("verdict: not enough data"))
        #expect(tooFew.stdout.contains("only 30 runs on one side; at least 31 are needed"))

        let same = try await compare("--baseline", "1.0", "--candidate", "1.0", "--exit-code")  // a run counts for the baseline only
        #expect(same.status == 2)
        #expect(same.stdout.contains("no runs of s for version 1.0"))

        let missing = try await compare("--baseline", "1.0")
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("Give the candidate"))
    }

    @Test("compare --format json has the verdict and the tests, numbers as numbers")
    func compareJSON() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(Self.versions, in: directory)
        let result = try await skillForge(["compare", "s", "--db", db, "--baseline", "1.0", "--candidate", "2.0", "--format", "json"])
        let object = try #require(try json(result.stdout) as? [String: Any])
        #expect(object["verdict"] as? String == "better")
        let latency = try #require(object["latency"] as? [String: Any])
        let test = try #require(latency["test"] as? [String: Any])
        #expect(test["method"] as? String == "mann-whitney-u")
        #expect(test["direction"] as? String == "better")
        let p = try #require(test["pValue"] as? Double)
        #expect(abs(p - 8.197497229004642e-07) <= 1e-9 * 8.197497229004642e-07)
        #expect((latency["p50"] as? [String: Any])?["baseline"] as? Double == 249.5)
        #expect((latency["p50"] as? [String: Any])?["candidate"] as? Double == 199.5)
        #expect((object["baseline"] as? [String: Any])?["runs"] as? Int == 30)
        #expect(((object["failureRate"] as? [String: Any])?["test"] as? [String: Any])?["statistic"] is NSNull)

        // Windows as sides, CSV.
        let csv = try parseCSV(
            try await skillForge([
                "compare", "s", "--db", db, "--baseline-window", "2026-11-20T00:00:00Z..2026-11-20T00:30:00Z",
                "--candidate-window", "2026-11-20T00:30:00Z..", "--format", "csv",
            ]).stdout)
        try #require(csv.count == 8)
        #expect(
            csv.map { $0["measure"] }
                == ["runs", "latency_p50", "latency_p95", "tokens_mean", "tokens_p95", "cost_mean", "failure_rate", "verdict"])
        #expect(csv.first?["baseline"] == "30")
        #expect(csv[1]["candidate"].flatMap(Double.init) == 199.5)
        #expect(csv[1]["direction"] == "better")
    }

    // MARK: - candidates

    @Test("candidates lists the skills worth optimising with their reasons")
    func candidates() async throws {
        let directory = try TemporaryDirectory()
        let now = Date().unixMilliseconds
        // 20 runs each in the last day: "slow" takes 1,000 ms, the others 100 ms, so the median skill's p95 is
        // 100 ms and slow is 10× it: severity 10 / 2 = 5 → optimize.
        var runs: [SkillMetrics] = []
        for skill in ["fast", "quick", "slow"] {
            for i in 0..<20 {
                runs.append(metric(skill, ms: skill == "slow" ? 1_000 : 100, at: now - Int64(i + 1) * 60_000))
            }
        }
        runs.append(metric("rare", ms: 50_000, at: now - hour))
        let db = try await makeDatabase(runs, in: directory)

        let table = try await skillForge(["candidates", "--db", db])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout == "  1. slow  optimize  score 5\n       - p95 1.00 s, 10.0x the median skill (100 ms)\n")

        let all = try await skillForge(["candidates", "--db", db, "--all", "--format", "json"])
        let rows = try #require(try json(all.stdout) as? [[String: Any]])
        #expect(rows.map { $0["skillId"] as? String } == ["slow", "fast", "quick", "rare"])
        #expect(rows.map { $0["recommendation"] as? String } == ["optimize", "ok", "ok", "not judged"])
        #expect(rows.first?["score"] as? Double == 5)
        #expect(rows.last?["reasons"] as? [String] == ["only 1 run in the last 1w: too few to judge"])

        // A higher bar: 10× is no longer slow at a factor of 20.
        let lenient = try await skillForge(["candidates", "--db", db, "--slow-factor", "20"])
        #expect(lenient.stdout.hasPrefix("Nothing stands out in the last 1w"))
        #expect(try await skillForge(["candidates", "--db", db, "--slow-factor", "1"]).status == 64)
    }

    @Test("every analysis command explains itself with examples", arguments: ["stats", "trend", "compare", "candidates"])
    func help(_ command: String) async throws {
        let result = try await skillForge([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OVERVIEW:"))
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("skill-forge \(command) "))
    }
}
