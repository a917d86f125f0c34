import Foundation
import SkillForge
import Testing
@testable import SkillForgeServer

/// Skill "probe": 40 and 60 ms of unknown tokens and 100 ms with 90 + 10 tokens (by hand: 100 tokens a run,
/// known for 1 of 3 runs); skill "dark": one run of unknown tokens (n/a).
@Suite("Dashboard: unknown tokens")
struct UnknownTokensPageTests {
    private static let day: Int64 = 1_795_132_800_000

    private static func stores() async throws -> [any MetricsStore] {
        func unknown(_ skillId: String, ms: Int64, at offset: Int64) -> SkillMetrics {
            SkillMetrics(
                skillId: skillId, executionMs: ms, tokensIn: 0, tokensOut: 0, success: true, timestamp: day + offset,
                tokensKnown: false)
        }
        var runs = [
            unknown("probe", ms: 40, at: 0), unknown("probe", ms: 60, at: 1),
            SkillMetrics(skillId: "probe", executionMs: 100, tokensIn: 90, tokensOut: 10, success: true, timestamp: day + 2),
            unknown("dark", ms: 5, at: 0),
        ]
        // "c": version 1.0 with 100, 200, 300 tokens (mean 200), version 2.0 of unknown tokens.
        for index in 1...3 {
            runs.append(
                SkillMetrics(
                    skillId: "c", executionMs: Int64(index * 10), tokensIn: Int64(index * 100), tokensOut: 0, success: true,
                    timestamp: day + Int64(index), version: "1.0"))
            var later = unknown("c", ms: Int64(index * 10), at: Int64(index))
            later.version = "2.0"
            runs.append(later)
        }
        let stores: [any MetricsStore] = [MemoryMetricsStore(), try ProfilerDB(path: ":memory:")]
        for store in stores { try await store.insert(contentsOf: runs, duplicateRuns: .fail) }
        return stores
    }

    @Test("the overview shows n/a for a skill without known tokens, and the mean over the known runs", arguments: 0..<2)
    func overview(store: Int) async throws {
        let page = try await DashboardServer(store: try await Self.stores()[store]).get("/")
        let dark = page.html.section(from: #"<tr data-skill="dark">"#, to: "</tr>")
        #expect(dark.contains(">n/a</td>"), "\(dark)")
        let probe = page.html.section(from: #"<tr data-skill="probe">"#, to: "</tr>")
        #expect(probe.contains(">100</td>"), "\(probe)")
    }

    @Test("a skill's page says how many runs' tokens are known", arguments: 0..<2)
    func skillPage(store: Int) async throws {
        let server = DashboardServer(store: try await Self.stores()[store])
        let probe = try await server.get("/skills/probe")
        #expect(probe.html.contains("tokens known for 1 of 3 runs"))
        let dark = try await server.get("/skills/dark")
        #expect(dark.html.contains(#"<div class="value">n/a</div>"#), "\(dark.html.section(from: "Tokens / run", to: "</div></div>"))")
        #expect(dark.html.contains("tokens known for 0 of 1 run"))
    }

    @Test("compare shows n/a for a side without known tokens, and no test of them", arguments: 0..<2)
    func compare(store: Int) async throws {
        let page = try await DashboardServer(store: try await Self.stores()[store]).get("/compare?skill=c&baseline=1.0&candidate=2.0")
        let table = page.html.section(from: #"<table id="comparison">"#, to: "</table>")
        #expect(table.contains(#"<tr><td class="measure">tokens mean</td><td>200</td><td>n/a</td>"#), "\(table)")
        #expect(table.contains("not compared: known for 3 and 0 runs"))
    }
}
