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
        let runs = [
            unknown("probe", ms: 40, at: 0), unknown("probe", ms: 60, at: 1),
            SkillMetrics(skillId: "probe", executionMs: 100, tokensIn: 90, tokensOut: 10, success: true, timestamp: day + 2),
            unknown("dark", ms: 5, at: 0),
        ]
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
}
