import Foundation
import GRDB
import Testing

@testable import SkillForge

@Suite("Reads from the rollups")
struct RollupReadTests {
    /// One run at each of these instants, 100 ms and 10 tokens each.
    private func database(at instants: [Int64]) throws -> ProfilerDB {
        let db = try ProfilerDB.inMemory()
        try db.insert(contentsOf: instants.map { run("s", ms: 100, tokensIn: 6, tokensOut: 4, at: $0) })
        return db
    }

    @Test("bucket totals read whole hours from the rollups and the ends of the window from the rows")
    func bucketTotalsReadRollups() async throws {
        let db = try database(at: [day20 + 10, day20 + hour + 10, day20 + hour + 20, day20 + 2 * hour + 5])
        // Delete the runs behind the triggers' back: only the rollups still count them.
        try await db.writer.write { db in
            try db.execute(sql: "INSERT INTO skill_rollups_suspended VALUES (1)")
            try db.execute(sql: "DELETE FROM skill_metrics")
            try db.execute(sql: "DELETE FROM skill_rollups_suspended")
        }
        let bucketing = TimeBucketing(bucket: .day, timeZone: .gmt, from: day20, to: day20 + 86_400_000)
        // [day20 + 5, day20 + 3h): the hours from day20 + 1h on are whole; the first one is not.
        let totals = try await db.bucketTotals(RunSelection(MetricsFilter(skillId: "s", window: window(day20 + 5, day20 + 3 * hour))), by: bucketing)
        #expect(totals[day20 / 86_400_000]?.runs == 3, "the two runs of the second hour and the one of the third")
        #expect(totals[day20 / 86_400_000]?.tokens == 30)
    }

    /// 2026-10-25 is 25 hours long in Paris (02:00 CEST → 02:00 CET at 01:00Z).
    /// 2026-10-24T22:30Z is 00:30 on the 25th (CEST, +2), 2026-10-25T22:30Z is 23:30 on the 25th (CET, +1),
    /// 2026-10-25T23:30Z is 00:30 on the 26th.
    @Test("day buckets in Paris across the autumn change of offset: hours stay whole")
    func parisDays() async throws {
        let instants = try ["2026-10-24T22:30:00Z", "2026-10-25T22:30:00Z", "2026-10-25T23:30:00Z"].map {
            try TimestampParser.unixMilliseconds(from: $0)
        }
        let db = try database(at: instants)
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let since = try TimestampParser.unixMilliseconds(from: "2026-10-24T22:00:00Z")
        let until = try TimestampParser.unixMilliseconds(from: "2026-10-26T23:00:00Z")
        #expect(TimeBucketing(bucket: .day, timeZone: paris, from: since, to: until).keepsHoursWhole)
        let points = try await Analyzer(store: db).timeSeries(forSkill: "s", bucket: .day, window: window(since, until), timeZone: paris)
        #expect(points.map(\.label) == ["2026-10-25", "2026-10-26"])
        #expect(points.map(\.runs) == [2, 1])
    }

