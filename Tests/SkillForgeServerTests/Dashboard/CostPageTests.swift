import Foundation
import SkillForge
import Testing
@testable import SkillForgeServer

/// Cost on the dashboard, over runs whose costs are chosen by hand:
/// - `a`: 100 ms on m1 for $0.25, 200 ms on m1 for $0.75, 300 ms on m2 for $0.50 (failed),
///   400 ms without a model or a known cost. Known: 3 of 4; per run (0.25 + 0.75 + 0.5) / 3 = $0.50; $1.50 in all.
///   m1: 2 runs, mean 150 ms, $0.50 a run, $1.00 in all.
/// - `b`: 50 ms on m1 for $2.00.
/// - `c`: 10 ms, cost unknown.
/// In all, $3.50 over 4 of 6 runs, `b` the costliest.
@Suite("Dashboard: cost per run, in all and per model")
struct CostPageTests {
    private static func stores() async throws -> [any MetricsStore] {
        func run(_ skill: String, _ ms: Int64, model: String?, cost: Double?, success: Bool = true, minute: Int64) -> SkillMetrics {
            SkillMetrics(
                skillId: skill, executionMs: ms, tokensIn: 10, tokensOut: 10, success: success,
                timestamp: DashboardSeed.day1 + minute * DashboardSeed.minute, model: model, costUsd: cost)
        }
        let runs = [
            run("a", 100, model: "m1", cost: 0.25, minute: 0), run("a", 200, model: "m1", cost: 0.75, minute: 1),
            run("a", 300, model: "m2", cost: 0.5, success: false, minute: 2), run("a", 400, model: nil, cost: nil, minute: 3),
            run("b", 50, model: "m1", cost: 2, minute: 4), run("c", 10, model: nil, cost: nil, minute: 5),
        ]
        let stores: [any MetricsStore] = [MemoryMetricsStore(), try ProfilerDB(path: ":memory:")]
        for store in stores {
            try await store.insert(contentsOf: runs, duplicateRuns: .fail)
        }
        return stores
    }

    /// The text of each cell of a table row.
    private func cells(of row: String) -> [String] {
        row.components(separatedBy: "<td").dropFirst().map { cell in
            let text = cell.drop { $0 != ">" }.dropFirst()
            return String(text.prefix { $0 != "<" })
        }
    }

    @Test("the overview shows each skill's cost per run and in all, n/a when unknown, and the total", arguments: 0..<2)
    func overview(store: Int) async throws {
        let server = DashboardServer(store: try await Self.stores()[store])
        let html = try await server.get("/").html
        #expect(html.contains(#"<a href="/?sort=cost-per-run">Cost / run</a>"#) && html.contains(#"<a href="/?sort=cost">Cost</a>"#))
        let a = html.section(from: #"<tr data-skill="a">"#, to: "</tr>")
        #expect(a.contains(">$0.5000</td>") && a.contains(">$1.50</td>"), "\(a)")
        let c = html.section(from: #"<tr data-skill="c">"#, to: "</tr>")
        #expect(c.occurrences(of: ">n/a</td>") == 2, "\(c)")
        #expect(html.contains(#"<div class="label">Cost</div><div class="value">$3.50</div><div class="note">most: b · cost known for 4 of 6 runs</div>"#))

        let byCost = try await server.get("/?sort=cost").html
        #expect(byCost.components(separatedBy: #"<tr data-skill=""#).dropFirst().map { $0.prefix(1) } == ["b", "a", "c"])
        let byCostPerRun = try await server.get("/?sort=cost-per-run").html
        #expect(byCostPerRun.contains(#"aria-sort="descending"><a href="/?sort=cost-per-run">"#))
    }

    @Test("a skill's page shows its cost per run and a models table, most runs first", arguments: 0..<2)
    func skillPage(store: Int) async throws {
        let server = DashboardServer(store: try await Self.stores()[store])
        let html = try await server.get("/skills/a").html
        #expect(html.contains(#"<div class="label">Cost / run</div><div class="value">$0.5000</div><div class="note">$1.50 in all · cost known for 3 of 4 runs</div>"#))
        let models = html.section(from: #"<section class="card" id="models">"#, to: "</section>")
        let rows = models.components(separatedBy: "<tr>").dropFirst(2).map(cells)
        // Model, runs, mean, tokens / run, failure rate, cost / run, cost; ties by model, runs without one first.
        #expect(rows.map { $0.first } == ["m1", "(none)", "m2"], "\(models)")
        #expect(rows.first == ["m1", "2", "150 ms", "20", "", "$0.5000", "$1.00"], "\(models)")
        #expect(rows.dropFirst().first?.suffix(2) == ["n/a", "n/a"])
        #expect(rows.last?.suffix(2) == ["$0.5000", "$0.5000"])
        // All of a's runs fall in one hour: one point, the mean of its known costs.
        let chart = html.section(from: #"<section class="card" id="cost">"#, to: "</section>")
        #expect(chart.contains("Cost per run, mean per hour"), "\(chart)")
        #expect(chart.contains("<title>Nov 20 10:00: cost / run $0.5000 · 4 runs, 1 failed</title>"), "\(chart)")
        // c names no model and no cost: no models table, no cost chart.
        let c = try await server.get("/skills/c").html
        #expect(!c.contains(#"id="models""#) && !c.contains(#"id="cost""#))
    }
}
