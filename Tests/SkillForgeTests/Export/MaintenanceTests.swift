import Foundation
import Testing

@testable import SkillForge

/// The size of a file, or 0.
private func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}

/// `count` rows of about 2 KB each.
private func bulkyRows(_ count: Int, skill: String) -> [SkillMetrics] {
    (0..<count).map { index in
        SkillMetrics(
            skillId: skill, executionMs: Int64(index), tokensIn: 1, tokensOut: 1, success: true, timestamp: day20 + Int64(index),
            error: String(repeating: "x", count: 2_000), runId: "\(skill)-\(index)")
    }
}

@Suite("vacuum and backup")
struct MaintenanceTests {
    @Test("vacuum gives back the space deleted rows left, keeps the rows, and empties the log")
    func vacuum() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("data.db")
        let db = try ProfilerDB(path: path)
        try db.insert(contentsOf: bulkyRows(5_000, skill: "old"))
        try db.insert(contentsOf: bulkyRows(100, skill: "kept"))
        let kept = try db.metrics(matching: MetricsFilter(skillId: "kept", order: .insertion))
        #expect(try db.deleteMetrics(forSkill: "old") == 5_000)

        let (before, after) = try db.vacuum()
        // 5,100 rows of 2 KB: over 10 MB before; 100 rows: well under 1 MB after.
        #expect(before > 10_000_000)
        #expect(after < 1_000_000)
        #expect(after == fileSize(path) + fileSize(path + "-wal"))
        #expect(fileSize(path + "-wal") == 0)
        #expect(try db.metrics(matching: MetricsFilter(skillId: "kept", order: .insertion)) == kept)
        #expect(try db.count() == 100)
        // Writing goes on afterwards.
        try db.insert(SkillMetrics(skillId: "new", executionMs: 1, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20))
        #expect(try db.count() == 101)
        // Again, with nothing to give back: no growth.
        let (_, again) = try db.vacuum()
        #expect(again <= after + 8_192)

        // In memory there is no file: both sizes are 0.
        let memory = try ProfilerDB.inMemory()
        try memory.insert(contentsOf: bulkyRows(10, skill: "m"))
        let sizes = try memory.vacuum()
        #expect(sizes.before == 0 && sizes.after == 0)
        #expect(try memory.count() == 10)
    }

    @Test("backup writes a database that opens with the same rows, even rows still in the write-ahead log")
    func backup() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB(path: directory.path("live.db"))
        try await db.insert(contentsOf: bulkyRows(300, skill: "a"))
        try await db.insert(SkillMetrics(
            skillId: "full", executionMs: 1, tokensIn: 2, tokensOut: 3, success: false, timestamp: day20, version: "v", model: "m",
            error: "e", tokensEstimated: true, cacheReadTokens: 4, cacheCreationTokens: 5, sessionId: "s", runId: "r", source: "cli",
            metadata: #"{"a":1}"#))
        #expect(fileSize(directory.path("live.db-wal")) > 0)
        let original = try db.metrics(matching: MetricsFilter(order: .insertion))

        let copyPath = directory.path("backup.db")
        try await db.backup(to: copyPath)
        let copy = try ProfilerDB(path: copyPath, createIfNeeded: false)
        #expect(try copy.metrics(matching: MetricsFilter(order: .insertion)) == original)
        // A complete database: it takes writes, and its run ids are still unique.
        try await copy.insert(SkillMetrics(skillId: "b", executionMs: 1, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20))
        await #expect(throws: ProfilerError.duplicateRunId("r")) {
            try await copy.insert(SkillMetrics(skillId: "c", executionMs: 1, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20, runId: "r"))
        }
        // The live database is untouched.
        #expect(try db.count() == 301)
    }

    @Test("backup never overwrites a file, and needs its directory to exist")
    func backupRefusals() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB(path: directory.path("live.db"))
        try await db.insert(contentsOf: bulkyRows(3, skill: "a"))

        let existing = directory.path("existing.db")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: existing))
        await #expect(throws: ProfilerError.cannotOpen(
            path: existing, reason: "it already exists, and a backup replaces a file only when told to")
        ) {
            try await db.backup(to: existing)
        }
        #expect(FileManager.default.contents(atPath: existing) == Data("precious".utf8))

        let nowhere = directory.path("missing/dir/backup.db")
        await #expect(throws: ProfilerError.directoryNotFound(path: nowhere)) { try await db.backup(to: nowhere) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing")))

        // An in-memory database can be backed up to a file too.
        let memory = try ProfilerDB.inMemory()
        try await memory.insert(contentsOf: bulkyRows(2, skill: "m"))
        try await memory.backup(to: directory.path("from-memory.db"))
        #expect(try ProfilerDB(path: directory.path("from-memory.db")).count() == 2)
    }
}