    /// Kolkata is UTC+5:30: 2026-11-20T18:15Z is 23:45 on the 20th, 18:45Z is 00:15 on the 21st, one UTC hour.
    @Test("day buckets in a zone with a half-hour offset split hours: the rows answer")
    func kolkataDays() async throws {
        let instants = try ["2026-11-20T18:15:00Z", "2026-11-20T18:45:00Z"].map { try TimestampParser.unixMilliseconds(from: $0) }
        let db = try database(at: instants)
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))
        let since = try TimestampParser.unixMilliseconds(from: "2026-11-19T18:30:00Z")
        let until = try TimestampParser.unixMilliseconds(from: "2026-11-21T18:30:00Z")
        #expect(!TimeBucketing(bucket: .day, timeZone: kolkata, from: since, to: until).keepsHoursWhole)
        let points = try await Analyzer(store: db).timeSeries(forSkill: "s", bucket: .day, window: window(since, until), timeZone: kolkata)
        #expect(points.map(\.label) == ["2026-11-20", "2026-11-21"])
        #expect(points.map(\.runs) == [1, 1])
    }

    @Test("the time range of a trend without a start comes from the rollups' first run")
    func timeRange() async throws {
        let db = try database(at: [day20 + 1_234, day20 + 5 * hour + 99])
        let range = try await #require(try db.timeRange(RunSelection(MetricsFilter(skillId: "s"))))
        #expect(range.first == day20 + 1_234 && range.last == day20 + 5 * hour + 99)
        await #expect(try db.timeRange(RunSelection(MetricsFilter(skillId: "none"))) == nil)
    }

    /// 10, 20, 20 and 40 ms, and a slower run deleted again. By hand (numpy's linear rule, h = (n − 1)·p/100):
    /// p50: h = 1.5 → 20 + 0.5 · (20 − 20) = 20; p95: h = 2.85 → 20 + 0.85 · (40 − 20) = 37; p0 = 10, p100 = 40.
    /// In doubles 3 · 0.95 is 2.8499999999999996, and `numpy.percentile([10, 20, 20, 40], 95)` is 36.99999999999999.
    @Test("exact percentiles of a skill's whole history from the execution-time counts")
    func executionTimePercentiles() throws {
        let db = try ProfilerDB.inMemory()
        let stored = try [10, 20, 40, 20, 99].map { try db.insert(run("s", ms: $0)) }
        #expect(try db.delete(id: try #require(stored.last?.id)))
        try db.insert(run("other", ms: 5))
        #expect(try db.executionTimePercentiles([50, 95, 0, 100], forSkill: "s") == [20, 36.99999999999999, 10, 40])
        #expect(try db.executionTimePercentiles([50], forSkill: "none") == [])
    }

    /// 1,001 runs with many ties: times `(i · 37) mod 101 + (i mod 7) · 1,000` for i = 0…1,000. numpy 2.4,
    /// `np.percentile(v, [0, 1, 25, 49.9, 50, 50.1, 75, 90, 95, 99, 100])` →
    /// [0, 6, 1076, 3049, 3049, 3050, 5025, 6029, 6065, 6093, 6100]. The lower ranks are read walking up
    /// the counts, the upper ones walking down; through the Analyzer the rollups give the run count.
    @Test("percentiles from the counts walked from both ends match numpy, with and without a known count")
    func executionTimePercentilesFromBothEnds() async throws {
        let db = try ProfilerDB.inMemory()
        let times: [Int64] = (0...1_000).map { (i: Int64) -> Int64 in (i * 37) % 101 + (i % 7) * 1_000 }
        try await db.insert(contentsOf: times.map { run("s", ms: $0) }, duplicateRuns: .fail)
        let ps: [Double] = [0, 1, 25, 49.9, 50, 50.1, 75, 90, 95, 99, 100]
        let expected: [Double] = [0, 6, 1076, 3049, 3049, 3050, 5025, 6029, 6065, 6093, 6100]
        let counted = try #require(try db.executionTimePercentiles(ps, forSkill: "s"))
        #expect(zip(counted, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(counted)")
        let known = try await db.percentiles(ps, of: .executionMs, in: RunSelection(MetricsFilter(skillId: "s")), side: nil, count: 1_001)
        #expect(zip(known, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(known)")
    }

    /// Version "1": 10, 20, 30, 40 ms; version "2": 100, 200 (on model "m"); version "" (another tool's): 7;
    /// no version: 5.
    /// By hand (h = (n − 1)·p/100): version 1 p50 = 25; version 2 p50 = 150; model m p50 = 150;
    /// version "" p50 = 7; every run (5 7 10 20 30 40 100 200) p50: h = 3.5 → 25, p100 = 200.
    @Test("the counts give one version's or one model's percentiles; no version and an empty one stay apart")
    func executionTimePercentilesOfOneVersion() async throws {
        let db = try ProfilerDB.inMemory()
        var runs = [10, 20, 30, 40].map { run("s", ms: $0, version: "1") }
        runs += [100, 200].map { (ms: Int64) -> SkillMetrics in
            var metric = run("s", ms: ms, version: "2")
            metric.model = "m"
            return metric
        }
        runs.append(run("s", ms: 5))
        try await db.insert(contentsOf: runs, duplicateRuns: .fail)
        // An empty version, which only another tool writes: through the triggers, as its connection has them.
        try await db.write { database in
            try Rollups.setTriggers(enabled: true, on: database)
            defer { try? Rollups.setTriggers(enabled: false, on: database) }
            try database.execute(
                sql: """
                    INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version)
                    VALUES ('s', 7, 1, 1, 1, ?, '')
                    """,
                arguments: [day20])
        }
        #expect(try db.executionTimePercentiles([50], forSkill: "s", version: "1") == [25])
        #expect(try db.executionTimePercentiles([50], forSkill: "s", version: "2") == [150])
        #expect(try db.executionTimePercentiles([50], forSkill: "s", model: "m") == [150])
        #expect(try db.executionTimePercentiles([50], forSkill: "s", version: "") == [7])
        #expect(try db.executionTimePercentiles([50, 100], forSkill: "s") == [25, 200])
        #expect(try db.executionTimePercentiles([50], forSkill: "s", version: "3") == [])
        // Through the Analyzer, from the rollups and the counts, as from a pass over the runs.
        let analyzer = Analyzer(store: db)
        let counted = try #require(try await analyzer.summary(forSkill: "s", version: "2"))
        let scanned = try #require(
            try await analyzer.summary(forSkill: "s", window: TimeWindow(since: Date(unixMilliseconds: 0)), version: "2"))
        #expect(counted == scanned && counted.executionMs.p50 == 150 && counted.runs == 2)
    }
}
