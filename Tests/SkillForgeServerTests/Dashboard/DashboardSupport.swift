import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SkillForge
@testable import SkillForgeServer

/// The dashboard's routes alone over a seeded store, times in UTC.
struct DashboardServer {
    let store: any MetricsStore
    let app: Application<RouterResponder<CollectorRequestContext>>

    init(store: any MetricsStore) {
        self.store = store
        let router = Router(context: CollectorRequestContext.self)
        let routes = DashboardRoutes(collector: Collector(store: store, configuration: ServerConfiguration()), timeZone: .gmt).routes
        for route in routes { router.on(RouterPath(route.path), method: route.method, use: route.handler) }
        app = Application(router: router)
    }

    /// The page at `uri`: its status, content type and body.
    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, contentType: String?, html: String) {
        nonisolated(unsafe) var answer: (HTTPResponse.Status, String?, String) = (.ok, nil, "")
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                answer = (response.status, response.headers[.contentType], String(buffer: response.body))
            }
        }
        return answer
    }
}

/// Hand-chosen runs whose figures are worked out in the tests.
enum DashboardSeed {
    /// 2026-11-20T10:00:00Z, 2026-11-22T10:00:00Z and 2026-11-24T10:00:00Z.
    static let day1: Int64 = 1_795_168_800_000
    static let day3: Int64 = 1_795_341_600_000
    static let day5: Int64 = 1_795_514_400_000
    static let minute: Int64 = 60_000

    static let hostileSkill = "<script>alert(1)</script>"
    static let hostileError = #"<img src=x onerror="alert(2)">"#

    /// - `summarise` (version 1.0): 100 and 200 ms on day 1, 300 on day 3, 400 and 1000 (failed) on day 5.
    /// - `lint`: 50 and 70 ms on day 3.
    /// - the hostile skill: one failed run on day 5 with a hostile error.
    /// - `team/translate`: 25 runs of version 1.0 (1000 … 1024 ms), then 25 of 2.0 (500 … 524 ms).
    static var runs: [SkillMetrics] {
        var runs = [
            SkillMetrics(skillId: "summarise", executionMs: 100, tokensIn: 1_000, tokensOut: 200, success: true, timestamp: day1, version: "1.0"),
            SkillMetrics(skillId: "summarise", executionMs: 200, tokensIn: 1_100, tokensOut: 300, success: true, timestamp: day1 + minute, version: "1.0"),
            SkillMetrics(skillId: "summarise", executionMs: 300, tokensIn: 900, tokensOut: 100, success: true, timestamp: day3, version: "1.0"),
            SkillMetrics(skillId: "summarise", executionMs: 400, tokensIn: 1_000, tokensOut: 200, success: true, timestamp: day5, version: "1.0"),
            SkillMetrics(
                skillId: "summarise", executionMs: 1_000, tokensIn: 1_200, tokensOut: 400, success: false, timestamp: day5 + minute,
                version: "1.0", model: "claude-sonnet-4", error: "timeout after 1 s"),
            SkillMetrics(skillId: "lint", executionMs: 50, tokensIn: 0, tokensOut: 0, success: true, timestamp: day3),
            SkillMetrics(skillId: "lint", executionMs: 70, tokensIn: 0, tokensOut: 0, success: true, timestamp: day3 + minute),
            SkillMetrics(
                skillId: hostileSkill, executionMs: 5, tokensIn: 1, tokensOut: 1, success: false, timestamp: day5,
                version: "<b>9</b>", error: hostileError),
        ]
        for index in 0..<25 {
            let offset = Int64(index) * minute
            runs.append(SkillMetrics(skillId: "team/translate", executionMs: 1_000 + Int64(index), tokensIn: 100, tokensOut: 100, success: true, timestamp: day1 + offset, version: "1.0"))
            runs.append(SkillMetrics(skillId: "team/translate", executionMs: 500 + Int64(index), tokensIn: 100, tokensOut: 100, success: true, timestamp: day3 + offset, version: "2.0"))
        }
        return runs
    }

    /// The seeded stores: in memory, and SQLite (whose whole histories come from its rollups).
    static func stores() async throws -> [any MetricsStore] {
        let stores: [any MetricsStore] = [MemoryMetricsStore(), try ProfilerDB(path: ":memory:")]
        for store in stores {
            try await store.insert(contentsOf: runs, duplicateRuns: .fail)
        }
        return stores
    }
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
