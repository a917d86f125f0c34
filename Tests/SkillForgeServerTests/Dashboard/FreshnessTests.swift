import Foundation
import HTTPTypes
import SkillForge
import Testing
@testable import SkillForgeServer

/// Every load reads the store again: runs that another process writes or
/// deletes (here the sqlite3 shell, through the triggers that keep the
/// rollups) show on the next load, though the pages reuse what they computed
/// while a skill's totals are unchanged.
@Suite("Dashboard: fresh data on every load")
struct FreshnessTests {
    static let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    private func sqlite3(_ database: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.sqlite3, "the sqlite3 shell is needed"))
        process.arguments = [database, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("a run another process stores, then deletes, shows on the next load of the overview and the skill's page")
    func anotherProcess() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString).db").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let store = try ProfilerDB(path: path)
        try await store.insert(contentsOf: DashboardSeed.runs, duplicateRuns: .fail)
        let server = DashboardServer(store: store)

        let before = try await server.get("/").html.section(from: #"<tr data-skill="lint">"#, to: "</tr>")
        #expect(before.contains(">2</td>"))
        #expect(before.contains(">60.0 ms</td>"))
        #expect(try await server.get("/skills/lint").html.contains("No failures among these runs."))

        // lint: 50, 70 and now 90 ms (failed): p50 70; p95 at rank 1.9, 70 + 0.9 × 20 = 88; 1 of 3 failed.
        try sqlite3(path, """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, error)
            VALUES ('lint', 90, 0, 0, 0, \(DashboardSeed.day3 + 2 * DashboardSeed.minute), 'exit 2');
            """)
        let after = try await server.get("/").html.section(from: #"<tr data-skill="lint">"#, to: "</tr>")
        #expect(after.contains(">3</td>"))
        #expect(after.contains(">70.0 ms</td>"))
        #expect(after.contains(">88.0 ms</td>"))
        #expect(after.contains(">33.3%</span>"))
        let page = try await server.get("/skills/lint").html
        #expect(page.contains(#"<td class="error">exit 2</td>"#))
        // Its runs span two minutes: hourly buckets, one of them.
        let latency = page.section(from: #"id="latency""#, to: "</section>")
        #expect(latency.contains("Latency per hour"))
        #expect(latency.contains("<title>Nov 22 10:00: p95 88.0 ms · 3 runs, 1 failed</title>"))

        try sqlite3(path, "DELETE FROM skill_metrics WHERE skill_id = 'lint';")
        #expect(!(try await server.get("/").html.contains(#"data-skill="lint""#)))
        #expect(try await server.get("/skills/lint").status == .notFound)
    }

    @Test("a run stored in the same process shows on the next load")
    func sameProcess() async throws {
        let store = MemoryMetricsStore()
        try await store.insert(contentsOf: DashboardSeed.runs, duplicateRuns: .fail)
        let server = DashboardServer(store: store)
        #expect(try await server.get("/").html.contains(#"<tr data-skill="summarise">"#))
        try await store.insert(
            SkillMetrics(skillId: "summarise", executionMs: 5_000, tokensIn: 0, tokensOut: 0, success: true, timestamp: DashboardSeed.day5))
        // 100 200 300 400 1000 5000: p50 (300 + 400) / 2 = 350.
        let row = try await server.get("/").html.section(from: #"<tr data-skill="summarise">"#, to: "</tr>")
        #expect(row.contains(">6</td>"))
        #expect(row.contains(">350 ms</td>"))
    }
}
