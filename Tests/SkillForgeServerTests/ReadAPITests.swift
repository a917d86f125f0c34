import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SkillForge
import SkillForgeServer
import Testing

/// 2026-11-20T00:00:00Z (`date -u -d 2026-11-20 +%s`) in Unix milliseconds.
private let day: Int64 = 1_795_132_800_000
private let hour: Int64 = 3_600_000

/// A store with hand-chosen runs: `summarise` 1.0 on 2026-11-20 (100, 200, 300, 400, 1000 ms, the
/// 1000 ms run failing) and 2.0 on 2026-11-21 (50, 60 ms), and one MCP call.
private func seededServer() async throws -> TestServer {
    let store = MemoryMetricsStore()
    var runs: [SkillMetrics] = []
    for (index, ms) in [100, 200, 300, 400, 1000].enumerated() {
        runs.append(SkillMetrics(
            skillId: "summarise", executionMs: Int64(ms), tokensIn: 100, tokensOut: Int64(10 * (index + 1)), success: ms != 1000,
            timestamp: day + Int64(index) * hour, version: "1.0", error: ms == 1000 ? "timeout" : nil))
    }
    for (index, ms) in [50, 60].enumerated() {
        runs.append(SkillMetrics(
            skillId: "summarise", executionMs: Int64(ms), tokensIn: 10, tokensOut: 10, success: true,
            timestamp: day + 24 * hour + Int64(index) * hour, version: "2.0"))
    }
    runs.append(SkillMetrics(skillId: "mcp:github/create_issue", executionMs: 700, tokensIn: 0, tokensOut: 0, success: true, timestamp: day))
    try await store.insert(contentsOf: runs, duplicateRuns: .fail)
    return TestServer(store: store)
}

@Suite("The read API")
struct ReadAPITests {
    @Test("GET /v1/skills lists every skill's totals, as skills --format json")
    func skills() async throws {
        try await seededServer().test { client in
            try await client.execute(uri: "/v1/skills", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let skills = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
                #expect(skills.map { $0["skillId"] as? String } == ["mcp:github/create_issue", "summarise"])
                let summarise = skills[1]
                #expect(summarise["runs"] as? Int == 7)
                #expect(summarise["failures"] as? Int == 1)
                // (100 + 200 + 300 + 400 + 1000 + 50 + 60) / 7
                #expect(summarise["meanExecutionMs"] as? Double == 2_110.0 / 7)
                #expect(summarise["firstRun"] as? Int64 == day)
                #expect(summarise["lastRun"] as? Int64 == day + 25 * hour)
            }
        }
    }

