import Foundation
import Testing

@testable import SkillForge

@Suite("ProfilerDB reads and writes")
struct ProfilerDBTests {
    // MARK: - The seed's four calls

    @Test("insert returns the stored row with its id, and every column round-trips")
    func insertRoundTrip() throws {
        let db = try ProfilerDB.inMemory()
        let full = SkillMetrics(
            skillId: "summarise", executionMs: 840, tokensIn: 1_200, tokensOut: 310, success: false,
            timestamp: day20 + 1_234, version: "2.1.0", model: "claude-sonnet-4-5", error: "HTTP 529 overloaded",
            tokensEstimated: false, cacheReadTokens: 900, cacheCreationTokens: 64, sessionId: "session-1",
            runId: "run-1", source: "cli", metadata: #"{"attempt":2}"#)
        let stored = try db.insert(full)
        #expect(stored.id == 1)
        var expected = full
        expected.id = 1
        #expect(stored == expected)
        #expect(try db.metric(id: 1) == expected)
        #expect(try db.insert(run()).id == 2)
    }

    @Test("metrics(forSkill:) returns that skill's runs oldest first")
    func metricsForSkill() throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(run("a", ms: 3, at: day20 + 3 * hour))
        try db.insert(run("b", ms: 9))
        try db.insert(run("a", ms: 1, at: day20 + 1 * hour))
        try db.insert(run("a", ms: 2, at: day20 + 2 * hour))
        #expect(try db.metrics(forSkill: "a").map(\.executionMs) == [1, 2, 3])
        #expect(try db.metrics(forSkill: "nobody").isEmpty)
    }

    @Test("allSkills() lists each skill once, in byte order")
    func allSkills() throws {
        let db = try ProfilerDB.inMemory()
        #expect(try db.allSkills().isEmpty)
        for name in ["zeta", "Alpha", "beta", "zeta", "beta", "émoji-✨"] { try db.insert(run(name)) }
        #expect(try db.allSkills() == ["Alpha", "beta", "zeta", "émoji-✨"])
    }

    @Test("averageMetrics(forSkill:) matches a hand-worked example and is nil for unknown skills")
    func averages() throws {
        let db = try ProfilerDB.inMemory()
        // By hand: times 100, 200, 600 → mean 300; tokens 15, 30, 45 → mean 30; 1 failure of 3.
        try db.insert(run("s", ms: 100, tokensIn: 10, tokensOut: 5))
        try db.insert(run("s", ms: 200, tokensIn: 20, tokensOut: 10, success: false))
        try db.insert(run("s", ms: 600, tokensIn: 30, tokensOut: 15))
        try db.insert(run("other", ms: 5_000, tokensIn: 1, tokensOut: 1, success: false))

        let averages = try #require(try db.averageMetrics(forSkill: "s"))
        #expect(averages.skillId == "s")
        #expect(averages.avgExecutionMs == 300)
        #expect(averages.avgTokens == 30)
        #expect(averages.totalRuns == 3)
        #expect(abs(averages.failureRate - 1.0 / 3.0) < 1e-12)
        #expect(try db.averageMetrics(forSkill: "missing") == nil)
        #expect(try db.averageMetrics().map(\.skillId) == ["other", "s"])
        #expect(try db.averageMetrics().first?.failureRate == 1)
    }

    // MARK: - Filters

    @Test("filters: since is inclusive, until exclusive; limit and newest-first apply")
    func filters() throws {
        let db = try ProfilerDB.inMemory()
        for offset in 0..<5 { try db.insert(run("s", ms: Int64(offset), at: day20 + Int64(offset) * hour)) }
        try db.insert(run("s", ms: 99, at: day20 + 2 * hour, version: "2"))
        let window = TimeWindow(since: Date(unixMilliseconds: day20 + hour), until: Date(unixMilliseconds: day20 + 3 * hour))
        #expect(try db.metrics(matching: MetricsFilter(skillId: "s", window: window)).map(\.executionMs) == [1, 2, 99])
        #expect(try db.metrics(matching: MetricsFilter(skillId: "s", version: "2")).map(\.executionMs) == [99])
        let newest = MetricsFilter(skillId: "s", order: .newestFirst, limit: 2)
        #expect(try db.metrics(matching: newest).map(\.executionMs) == [4, 3])
        #expect(try db.count(matching: newest) == 6, "count ignores the limit")
    }

