import Foundation
import SkillForge
import Testing

/// The dashboard as a person sees it: the real `skill-forge serve` on a
/// database imported from ``DashboardWorkload``, every page loaded in headless
/// Chromium, the rendered DOM checked against figures Python's `statistics`
/// module computes from the same JSONL, and screenshots taken at 1280×800 and
/// on a 390-pixel-wide phone.
///
/// Screenshots go to a temporary directory, or to `$SKILL_FORGE_SCREENSHOTS`
/// when set: `SKILL_FORGE_SCREENSHOTS=docs swift test --filter DashboardBrowserTests`
/// refreshes the README's. Without Chromium the test is skipped, except in CI
/// (`CI` set), where it fails: `.ci/run` installs Chromium.
@Suite("Dashboard in a real browser", .serialized)
struct DashboardBrowserTests {
    /// Per skill, as Python reads the JSONL: runs, failures, p50 and p95 (its
    /// `statistics.quantiles(method="inclusive")`, numpy's linear method), the
    /// UTC days with runs (all of them, and those of the sparkline's 14 days, which end on the
    /// day of the newest run of any skill), and the runs per version.
    struct Expected: Decodable {
        var runs: Int
        var failures: Int
        var p50: Double
        var p95: Double
        var days: Int
        var sparklineDays: Int
        var versions: [String: Int]
    }

