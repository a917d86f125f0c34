import Foundation
import HTTPTypes
import SkillForge
import Testing
@testable import SkillForgeServer

/// `GET /compare` over the seeded runs (see ``DashboardSeed``): team/translate's
/// 1.0 ran 1000…1024 ms (p50 1012), its 2.0 500…524 ms (p50 512), 200 tokens each.
@Suite("Dashboard: the compare page")
struct ComparePageTests {
    @Test("two versions: the verdict, each measure with its test, both distributions drawn", arguments: 0..<2)
    func versions(store: Int) async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[store])
        let page = try await server.get("/compare?skill=team%2Ftranslate&baseline=1.0&candidate=2.0")
        #expect(page.status == .ok)
        let html = page.html
        #expect(html.contains(#"<span class="badge better">better</span>"#))
        #expect(html.contains("team/translate: version 2.0 against version 1.0"))
        let table = html.section(from: #"<table id="comparison">"#, to: "</table>")
        #expect(table.contains(#"<tr><td class="measure">runs</td><td>25</td><td>25</td>"#))
        #expect(table.contains(#"<tr><td class="measure">latency p50</td><td>1.01 s</td><td>512 ms</td><td>-49.4%</td>"#))
        #expect(table.contains(#"<span class="dir-better">Mann-Whitney p &lt; 0.0001: better</span>"#))
        #expect(table.contains(#"<tr><td class="measure">tokens mean</td><td>200</td><td>200</td><td>+0.0%</td>"#))
        #expect(table.contains(#"<tr><td class="measure">failure rate</td><td>0.0%</td><td>0.0%</td><td>+0.0 pts</td>"#))
        // Latency bins from 500 (the fastest) to 1022.8 (the slower side's p95): (1022.8 - 500) / 24 = 21.8
        // → 50 ms wide, 500 to 1050 (so in seconds): 11 bins, a bar per side in each. Tokens: 0 to 200 (the p95s)
        // → 10 wide, 20 bins.
        let latency = html.section(from: #"id="latency-distribution""#, to: "</section>")
        #expect(latency.occurrences(of: #"class="bar""#) == 22)
        #expect(latency.contains("<title>version 2.0, 0.50 to 0.55 s: 25 runs (100.0%)</title>"))
        #expect(latency.contains("<title>version 1.0, 1.00 to 1.05 s: 25 runs (100.0%)</title>"))
        let tokens = html.section(from: #"id="token-distribution""#, to: "</section>")
        #expect(tokens.occurrences(of: #"class="bar""#) == 40)
        // The form shows the choice.
        #expect(html.contains(#"<option value="team/translate" selected>team/translate</option>"#))
        #expect(html.contains(#"<select name="candidate"><option value="">any version</option><option value="1.0">1.0</option><option value="2.0" selected>2.0</option></select>"#))
    }

    @Test("a skill alone compares its two newest versions")
    func defaultVersions() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[0])
        let html = try await server.get("/compare?skill=team%2Ftranslate").html
        #expect(html.contains("team/translate: version 2.0 against version 1.0"))
        #expect(html.contains(#"<span class="badge better">better</span>"#))
    }

    @Test("two windows: too few runs for a verdict, the reason given")
    func windows() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[1])
        let page = try await server.get("/compare?skill=summarise&baseline-window=2026-11-20..2026-11-21&candidate-window=2026-11-24..")
        #expect(page.status == .ok)
        #expect(page.html.contains(#"<span class="badge ">not enough data</span>"#))
        #expect(page.html.contains("<li>only 2 runs on one side; at least 20 are needed</li>"))
        // Nov 20: 100, 200 ms (p50 150); Nov 24: 400, 1000 ms (p50 700).
        #expect(page.html.contains(#"<td class="measure">latency p50</td><td>150 ms</td><td>700 ms</td>"#))
        #expect(page.html.contains(#"value="2026-11-20..2026-11-21""#))
    }

    @Test("a side without runs names the versions; unreadable windows are 400 pages; no skill shows the form")
    func problems() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[0])
        let empty = try await server.get("/compare?skill=team%2Ftranslate&baseline=3.0&candidate=2.0")
        #expect(empty.status == .ok)
        #expect(empty.html.contains("No runs of team/translate for the baseline (version 3.0). Its versions: 1.0 (25 runs), 2.0 (25 runs)."))
        #expect(!empty.html.contains(#"id="verdict""#))
        let bad = try await server.get("/compare?skill=summarise&baseline-window=soon&candidate=1.0")
        #expect(bad.status == .badRequest)
        #expect(bad.html.contains("?baseline-window:"))
        #expect(try await server.get("/compare?skill=nope").status == .notFound)
        let form = try await server.get("/compare")
        #expect(form.status == .ok)
        #expect(form.html.contains(#"<option value="" selected>Choose a skill</option>"#))
        #expect(form.html.contains(#"<option value="lint">lint</option>"#))
        #expect(!form.html.contains(#"id="verdict""#))
    }
}