    @Test("a summary takes the version and the window; percentiles are numpy's")
    func summary() async throws {
        try await seededServer().test { client in
            // numpy.percentile([100, 200, 300, 400, 1000], [50, 90, 95, 99]) == [300, 760, 880, 976]
            try await client.execute(uri: "/v1/skills/summarise/summary?version=1.0", method: .get) { response in
                let summary = response.body.jsonObject
                #expect(summary["runs"] as? Int == 5)
                let time = try #require(summary["executionMs"] as? [String: Any])
                for (key, expected) in [("p50", 300.0), ("p90", 760), ("p95", 880), ("p99", 976)] {
                    #expect(abs((time[key] as? Double ?? 0) - expected) < 1e-9, "\(key)")
                }
                #expect(time["mean"] as? Double == 400)
                #expect(summary["failureRate"] as? Double == 0.2)
            }
            // The second day alone: the two 2.0 runs.
            try await client.execute(uri: "/v1/skills/summarise/summary?since=2026-11-21&until=2026-11-22", method: .get) {
                #expect($0.body.jsonObject["runs"] as? Int == 2)
            }
            try await client.execute(uri: "/v1/skills/mcp:github%2Fcreate_issue/summary", method: .get) {
                #expect($0.status == .ok)
                #expect($0.body.jsonObject["runs"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/skills/nothing/summary", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/skills/summarise/summary?version=9", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test("a time series has one point per bucket of the window")
    func timeSeries() async throws {
        try await seededServer().test { client in
            try await client.execute(uri: "/v1/skills/summarise/timeseries?since=2026-11-20&until=2026-11-23&bucket=day", method: .get) {
                let points = try #require(try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [[String: Any]])
                #expect(points.map { $0["label"] as? String } == ["2026-11-20", "2026-11-21", "2026-11-22"])
                #expect(points.map { $0["runs"] as? Int } == [5, 2, 0])
                #expect(points[1]["p50"] as? Double == 55)
            }
            try await client.execute(uri: "/v1/skills/summarise/timeseries?bucket=fortnight", method: .get) {
                #expect($0.status == .badRequest)
                #expect(($0.body.jsonObject["detail"] as? String)?.contains("hour, day, week") == true)
            }
            try await client.execute(uri: "/v1/skills/summarise/timeseries?tz=Mars/Olympus", method: .get) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test("runs come newest first by pages; a run stored meanwhile does not shift them")
    func metricsPages() async throws {
        let server = try await seededServer()
        try await server.test { client in
            var cursor: String?
            var seen: [Int64] = []
            for page in 0..<4 {
                let uri = "/v1/skills/summarise/metrics?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                try await client.execute(uri: uri, method: .get) { response in
                    let answer = response.body.jsonObject
                    let runs = try #require(answer["metrics"] as? [[String: Any]])
                    seen += runs.compactMap { $0["executionMs"] as? Int64 }
                    cursor = answer["nextCursor"] as? String
                }
                if page == 0 {
                    try await server.store.insert(SkillMetrics(
                        skillId: "summarise", executionMs: 5, tokensIn: 1, tokensOut: 1, success: true, timestamp: day + 30 * hour))
                }
                if cursor == nil { break }
            }
            // Newest first: 60, 50 (2.0), then 1000, 400, 300, 200, 100.
            #expect(seen == [60, 50, 1000, 400, 300, 200, 100])
            try await client.execute(uri: "/v1/skills/summarise/metrics?cursor=bm9wZQ", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/skills/summarise/metrics?limit=0", method: .get) { #expect($0.status == .badRequest) }
        }
    }

    @Test("compare and candidates answer as the CLI's JSON; missing sides are 400")
    func compareAndCandidates() async throws {
        try await seededServer().test { client in
            try await client.execute(uri: "/v1/compare?skill=summarise&baseline=1.0&candidate=2.0&min-runs=2", method: .get) { response in
                let comparison = response.body.jsonObject
                #expect((comparison["baseline"] as? [String: Any])?["runs"] as? Int == 5)
                #expect((comparison["candidate"] as? [String: Any])?["runs"] as? Int == 2)
                #expect(comparison["verdict"] != nil)
            }
            try await client.execute(
                uri: "/v1/compare?skill=summarise&baseline-window=2026-11-20..2026-11-21&candidate-window=2026-11-21..2026-11-22",
                method: .get
            ) {
                #expect(($0.body.jsonObject["candidate"] as? [String: Any])?["runs"] as? Int == 2)
            }
            try await client.execute(uri: "/v1/compare?skill=summarise&baseline=1.0", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/compare?baseline=1.0&candidate=2.0", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/compare?skill=s&baseline-window=7d..14d&candidate=2", method: .get) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/v1/candidates?all=true&last=3650d&min-runs=1", method: .get) { response in
                let list = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
                #expect(Set(list.compactMap { $0["skillId"] as? String }) == ["summarise", "mcp:github/create_issue"])
            }
            try await client.execute(uri: "/v1/candidates?failure-rate=2", method: .get) { #expect($0.status == .badRequest) }
        }
    }

    /// `1e20d` once trapped converting its date to milliseconds, taking the whole server down.
    @Test("a span past a thousand years is a 400 naming the parameter, on the read API and the dashboard")
    func tooLongSpans() async throws {
        try await seededServer().test { client in
            for uri in ["/v1/skills/summarise/summary?since=1e20d", "/v1/skills/summarise/metrics?last=99999999999999w", "/v1/candidates?last=1e20d"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(String(buffer: response.body).contains("longer than a thousand years"), "\(uri)")
                }
            }
            try await client.execute(uri: "/skills/summarise?last=1e20d", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/skills/summarise/summary", method: .get) { #expect($0.status == .ok) }
        }
    }
}