    static let figures = #"""
        import json, statistics, sys, datetime
        skills = {}
        for line in open(sys.argv[1]):
            run = json.loads(line)
            skills.setdefault(run["skillId"], []).append(run)
        def day(run): return datetime.datetime.fromtimestamp(run["timestamp"] / 1000, datetime.timezone.utc).date()
        newest = max(day(run) for runs in skills.values() for run in runs)
        out = {}
        for skill, runs in skills.items():
            times = sorted(run["executionMs"] for run in runs)
            cuts = statistics.quantiles(times, n=100, method="inclusive")
            days = {day(run) for run in runs}
            versions = {}
            for run in runs:
                versions[run["version"]] = versions.get(run["version"], 0) + 1
            out[skill] = {"runs": len(runs), "failures": sum(not run["success"] for run in runs),
                          "p50": cuts[49], "p95": cuts[94], "days": len(days),
                          "sparklineDays": sum((newest - d).days < 14 for d in days), "versions": versions}
        print(json.dumps(out))
        """#

    @Test(
        "every page renders in Chromium with its table, charts and data; screenshots at 1280×800 and 390 wide",
        .enabled(if: Chromium.isAvailableOrRequired, "chromium is not installed (apt-get install chromium); CI installs it"))
    func pages() async throws {
        let directory = try TemporaryDirectory()
        let jsonl = directory.path("runs.jsonl")
        try DashboardWorkload.jsonl(endingAt: Date()).write(toFile: jsonl, atomically: true, encoding: .utf8)
        let database = directory.path("dashboard.db")
        let imported = try await skillForge("import", "--from", "jsonl", jsonl, "--db", database)
        try #require(imported.status == 0, "\(imported.stderr)")
        let python = try await runProcess("/usr/bin/env", ["python3", "-c", Self.figures, jsonl])
        try #require(python.status == 0, "\(python.stderr)")
        let expected = try JSONDecoder().decode([String: Expected].self, from: Data(python.stdout.utf8))
        #expect(expected.count == DashboardWorkload.skills.count)

        let server = try await ServedDashboard(database: database, environment: ["TZ": "UTC"])
        defer { server.stop() }

        // The overview: a row per skill, its figures, a sparkline each.
        let overview = try await Chromium.dom(of: server.url("/"), in: directory)
        #expect(overview.occurrences(of: "<tr data-skill=") == expected.count)
        #expect(overview.occurrences(of: #"<svg class="spark""#) == expected.count)
        for (skill, figures) in expected {
            let row = overview.section(from: #"<tr data-skill="\#(skill)">"#, to: "</tr>")
            #expect(row.contains(">\(Readable.count(figures.runs))</td>"), "\(skill) runs")
            #expect(row.contains(">\(Readable.milliseconds(figures.p50))</td>"), "\(skill) p50 \(figures.p50)")
            #expect(row.contains(">\(Readable.milliseconds(figures.p95))</td>"), "\(skill) p95 \(figures.p95)")
            #expect(row.contains(">\(Readable.percent(Double(figures.failures) / Double(figures.runs)))</span>"), "\(skill) failures")
            // A point per day with runs of the 14 up to the newest run's: a skill of 8 runs a day may have none
            // yet today, in the first hours of a UTC day.
            #expect(row.occurrences(of: "<circle") == figures.sparklineDays, "\(skill): a point per day of the last 14")
        }

        // A skill's page: five charts (its runs are on priced models, so cost per run is drawn too),
        // a point per day and percentile, both versions and the verdict.
        let summarise = try #require(expected["summarise-pr"])
        let skill = try await Chromium.dom(of: server.url("/skills/summarise-pr"), in: directory)
        #expect(skill.occurrences(of: #"<svg class="chart""#) == 5)
        let latency = skill.section(from: #"id="latency""#, to: "</section>")
        #expect(latency.occurrences(of: #"<circle class="pt""#) == 2 * summarise.days)
        #expect(skill.contains(#"<div class="label">p95</div><div class="value">\#(Readable.milliseconds(summarise.p95))</div>"#))
        let versions = skill.section(from: #"id="versions""#, to: "</section>")
        for (version, runs) in summarise.versions {
            #expect(versions.contains(#"\#(version)</a></td><td>\#(Readable.count(runs))</td>"#), "version \(version)")
        }
        // 2.0 is 25% faster by construction, with the same tokens and failure rate.
        #expect(versions.contains(#"<span class="badge better">2.0 vs 1.0: better</span>"#))
        #expect(skill.section(from: #"id="failures""#, to: "</section>").contains(#"<td class="error">"#))

        // The compare page: the verdict and both distributions.
        let compare = try await Chromium.dom(of: server.url("/compare?skill=summarise-pr&baseline=1.0&candidate=2.0"), in: directory)
        #expect(compare.contains(#"<span class="badge better">better</span>"#))
        #expect(compare.occurrences(of: #"<svg class="chart""#) == 2)
        let runs = compare.section(from: #"<td class="measure">runs</td>"#, to: "</tr>")
        #expect(runs.contains("<td>\(Readable.count(summarise.versions["1.0"] ?? 0))</td><td>\(Readable.count(summarise.versions["2.0"] ?? 0))</td>"))

        // Screenshots: desktop, and a phone at twice the pixels.
        let folder = ProcessInfo.processInfo.environment["SKILL_FORGE_SCREENSHOTS"].map { URL(fileURLWithPath: $0, relativeTo: packageRoot).path }
            ?? directory.path("")
        let pages = [("overview", "/"), ("skill", "/skills/summarise-pr"), ("compare", "/compare?skill=summarise-pr&baseline=1.0&candidate=2.0")]
        for (name, path) in pages {
            for (suffix, width, height, scale) in [("", 1_280, 800, 1), ("-phone", 390, 844, 2)] {
                let file = (folder as NSString).appendingPathComponent("dashboard-\(name)\(suffix).png")
                try await Chromium.screenshot(of: server.url(path), to: file, width: width, height: height, scale: scale, in: directory)
                let size = try PNGSize(contentsOf: file)
                #expect(size.width == width * scale && size.height == height * scale, "\(file): \(size)")
            }
        }
    }
}

/// A PNG's width and height, read from its IHDR chunk.
struct PNGSize: CustomStringConvertible {
    var width: Int
    var height: Int

    init(contentsOf file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)).prefix(24))
        try #require(bytes.count == 24 && bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(file) is no PNG")
        func number(at offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        width = number(at: 16)
        height = number(at: 20)
    }

    var description: String { "\(width)×\(height)" }
}

extension String {
    /// How many times `needle` occurs.
    func occurrences(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }

    /// The text from `start` to the first `end` after it, or empty.
    func section(from start: String, to end: String) -> String {
        guard let lower = range(of: start), let upper = self[lower.upperBound...].range(of: end) else { return "" }
        return String(self[lower.lowerBound..<upper.upperBound])
    }
}
