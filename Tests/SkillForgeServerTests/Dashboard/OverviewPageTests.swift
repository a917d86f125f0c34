import Foundation
import HTTPTypes
import SkillForge
import Testing
@testable import SkillForgeServer

/// `GET /` over the seeded runs (see ``DashboardSeed``), in memory and in SQLite.
/// Percentiles worked out by hand with numpy's linear method:
/// - summarise, 100 200 300 400 1000 ms: p50 300; p95 at rank 4 × 0.95 = 3.8, 400 + 0.8 × 600 = 880.
/// - lint, 50 70 ms: p50 60; p95 at rank 0.95, 50 + 0.95 × 20 = 69.
/// - team/translate, 500…524 and 1000…1024 ms: p50 (524 + 1000) / 2 = 762; p95 at rank 46.55, 1021.55.
@Suite("Dashboard: the overview")
struct OverviewPageTests {
    /// The `data-skill` of each row, in order.
    private func skills(in html: String) -> [String] {
        html.components(separatedBy: #"<tr data-skill=""#).dropFirst().compactMap { $0.components(separatedBy: "\"").first }
    }

    private static let escapedHostile = "&lt;script&gt;alert(1)&lt;/script&gt;"

    @Test("the skills table: one row per skill, most runs first, with the figures worked out by hand", arguments: 0..<2)
    func table(store: Int) async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[store])
        let page = try await server.get("/")
        #expect(page.status == .ok)
        #expect(page.contentType == "text/html; charset=utf-8")
        #expect(skills(in: page.html) == ["team/translate", "summarise", "lint", Self.escapedHostile])
        let summarise = page.html.section(from: #"<tr data-skill="summarise">"#, to: "</tr>")
        #expect(summarise.contains(#"<a href="/skills/summarise">summarise</a>"#))
        #expect(summarise.contains(">5</td>"))
        #expect(summarise.contains(">300 ms</td>"))
        #expect(summarise.contains(">880 ms</td>"))
        #expect(summarise.contains(">1,280</td>"))   // (1200 + 1400 + 1000 + 1200 + 1600) / 5 tokens
        #expect(summarise.contains(#"<span class="rate bad">20.0%</span>"#))
        let lint = page.html.section(from: #"<tr data-skill="lint">"#, to: "</tr>")
        #expect(lint.contains(">60.0 ms</td>"))
        #expect(lint.contains(">69.0 ms</td>"))
        #expect(lint.contains(#"<span class="rate ">0.0%</span>"#))
        let translate = page.html.section(from: #"<tr data-skill="team/translate">"#, to: "</tr>")
        #expect(translate.contains(#"<a href="/skills/team%2Ftranslate">"#))
        #expect(translate.contains(">762 ms</td>"))
        #expect(translate.contains(">1.02 s</td>"))
        // Headline figures: 4 skills, 58 runs, 2 failures (2 / 58 = 3.4%).
        #expect(page.html.contains(#"<div class="value">58</div><div class="note">2 failed</div>"#))
        #expect(page.html.contains(#"<div class="value">3.4%</div>"#))
    }

    @Test("each row has a sparkline of its daily p95 over the 14 days up to the newest run", arguments: 0..<2)
    func sparklines(store: Int) async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[store])
        let html = try await server.get("/").html
        #expect(html.occurrences(of: #"<svg class="spark""#) == 4)
        // summarise ran on Nov 20, 22 and 24 (p95 195, 300 and 970 ms): three points, the last one marked.
        let summarise = html.section(from: #"<tr data-skill="summarise">"#, to: "</tr>")
        #expect(summarise.occurrences(of: "<circle") == 3)
        #expect(summarise.contains("<title>Nov 20, p95 of 2 runs: 195 ms</title>"))
        #expect(summarise.contains(#"class="last""#))
        #expect(summarise.contains("<title>Nov 24, p95 of 2 runs: 970 ms</title>"))
    }

    @Test("the column headers sort the table; the sorted column is marked")
    func sorting() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[1])
        let byP95 = try await server.get("/?sort=p95").html
        #expect(skills(in: byP95) == ["team/translate", "summarise", "lint", Self.escapedHostile])
        #expect(byP95.contains(#"<th scope="col" class="" aria-sort="descending"><a href="/?sort=p95">p95</a></th>"#))
        let bySkill = try await server.get("/?sort=skill").html
        #expect(skills(in: bySkill) == [Self.escapedHostile, "lint", "summarise", "team/translate"])
        #expect(bySkill.contains(#"aria-sort="ascending"><a href="/?sort=skill">Skill</a>"#))
        let byFailures = try await server.get("/?sort=failure-rate").html
        #expect(skills(in: byFailures) == [Self.escapedHostile, "summarise", "lint", "team/translate"])
        #expect(try await server.get("/?sort=fastest").status == .badRequest)
    }

    @Test("the footer names the database file the page was read from, and when")
    func footer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skill-forge-footer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("team.db").path
        let db = try ProfilerDB(path: path)
        _ = try await db.insert(contentsOf: DashboardSeed.runs, duplicateRuns: DuplicateRunPolicy.fail)
        let html = try await DashboardServer(store: db).get("/").html
        #expect(html.contains(#"<footer>Read from <code title="\#(path)">team.db</code> at "#), "\(html.suffix(400))")
    }

    @Test("stored text is escaped everywhere: a skill id that is a script stays text")
    func escaping() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[1])
        let html = try await server.get("/").html
        #expect(!html.contains("<script>"))
        #expect(html.contains(#"<a href="/skills/%3Cscript%3Ealert%281%29%3C%2Fscript%3E">\#(Self.escapedHostile)</a>"#))
    }

    @Test("?refresh adds a meta refresh and keeps the other choices; ?last narrows the window")
    func refreshAndWindow() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[0])
        let refreshing = try await server.get("/?sort=p95&refresh=30").html
        #expect(refreshing.contains(#"<meta http-equiv="refresh" content="30">"#))
        #expect(refreshing.contains(#"<a href="/?sort=p95">off</a>"#))
        #expect(refreshing.contains(#"<a href="/?sort=p95&amp;refresh=30" aria-current="true">30 s</a>"#))
        #expect(!(try await server.get("/").html.contains("http-equiv")))
        #expect(try await server.get("/?refresh=1").status == .badRequest)
        // The seeded runs are from November 20 to 24, 2026: none in the last hour.
        let lastHour = try await server.get("/?last=1h")
        #expect(lastHour.status == .ok)
        #expect(lastHour.html.contains("No runs in the last 1h."))
        for bad in ["/?last=soon", "/?last=1e20d"] {
            let page = try await server.get(bad)
            #expect(page.status == .badRequest)
            #expect(page.html.contains("?last:"))
        }
    }

    @Test("an empty store says how to record runs")
    func empty() async throws {
        let html = try await DashboardServer(store: MemoryMetricsStore()).get("/").html
        #expect(html.contains("No runs are stored yet."))
        #expect(!html.contains("<table"))
    }
}
