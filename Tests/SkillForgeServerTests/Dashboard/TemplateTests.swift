import Foundation
import SkillForge
import Testing
@testable import SkillForgeServer

@Suite("Dashboard: templates")
struct TemplateTests {
    @Test("every template parses")
    func parse() throws {
        _ = try DashboardTemplates.library.get()
    }

    @Test("only chart markup is inserted unescaped: every {{{…}}} names a field ending in SVG")
    func unescapedFieldsAreCharts() {
        let sources = [DashboardTemplates.layout] + DashboardTemplates.Page.allCases.map(DashboardTemplates.source(of:))
        var unescaped: [String] = []
        for source in sources {
            for part in source.components(separatedBy: "{{{").dropFirst() {
                unescaped.append(part.components(separatedBy: "}}}").first ?? "")
            }
            #expect(!source.contains("{{&"), "{{& inserts a value unescaped")
        }
        #expect(!unescaped.isEmpty)
        #expect(unescaped.allSatisfy { $0.hasSuffix("SVG") }, "\(unescaped)")
    }

    @Test("query strings read as forms send them, and links re-encode them")
    func formQuery() {
        let query = FormQuery("skill=team%2Ftranslate&baseline=1.0&candidate=&note=a+b%2Bc&=x&flag")
        #expect(query["skill"] == "team/translate")
        #expect(query["baseline"] == "1.0")
        #expect(query["candidate"] == nil)
        #expect(query["note"] == "a b+c")
        #expect(query["flag"] == nil)
        #expect(query.replacing("baseline", with: "2.0").encoded == "skill=team%2Ftranslate&note=a%20b%2Bc&baseline=2.0")
        #expect(query.replacing("skill", with: nil).link("/compare") == "/compare?baseline=1.0&note=a%20b%2Bc")
        #expect(FormQuery(nil).link("/") == "/")
        #expect(FormQuery.pathSegment("<a/b c>") == "%3Ca%2Fb%20c%3E")
    }

    @Test("relative times and failure colours")
    func formats() {
        let now: Int64 = 1_795_168_800_000
        #expect(DashboardFormat.relativeTime(now - 30_000, now: now, in: .gmt) == "just now")
        #expect(DashboardFormat.relativeTime(now - 5 * 60_000, now: now, in: .gmt) == "5 min ago")
        #expect(DashboardFormat.relativeTime(now - 47 * 3_600_000, now: now, in: .gmt) == "47 h ago")
        #expect(DashboardFormat.relativeTime(now - 12 * 86_400_000, now: now, in: .gmt) == "12 days ago")
        #expect(DashboardFormat.relativeTime(now - 90 * 86_400_000, now: now, in: .gmt) == "2026-08-22")
        #expect(DashboardFormat.relativeTime(now + 60_000, now: now, in: .gmt) == "2026-11-20")
        #expect(DashboardFormat.relativeTime(.min, now: now, in: .gmt).count == 10)
        #expect(DashboardFormat.bucketLabel(now, bucket: .hour, in: .gmt) == "Nov 20 10:00")
        #expect(DashboardFormat.bucketLabel(now, bucket: .day, in: .gmt) == "Nov 20")
        #expect(DashboardFormat.failureClass(0.1) == "bad")
        #expect(DashboardFormat.failureClass(0.05) == "warn")
        #expect(DashboardFormat.failureClass(0.049) == "")
    }
}
