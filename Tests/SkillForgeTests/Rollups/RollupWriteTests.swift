import Foundation
import GRDB
import Testing

@testable import SkillForge

/// A deterministic variety of valid runs: three skills, no version or one of
/// three, no model or one, spread over six hours, some failures,
/// estimated tokens and cache tokens.
func variedRun(_ index: Int, runId: String? = nil) -> SkillMetrics {
    let versions: [String?] = [nil, "1.0", "2.0", "3.0"]
    return SkillMetrics(
        skillId: ["alpha", "beta", "gamma"][index % 3],
        executionMs: Int64(50 + (index * 37) % 900),
        tokensIn: Int64(100 + index * 7), tokensOut: Int64(20 + index * 3),
        success: index % 5 != 0,
        timestamp: day20 + Int64(index) * 611_000,  // about 10 minutes apart: 6 hours for 36 runs
        version: versions[index % 4], model: index % 2 == 0 ? nil : "model-a",
        tokensEstimated: index % 7 == 0 ? true : (index % 3 == 0 ? nil : false),
        cacheReadTokens: index % 4 == 0 ? nil : Int64(index * 11),
        cacheCreationTokens: index % 6 == 0 ? Int64(index) : nil,
        runId: runId)
}

@Suite("Rollups follow Skill Forge's own writes")
struct RollupWriteTests {
    @Test("a hand-worked example: four runs of one skill in three hours")
    func handWorkedExample() throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(run("a", ms: 100, tokensIn: 10, tokensOut: 5, at: day20))
        try db.insert(run("a", ms: 300, tokensIn: 20, tokensOut: 10, success: false, at: day20 + 1_000))
        try db.insert(run("a", ms: 200, tokensIn: 30, tokensOut: 15, at: day20 + hour))
        try db.insert(run("a", ms: 400, tokensIn: 40, tokensOut: 20, at: day20 + 2 * hour + 10))

