import Foundation
import HTTPTypes
import SkillForge
import Testing
@testable import SkillForgeServer

/// `GET /skills/{id}` over the seeded runs (see ``DashboardSeed``). summarise
/// ran on Nov 20 (100, 200 ms), 22 (300) and 24 (400, and 1000 failed): five
/// day buckets, two empty. Per day, by numpy's linear method: Nov 20 p50 150,
/// p95 195; Nov 24 p50 700, p95 970.
@Suite("Dashboard: a skill's page")
struct SkillPageTests {
    @Test("headline figures, and a chart card each for latency, its histogram, tokens and failures", arguments: 0..<2)
    func figuresAndCharts(store: Int) async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[store])
        let page = try await server.get("/skills/summarise")
        #expect(page.status == .ok)
        let html = page.html
        #expect(html.contains(#"<h1 id="skill-id">summarise</h1>"#))
        #expect(html.contains(#"<div class="label">p50</div><div class="value">300 ms</div>"#))
        #expect(html.contains(#"<div class="label">p95</div><div class="value">880 ms</div><div class="note">p99 976 ms</div>"#))
        #expect(html.contains(#"<div class="value">20.0%</div>"#))
        #expect(html.contains(#"<div class="value">1,280</div>"#))
        #expect(html.occurrences(of: #"<svg class="chart""#) == 4)

        let latency = html.section(from: #"<section class="card" id="latency">"#, to: "</section>")
        #expect(latency.contains("Latency per day"))
        #expect(latency.occurrences(of: #"<circle class="pt""#) == 6)   // p50 and p95 on 3 of the 5 days
        #expect(latency.contains("<title>Nov 20: p95 195 ms · 2 runs</title>"))
        #expect(latency.contains("<title>Nov 24: p50 700 ms · 2 runs, 1 failed</title>"))
        #expect(latency.contains(">Nov 22</text>"))

        let tokens = html.section(from: #"<section class="card" id="tokens">"#, to: "</section>")
        #expect(tokens.occurrences(of: #"<circle class="pt""#) == 3)
        #expect(tokens.contains("<title>Nov 20: tokens / run 1,300 tokens · 2 runs</title>"))   // (1200 + 1400) / 2

        let failures = html.section(from: #"<section class="card" id="failure-rate">"#, to: "</section>")
        #expect(failures.occurrences(of: #"class="bar""#) == 3)
        #expect(failures.contains("<title>Nov 24: failure rate 50.0% · 2 runs, 1 failed</title>"))

        // Bins from 100 ms (the fastest) to the p95 (880 ms): (880 - 100) / 24 = 32.5 → 50 ms wide,
        // 100 to 900: 16 bins, and the 1000 ms run above them in the tail's bar.
        let histogram = html.section(from: #"<section class="card" id="histogram">"#, to: "</section>")
        #expect(histogram.occurrences(of: #"class="bar""#) == 16)
        #expect(histogram.occurrences(of: #"class="bar tail""#) == 1)
        #expect(histogram.contains("<title>100 to 150 ms: 1 run (20.0%)</title>"))
        #expect(histogram.contains("<title>above 900 ms: 1 run (20.0%)</title>"))
        #expect(histogram.contains("<title>500 to 550 ms: 0 runs (0.0%)</title>"))
        #expect(histogram.contains(">above p95</span>"))
    }

    @Test("versions side by side, and the newest against the one before with its verdict")
    func versions() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[1])
        let summarise = try await server.get("/skills/summarise").html
        let versions = summarise.section(from: #"<section class="card" id="versions">"#, to: "</section>")
        #expect(versions.occurrences(of: "<tr><td") == 1)
        #expect(!versions.contains("badge"))

        // 25 runs each, every 2.0 run faster than every 1.0 run: Mann-Whitney's p is far below 0.05.
        let translate = try await server.get("/skills/team%2Ftranslate")
        #expect(translate.status == .ok)
        #expect(translate.html.contains(#"<h1 id="skill-id">team/translate</h1>"#))
        let table = translate.html.section(from: #"<section class="card" id="versions">"#, to: "</section>")
        #expect(table.contains(#"<span class="badge better">2.0 vs 1.0: better</span>"#))
        #expect(table.contains("p50 -49.4%"))   // 512 / 1012 - 1
        #expect(table.contains(#"href="/compare?skill=team%2Ftranslate&amp;baseline=1.0&amp;candidate=2.0""#))
        #expect(table.contains(">1.01 s</td>"))   // 1.0's p50, 1012 ms
        #expect(table.contains(">512 ms</td>"))
        #expect(table.contains(#"<a href="/skills/team%2Ftranslate?version=2.0">2.0</a>"#))

        let onlyNew = try await server.get("/skills/team%2Ftranslate?version=2.0").html
        #expect(onlyNew.contains(#"<div class="label">p50</div><div class="value">512 ms</div>"#))
        #expect(onlyNew.contains(#"<a href="/skills/team%2Ftranslate?version=2.0" aria-current="true">2.0</a>"#))
    }

    @Test("recent failures list their errors, escaped")
    func failures() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[0])
        let summarise = try await server.get("/skills/summarise").html
        let failures = summarise.section(from: #"<section class="card" id="failures">"#, to: "</section>")
        #expect(failures.contains(#"<td class="error">timeout after 1 s</td>"#))
        #expect(failures.contains("claude-sonnet-4"))
        #expect(failures.contains(">1.00 s</td>"))
        #expect(failures.contains("1 failure among the newest 5 runs"))

        let hostile = try await server.get("/skills/%3Cscript%3Ealert%281%29%3C%2Fscript%3E")
        #expect(hostile.status == .ok)
        #expect(!hostile.html.contains("<script>"))
        #expect(!hostile.html.contains("<img"))
        #expect(!hostile.html.contains("<b>9</b>"))
        #expect(hostile.html.contains(#"<h1 id="skill-id">&lt;script&gt;alert(1)&lt;/script&gt;</h1>"#))
        #expect(hostile.html.contains(#"<td class="error">&lt;img src=x onerror=&quot;alert(2)&quot;&gt;</td>"#))
        #expect(hostile.html.contains("&lt;b&gt;9&lt;/b&gt;"))
        #expect(hostile.html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; · Skill Forge</title>"))
    }

    @Test("an unknown skill or version is a 404 page; an unreadable query a 400 page")
    func notFound() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[0])
        let missing = try await server.get("/skills/nope")
        #expect(missing.status == .notFound)
        #expect(missing.contentType == "text/html; charset=utf-8")
        #expect(missing.html.contains("<h1>No skill nope</h1>"))
        let version = try await server.get("/skills/summarise?version=9.9")
        #expect(version.status == .notFound)
        #expect(version.html.contains("Its versions: 1.0."))
        for bad in ["/skills/summarise?bucket=month", "/skills/summarise?bucket=hour&last=1000d", "/skills/summarise?last=-7d"] {
            #expect(try await server.get(bad).status == .badRequest, "\(bad)")
        }
    }

    @Test("a window without runs shows the page without charts")
    func emptyWindow() async throws {
        let server = DashboardServer(store: try await DashboardSeed.stores()[0])
        let page = try await server.get("/skills/summarise?last=1h")
        #expect(page.status == .ok)
        #expect(page.html.contains("No runs in the last 1h."))
        #expect(!page.html.contains(#"<svg class="chart""#))
        #expect(page.html.contains(#"<a href="/skills/summarise?last=24h">24 h</a>"#))
    }
}