    @Test("forEachMetric streams rows in order and passes the body's error through")
    func streaming() throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(contentsOf: (1...1_000).map { run("s", ms: Int64($0), at: day20 + Int64($0)) })
        var seen: [Int64] = []
        try db.forEachMetric(matching: MetricsFilter(skillId: "s")) { seen.append($0.executionMs) }
        #expect(seen == Array(1...1_000))

        struct Stop: Error, Equatable {}
        var visited = 0
        #expect(throws: Stop()) {
            try db.forEachMetric(matching: MetricsFilter()) { _ in
                visited += 1
                if visited == 3 { throw Stop() }
            }
        }
        #expect(visited == 3)
    }

    // MARK: - Batches

    @Test("a batch is all or nothing: one invalid row writes none")
    func batchIsAtomic() throws {
        let db = try ProfilerDB.inMemory()
        var rows = (0..<10).map { run("s", ms: Int64($0)) }
        rows[7].tokensIn = -3
        #expect(throws: ProfilerError.invalidMetric(InvalidField(field: "tokens_in", number: -3, problem: "must be zero or more"))) {
            try db.insert(contentsOf: rows)
        }
        #expect(try db.count() == 0)
        rows[7].tokensIn = 3
        #expect(try db.insert(contentsOf: rows) == BatchInsertResult(inserted: 10, skipped: 0))
        #expect(try db.count() == 10)
    }

    @Test("run ids are unique: a duplicate fails, or is skipped on request")
    func duplicateRunIds() throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(run(runId: "r1"))
        #expect(throws: ProfilerError.duplicateRunId("r1")) { try db.insert(run(runId: "r1")) }
        #expect(throws: ProfilerError.duplicateRunId("r1")) {
            try db.insert(contentsOf: [run(runId: "r2"), run(runId: "r1")])
        }
        #expect(try db.count() == 1, "the failed batch wrote nothing, r2 included")

        let result = try db.insert(contentsOf: [run(runId: "r2"), run(runId: "r1"), run(), run()], duplicateRuns: .skip)
        #expect(result == BatchInsertResult(inserted: 3, skipped: 1))
        #expect(try db.count() == 4, "rows without a run id are never duplicates")
    }

    // MARK: - Update and delete

    @Test("update replaces a stored row; updating a missing id throws")
    func update() throws {
        let db = try ProfilerDB.inMemory()
        var stored = try db.insert(run("s", ms: 10))
        stored.executionMs = 20
        stored.version = "1.1"
        try db.update(stored)
        #expect(try db.metric(id: try #require(stored.id)) == stored)

        stored.id = 404
        #expect(throws: ProfilerError.metricNotFound(id: 404)) { try db.update(stored) }
        stored.id = nil
        #expect(throws: ProfilerError.self) { try db.update(stored) }
        var invalid = try #require(try db.metric(id: 1))
        invalid.skillId = ""
        #expect(throws: ProfilerError.invalidMetric(InvalidField(field: "skill_id", value: "", problem: "must not be empty"))) {
            try db.update(invalid)
        }
        #expect(try db.metric(id: 1)?.skillId == "s")
    }

    @Test("delete by id, by skill, and prune by age")
    func deletes() throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(run("a", at: day20 - 48 * hour))
        try db.insert(run("a", at: day20))
        try db.insert(run("b", at: day20 - 48 * hour))
        try db.insert(run("b", at: day20 + hour))

        #expect(try db.delete(id: 2))
        #expect(try db.delete(id: 2) == false)
        #expect(try db.prune(before: Date(unixMilliseconds: day20)) == 2)
        #expect(try db.metrics(matching: MetricsFilter()).map(\.id) == [4])
        #expect(try db.deleteMetrics(forSkill: "b") == 1)
        #expect(try db.count() == 0)
    }

    @Test("skill run counts give runs and the latest start per skill")
    func runCounts() throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(run("b", at: day20))
        try db.insert(run("a", at: day20 + 5))
        try db.insert(run("b", at: day20 + 9))
        #expect(
            try db.skillRunCounts() == [
                SkillRunCount(skillId: "a", runs: 1, lastRun: day20 + 5),
                SkillRunCount(skillId: "b", runs: 2, lastRun: day20 + 9),
            ])
    }

    @Test("the async insert stores the row too")
    func asyncInsert() async throws {
        let db = try ProfilerDB.inMemory()
        let stored = try await db.insert(run("async"))
        #expect(stored.id == 1)
        await #expect(try db.allSkills() == ["async"])
    }
}
