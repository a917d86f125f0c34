import Dispatch
import Foundation
import Testing

@testable import SkillForge

@Suite("Concurrent writers")
struct ConcurrencyTests {
    @Test("many tasks sharing one ProfilerDB lose no row")
    func sharedInstance() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB(path: directory.path("shared.db"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<250 { try await db.insert(run("writer-\(writer)", ms: Int64(index))) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try db.count() == 2_000)
        await #expect(try db.allSkills().count == 8)
        let ids = try db.metrics(matching: MetricsFilter(order: .insertion)).compactMap(\.id)
        #expect(ids == Array(1...2_000))
    }

    @Test("independent connections on one new file (as separate processes have) race to create it and lose nothing")
    func independentConnections() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("raced.db")
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            do {
                // Each thread opens its own pool at the same moment: migrations race too.
                let db = try ProfilerDB(path: path)
                for index in 0..<100 { try db.insert(run("writer-\(writer)", ms: Int64(index))) }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let db = try ProfilerDB(path: path)
        #expect(try db.count() == 800)
        for writer in 0..<8 {
            #expect(try db.count(matching: MetricsFilter(skillId: "writer-\(writer)")) == 100)
        }
    }

    @Test("readers see consistent snapshots while writers write")
    func readersDuringWrites() async throws {
        let directory = try TemporaryDirectory()
        let db = try ProfilerDB(path: directory.path("read-write.db"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Every batch has 10 runs of 100 ms: any snapshot averages exactly 100 ms.
                for _ in 0..<100 { try db.insert(contentsOf: (0..<10).map { _ in run("s", ms: 100) }) }
            }
            group.addTask {
                for _ in 0..<200 {
                    if let averages = try db.averageMetrics(forSkill: "s") {
                        #expect(averages.avgExecutionMs == 100)
                        #expect(averages.totalRuns % 10 == 0, "a snapshot never sees half a batch")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try db.count() == 1_000)
    }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) {
        lock.withLock { messages.append(message) }
    }

    var all: [String] { lock.withLock { messages } }
}