        let hourly = try db.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT hour || '|' || runs || '|' || failures || '|' || execution_ms_sum || '|' || execution_ms_min
                           || '|' || execution_ms_max
                    FROM skill_rollups ORDER BY hour
                    """)
        }
        let firstHour = day20 / hour  // 2026-11-20T00:00Z is hour 498,648
        #expect(firstHour == 498_648)
        #expect(hourly == ["498648|2|1|400|100|300", "498649|1|0|200|200|200", "498650|1|0|400|400|400"])

        let last = day20 + 2 * hour + 10
        let all = try #require(try db.skillTotals(matching: MetricsFilter()).skills.first)
        #expect(all.line == "a|4|1|1000|100|400|100|50|0|0|0|\(day20)|\(last)|4")
        #expect(all.totals.executionMsSquares == 300_000)  // 100² + 300² + 200² + 400²
        let averages = try #require(try db.averageMetrics(forSkill: "a"))
        #expect(averages == AggregatedMetrics(skillId: "a", avgExecutionMs: 250, avgTokens: 37.5, totalRuns: 4, failureRate: 0.25))

        // A window on whole hours reads the last two hours; one with ragged ends
        // reads its whole hour from the rollups and the parts of hours at its ends from the rows.
        let second = try db.skillTotals(matching: MetricsFilter(window: window(day20 + hour, nil)))
        #expect(second.skills.map(\.line) == ["a|2|0|600|200|400|70|35|0|0|0|\(day20 + hour)|\(last)|2"])
        let ragged = try db.skillTotals(matching: MetricsFilter(window: window(day20 + 500, last + 1)))
        #expect(ragged.skills.map(\.line) == ["a|3|1|900|200|400|90|45|0|0|0|\(day20 + 1_000)|\(last)|3"])
        let withinAnHour = try db.skillTotals(matching: MetricsFilter(window: window(day20 + 500, day20 + 2_000)))
        #expect(withinAnHour.skills.map(\.line) == ["a|1|1|300|300|300|20|10|0|0|0|\(day20 + 1_000)|\(day20 + 1_000)|1"])
    }

    @Test("single inserts")
    func singleInserts() throws {
        let db = try ProfilerDB.inMemory()
        for index in 0..<36 { try db.insert(variedRun(index)) }
        try expectRollupsMatchRows(db.writer)
        #expect(try staleGroups(db.writer) == 0)
    }

    @Test("a batch counts the runs it stored, not the duplicates it skipped; a failed batch counts nothing")
    func batches() throws {
        let db = try ProfilerDB.inMemory()
        let first = (0..<20).map { variedRun($0, runId: "run-\($0)") }
        #expect(try db.insert(contentsOf: first, duplicateRuns: .skip) == BatchInsertResult(inserted: 20, skipped: 0))
        // Runs 10-19 again, with other values: skipped, so their values must not count.
        let second = (10..<30).map { index in
            var metric = variedRun(index + 100, runId: "run-\(index)")
            metric.skillId = "alpha"
            return metric
        }
        #expect(try db.insert(contentsOf: second, duplicateRuns: .skip) == BatchInsertResult(inserted: 10, skipped: 10))
        try expectRollupsMatchRows(db.writer)
        #expect(try db.skillRunCounts().map(\.runs).reduce(0, +) == 30)

        #expect(throws: ProfilerError.duplicateRunId("run-3")) {
            try db.insert(contentsOf: [variedRun(50, runId: "new"), variedRun(51, runId: "run-3")])
        }
        try expectRollupsMatchRows(db.writer)
        #expect(try db.skillRunCounts().map(\.runs).reduce(0, +) == 30)
    }

    @Test("batches (as an import writes them) commit their rollups with each transaction; a failed one rolls them back")
    func batches() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB(path: directory.path("stream.db"))
        let runs = (0..<22).map { variedRun($0, runId: "s-\($0 % 18)") }
        var result = BatchInsertResult()
        for start in stride(from: 0, to: runs.count, by: 4) {
            let batch = try await db.insert(contentsOf: Array(runs[start..<min(start + 4, runs.count)]), duplicateRuns: .skip)
            result.inserted += batch.inserted
            result.skipped += batch.skipped
        }
        #expect(result == BatchInsertResult(inserted: 18, skipped: 4))
        try expectRollupsMatchRows(db.writer)

        // A batch with an invalid run fails whole: no row, no rollup.
        var broken = variedRun(300)
        broken.executionMs = -1
        await #expect(throws: ProfilerError.self) {
            try await db.insert(contentsOf: (0..<12).map { variedRun(200 + $0) } + [broken], duplicateRuns: .skip)
        }
        #expect(try db.count() == 18)
        try expectRollupsMatchRows(db.writer)
    }

    @Test("an update moves a run between groups")
    func update() throws {
        let db = try ProfilerDB.inMemory()
        let stored = try (0..<12).map { try db.insert(variedRun($0)) }
        var moved = stored[4]
        moved.skillId = "delta"
        moved.timestamp += 3 * hour
        moved.version = moved.version == nil ? "9.9" : nil
        moved.executionMs = 5
        try db.update(moved)
        var same = stored[5]
        same.tokensIn = 1_000_000
        try db.update(same)
        try expectRollupsMatchRows(db.writer)
        #expect(throws: ProfilerError.metricNotFound(id: 99)) {
            var missing = stored[0]
            missing.id = 99
            try db.update(missing)
        }
        #expect(try staleGroups(db.writer) == 0)
    }

    @Test("deleting a run, a skill's runs up to an id, and pruning to a time inside an hour")
    func deletions() throws {
        let db = try ProfilerDB.inMemory()
        let stored = try (0..<36).map { try db.insert(variedRun($0)) }
        // The fastest and the slowest run of alpha: the extremes must be recomputed.
        let alpha = stored.filter { $0.skillId == "alpha" }
        for extreme in [alpha.min { $0.executionMs < $1.executionMs }, alpha.max { $0.executionMs < $1.executionMs }] {
            #expect(try db.delete(id: try #require(extreme?.id)))
        }
        #expect(try db.delete(id: 999) == false)
        try expectRollupsMatchRows(db.writer)

        let lastBeta = try #require(stored.filter { $0.skillId == "beta" }.dropLast(2).last?.id)
        #expect(try db.deleteMetrics(forSkill: "beta", upToId: lastBeta) == 10)
        try expectRollupsMatchRows(db.writer)

        let boundary = day20 + 2 * hour + 1_234_567  // inside the third hour
        let older = try db.writer.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM skill_metrics WHERE timestamp < ?", arguments: [boundary])
        }
        #expect(try db.prune(before: Date(unixMilliseconds: boundary)) == older)
        try expectRollupsMatchRows(db.writer)
        let firstHour = try db.writer.read { try Int64.fetchOne($0, sql: "SELECT MIN(hour) FROM skill_rollups") }
        #expect(firstHour == (day20 + 2 * hour) / hour)
        #expect(try staleGroups(db.writer) == 0)
    }

    @Test("NULL and empty versions and models are different groups; so are two spellings of é")
    func keysStayApart() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("keys.db")
        let db = try ProfilerDB(path: path)
        // Skill Forge refuses empty versions and models; other tools write them (through the triggers).
        try shell(
            path,
            """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, model)
            VALUES ('s', 20, 1, 1, 1, \(day20), '', NULL), ('s', 40, 1, 1, 1, \(day20 + 1), '', ''),
                   ('s', 60, 1, 1, 1, \(day20 + 2), NULL, '')
            """)
        var runs = [run("s", ms: 10, at: day20 + 3), run("s", ms: 30, at: day20 + 4, version: "1.0")]
        runs.append(run("caf\u{E9}", ms: 1))  // composed
        runs.append(run("cafe\u{301}", ms: 2))  // decomposed: equal as Swift strings, two skills to SQLite
        try db.insert(contentsOf: runs)
        try expectRollupsMatchRows(db.writer)
        let groups = try db.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM skill_rollups WHERE skill_id = 's'") }
        #expect(groups == 5)  // ('', NULL), ('', ''), (NULL, ''), (NULL, NULL), ('1.0', NULL)
        let versions = try db.versionRunCounts(forSkill: "s")
        #expect(versions.map(\.version) == ["", nil, "1.0"])
        #expect(versions.map(\.runs) == [2, 2, 1])
        #expect(try db.skillRunCounts().map { Array($0.skillId.utf8).count } == [6, 5, 1])
    }

    @Test("a transaction that keeps the rollups by hand refuses a connection with the triggers on (they would count twice)")
    func triggersOnAreRefused() async throws {
        let db = try ProfilerDB.inMemory()
        await #expect(throws: DatabaseError.self) {
            try await db.writer.write { database in
                try Rollups.setTriggers(enabled: true, on: database)
                defer { try? Rollups.setTriggers(enabled: false, on: database) }
                _ = try ProfilerDB.insert(run("a"), into: database)
            }
        }
        #expect(try await db.lastId() == nil)
        try await db.insert(run("a"))
        #expect(try await db.skillTotals(matching: MetricsFilter()).skills.map(\.totals.runs) == [1])
    }

    @Test("execution-time keys are written in the table's key order: skill by its bytes, then time")
    func executionTimeKeyOrder() {
        func key(_ skill: String, _ ms: Int64) -> ExecutionTimeKey {
            ExecutionTimeKey(skillId: ExactText(skill), executionMs: ms)
        }
        // SQLite's BINARY order, worked out by hand: "B" (0x42) < "a" (0x61) < "e\u{301}" (0x65 0xCC 0x81) < "é" (0xC3 0xA9).
        let shuffled = [key("é", 1), key("a", 900), key("e\u{301}", 5), key("B", 7), key("a", 40)]
        let sorted = shuffled.sorted { $0.precedes($1) }
        #expect(sorted.map { Array($0.skillId.text.utf8) } == [[0x42], [0x61], [0x61], [0x65, 0xCC, 0x81], [0xC3, 0xA9]])
        #expect(sorted.map(\.executionMs) == [7, 40, 900, 5, 1])
        #expect(!key("a", 40).precedes(key("a", 40)))
        // Then by version and model: none (stored as the integer 0) first, then texts by their bytes.
        func keyed(_ version: String?, _ model: String?) -> ExecutionTimeKey {
            ExecutionTimeKey(skillId: ExactText("a"), executionMs: 1, version: version.map(ExactText.init), model: model.map(ExactText.init))
        }
        let versions = [keyed("b", nil), keyed(nil, "m"), keyed("a", "z"), keyed(nil, nil), keyed("a", "Z")].sorted { $0.precedes($1) }
        #expect(versions.map { [$0.version?.text, $0.model?.text] } == [[nil, nil], [nil, "m"], ["a", "Z"], ["a", "z"], ["b", nil]])
    }
}
