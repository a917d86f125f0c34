import Foundation
import Logging
import MCP
import SkillForge
import SkillForgeMCP
import Testing

/// 2026-11-20T00:00:00Z (`date -u -d 2026-11-20 +%s`) in Unix milliseconds.
private let day: Int64 = 1_795_132_800_000
/// The servers' current time: noon that day.
private let noon = Date(unixMilliseconds: day + 12 * 3_600_000)

/// A server over an in-memory database holding:
/// - summarise 1.0: 100, 200, 300, 400 ms (the last one failed), tokens 10+1, 20+2, 30+3, 40+4, at 01:00 to 04:00;
/// - summarise 2.0: 50, 60, 70 ms, tokens 10+1, 20+2, 30+3, at 05:00 to 07:00;
/// - lint: one run of 90 ms, at 08:00.
private func seededServer() async throws -> (SkillForgeMCPServer, ProfilerDB) {
    let db = try ProfilerDB(path: ":memory:")
    var hour: Int64 = 0
    func add(_ skill: String, _ version: String?, ms: Int64, tokens: Int64, success: Bool = true) throws {
        hour += 1
        try db.insert(
            SkillMetrics(
                skillId: skill, executionMs: ms, tokensIn: tokens, tokensOut: tokens / 10, success: success,
                timestamp: day + hour * 3_600_000, version: version, runId: "seed-\(hour)"))
    }
    for (ms, tokens) in [(100, 10), (200, 20), (300, 30)] as [(Int64, Int64)] { try add("summarise", "1.0", ms: ms, tokens: tokens) }
    try add("summarise", "1.0", ms: 400, tokens: 40, success: false)
    for (ms, tokens) in [(50, 10), (60, 20), (70, 30)] as [(Int64, Int64)] { try add("summarise", "2.0", ms: ms, tokens: tokens) }
    try add("lint", nil, ms: 90, tokens: 0)
    let server = SkillForgeMCPServer(store: db, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), now: { noon })
    return (server, db)
}

/// The text of a result, and whether it is an error.
private func text(of result: CallTool.Result) throws -> (text: String, isError: Bool) {
    guard case .text(let text, _, _)? = result.content.first, result.content.count == 1 else {
        Issue.record("expected one text content, got \(result.content)")
        return ("", true)
    }
    return (text, result.isError ?? false)
}

/// Calls a tool that must succeed and decodes its JSON answer as `T`.
private func answer<T: Decodable>(
    _ type: T.Type, _ server: SkillForgeMCPServer, _ tool: String, _ arguments: [String: Value] = [:]
) async throws -> T {
    let (json, isError) = try text(of: try await server.call(tool, arguments: arguments))
    try #require(!isError, "\(tool) failed: \(json)")
    return try JSONDecoder().decode(T.self, from: Data(json.utf8))
}

/// Calls a tool that must fail and returns its message.
private func refusal(_ server: SkillForgeMCPServer, _ tool: String, _ arguments: [String: Value]) async throws -> String {
    let (message, isError) = try text(of: try await server.call(tool, arguments: arguments))
    #expect(isError, "\(tool) \(arguments) should fail, answered \(message)")
    return message
}

@Suite("MCP tools: definitions and handlers over a seeded store")
struct MCPToolsTests {
    // MARK: - Definitions

    @Test("tools/list names the five tools, each with an object schema listing its required arguments")
    func toolDefinitions() throws {
        let tools = SkillForgeMCPServer.tools
        #expect(tools.map(\.name) == ["list_skills", "skill_summary", "compare_versions", "optimization_candidates", "record_run"])
        let required = Dictionary(uniqueKeysWithValues: tools.map { tool in
            (tool.name, tool.inputSchema.objectValue?["required"]?.arrayValue?.compactMap(\.stringValue) ?? ["?"])
        })
        #expect(required["list_skills"] == [])
        #expect(required["skill_summary"] == ["skill"])
        #expect(required["compare_versions"] == ["skill"])
        #expect(required["record_run"] == ["skill_id", "execution_ms", "success"])
        for tool in tools {
            let schema = try #require(tool.inputSchema.objectValue)
            #expect(schema["type"] == "object" && schema["additionalProperties"] == false, "\(tool.name)")
            #expect(tool.description?.isEmpty == false)
            #expect(tool.annotations.readOnlyHint == (tool.name != "record_run"))
        }
        let recordRun = try #require(tools.last?.inputSchema.objectValue?["properties"]?.objectValue)
        #expect(recordRun["tokens_in"] == ["type": "integer", "minimum": 0, "maximum": 1_000_000_000_000, "description": "Input (prompt) tokens; leave out both tokens_in and tokens_out when they are unknown."])
    }

    @Test("an unknown tool is a JSON-RPC invalid-params error naming the tools")
    func unknownTool() async throws {
        let (server, _) = try await seededServer()
        await #expect(throws: MCPError.invalidParams(
            #"unknown tool "delete_everything"; the tools are list_skills, skill_summary, compare_versions, optimization_candidates, record_run"#
        )) {
            try await server.call("delete_everything", arguments: [:])
        }
    }

    // MARK: - list_skills

    @Test("list_skills: each skill's runs and failures, and a skill's versions")
    func listSkills() async throws {
        let (server, _) = try await seededServer()
        let skills = try await answer([SkillOverview].self, server, "list_skills")
        #expect(skills.map(\.skillId) == ["lint", "summarise"])
        #expect(skills.map(\.runs) == [1, 7] && skills.map(\.failures) == [0, 1])
        // (100 + 200 + 300 + 400 + 50 + 60 + 70) / 7 = 1180 / 7
        #expect(abs(skills[1].meanExecutionMs - 1_180.0 / 7) < 1e-9)

        let versions = try await answer([VersionRunCount].self, server, "list_skills", ["skill": "summarise"])
        #expect(versions == [
            VersionRunCount(version: "1.0", runs: 4, firstRun: day + 3_600_000, lastRun: day + 4 * 3_600_000),
            VersionRunCount(version: "2.0", runs: 3, firstRun: day + 5 * 3_600_000, lastRun: day + 7 * 3_600_000),
        ])
        let unknown = try await refusal(server, "list_skills", ["skill": "sumarise"])
        #expect(unknown == #"no runs of "sumarise" at all; the recorded skills: lint, summarise"#)
    }

    // MARK: - skill_summary

    @Test("skill_summary: percentiles by linear interpolation, worked by hand")
    func skillSummary() async throws {
        let (server, _) = try await seededServer()
        // 100, 200, 300, 400: p50 at rank 1.5 = 250; p90 at rank 2.7 = 370; p95 at 2.85 = 385, which in
        // doubles is numpy's 384.99999999999994 (np.percentile([100, 200, 300, 400], 95)).
        let summary = try await answer(SkillSummary.self, server, "skill_summary", ["skill": "summarise", "version": "1.0"])
        #expect(summary.runs == 4 && summary.failures == 1 && summary.failureRate == 0.25)
        #expect(summary.executionMs.p50 == 250 && summary.executionMs.p90 == 370 && summary.executionMs.p95 == 384.99999999999994)
        #expect(summary.executionMs.mean == 250 && summary.executionMs.min == 100 && summary.executionMs.max == 400)
        // tokens 11 + 22 + 33 + 44 = 110
        #expect(summary.tokenRuns == 4 && summary.tokens?.total.sum == 110 && summary.tokens?.total.p95 == nil)

        // The last 6 hours before noon: summarise 2.0's runs at 06:00 and 07:00 (60 and 70 ms).
        let recent = try await answer(SkillSummary.self, server, "skill_summary", ["skill": "summarise", "last": "6h", "tokens_p95": true])
        #expect(recent.runs == 2 && recent.executionMs.p50 == 65)
        // tokens 22 and 33: p95 at rank 0.95 = 22 + 0.95 × 11 = 32.45
        #expect(abs((recent.tokens?.total.p95 ?? 0) - 32.45) < 1e-9)

        let window = try await answer(
            SkillSummary.self, server, "skill_summary",
            ["skill": "summarise", "since": "2026-11-20T02:00:00Z", "until": "2026-11-20T05:00:00Z"])
        #expect(window.runs == 3 && window.executionMs.p50 == 300)
    }

    @Test("skill_summary: bad arguments answer isError naming the argument and the value")
    func skillSummaryRefusals() async throws {
        let (server, _) = try await seededServer()
        let cases: [([String: Value], String)] = [
            ([:], "missing skill: The skill id, as list_skills names it."),
            (["skill": 42], "invalid skill 42: should be text"),
            (["skill": "summarise", "verison": "1.0"], #"unknown argument "verison" of skill_summary: it takes skill, version, model, since, until, last, tokens_p95"#),
            (["skill": "sumarise"], #"no runs of "sumarise" at all; the recorded skills: lint, summarise"#),
            (["skill": "summarise", "version": "7.7"], #"no runs of "summarise" with version "7.7"; its versions: 1.0 (4 runs), 2.0 (3 runs)"#),
            (["skill": "summarise", "model": "gpt-2"], #"no runs of "summarise" on model "gpt-2""#),
            (["skill": "summarise", "since": "2026-12-01"], #"no runs of "summarise" in the window since 2026-12-01 00:00:00 UTC"#),
            (["skill": "summarise", "last": "1h", "since": "7d"], "invalid window: Give last or since, not both."),
            (["skill": "summarise", "tokens_p95": "yes"], #"invalid tokens_p95 "yes": should be true or false"#),
        ]
        for (arguments, expected) in cases {
            #expect(try await refusal(server, "skill_summary", arguments) == expected)
        }
        let badTime = try await refusal(server, "skill_summary", ["skill": "summarise", "since": "yesterday"])
        #expect(badTime.hasPrefix(#"invalid since "yesterday": "#) && badTime.hasSuffix("or a span ago such as 7d"))
        let badSpan = try await refusal(server, "skill_summary", ["skill": "summarise", "last": "-7d"])
        #expect(badSpan == #"invalid last "-7d": a span has no sign: 7d already counts back from now"#)
    }

    // MARK: - compare_versions

    @Test("compare_versions: two versions, with the rank test's p-value from scipy")
    func compareVersions() async throws {
        let (server, _) = try await seededServer()
        let arguments: [String: Value] = ["skill": "summarise", "baseline": "1.0", "candidate": "2.0", "min_runs": 3]
        let comparison = try await answer(Comparison.self, server, "compare_versions", arguments)
        #expect(comparison.baseline.runs == 4 && comparison.candidate.runs == 3)
        #expect(comparison.latency?.p50.baseline == 250 && comparison.latency?.p50.candidate == 60)
        // scipy.stats.mannwhitneyu([100, 200, 300, 400], [50, 60, 70], method="asymptotic", use_continuity=True)
        let latencyP = try #require(comparison.latency?.test.pValue)
        #expect(abs(latencyP - 0.05182992721790968) < 1e-9)
        // 0.0518 is not below the default alpha 0.05, and tokens (11, 22, 33, 44 vs 11, 22, 33) did not move.
        #expect(comparison.verdict == .noSignificantDifference)

        var lenient = arguments
        lenient["alpha"] = 0.1
        #expect(try await answer(Comparison.self, server, "compare_versions", lenient).verdict == .better)
        #expect(try await answer(Comparison.self, server, "compare_versions", ["skill": "summarise", "baseline": "1.0", "candidate": "2.0"])
            .verdict == .notEnoughData)
        // Two windows instead of versions: 01:00 to 05:00 (four runs), then 05:00 on.
        let windows = try await answer(
            Comparison.self, server, "compare_versions",
            ["skill": "summarise", "baseline_window": "2026-11-20T00:00:00Z..2026-11-20T05:00:00Z", "candidate_window": "2026-11-20T05:00:00Z.."])
        #expect(windows.baseline.runs == 4 && windows.candidate.runs == 3)
    }

    @Test("compare_versions: a missing or empty side, and bad options, are refused")
    func compareRefusals() async throws {
        let (server, _) = try await seededServer()
        let cases: [([String: Value], String)] = [
            (["skill": "summarise", "candidate": "2.0"], "missing baseline: give baseline (a version) and/or baseline_window (START..END)"),
            (["skill": "summarise", "baseline": "1.0"], "missing candidate: give candidate (a version) and/or candidate_window (START..END)"),
            (["skill": "summarise", "baseline": "7.7", "candidate": "2.0"],
             #"no runs of "summarise" match the baseline (version 7.7); its versions: 1.0 (4 runs), 2.0 (3 runs)"#),
            (["skill": "nope", "baseline": "1.0", "candidate": "2.0"], #"no runs of "nope" at all; the recorded skills: lint, summarise"#),
            (["skill": "summarise", "baseline": "1.0", "candidate": "2.0", "alpha": 1.5], "invalid alpha 1.5: must be a number from 0.000001 to 0.999999"),
            (["skill": "summarise", "baseline": "1.0", "candidate": "2.0", "min_runs": 0], "invalid min_runs 0: must be a whole number from 1 to 1000000"),
            (["skill": "summarise", "baseline": "1.0", "candidate": "2.0", "min_runs": 2.5], "invalid min_runs 2.5: must be a whole number from 1 to 1000000"),
        ]
        for (arguments, expected) in cases {
            #expect(try await refusal(server, "compare_versions", arguments) == expected)
        }
        let window = try await refusal(server, "compare_versions", ["skill": "summarise", "baseline_window": "7d", "candidate": "2.0"])
        #expect(window.hasPrefix(#"invalid baseline_window "7d": '7d' is not a window"#))
    }

    // MARK: - optimization_candidates

    @Test("optimization_candidates: every judged skill with all, none that stands out without")
    func candidates() async throws {
        let (server, _) = try await seededServer()
        let all = try await answer([OptimizationCandidate].self, server, "optimization_candidates", ["all": true, "min_runs": 1])
        #expect(Set(all.map(\.skillId)) == ["lint", "summarise"])
        #expect(all.first { $0.skillId == "summarise" }?.summary.runs == 7)
        // With 20 runs needed, neither skill is judged, so none is listed without all.
        #expect(try await answer([OptimizationCandidate].self, server, "optimization_candidates").isEmpty)
        let judged = try await answer([OptimizationCandidate].self, server, "optimization_candidates", ["all": true])
        #expect(judged.map(\.recommendation) == [.notJudged, .notJudged])
        // The period before 01:00 holds nothing: 11 hours back from noon is 01:00, so "10h" leaves the first run out.
        let recent = try await answer([OptimizationCandidate].self, server, "optimization_candidates", ["all": true, "last": "10h", "min_runs": 1])
        #expect(recent.first { $0.skillId == "summarise" }?.summary.runs == 6)

        #expect(try await refusal(server, "optimization_candidates", ["last": "7x"])
            == #"invalid last "7x": '7x' is not a length of time (use a number and a unit: 90s, 15m, 24h, 7d, 2w)"#)
        #expect(try await refusal(server, "optimization_candidates", ["failure_rate": 2])
            == "invalid failure_rate 2: must be a number from 0.000001 to 1")
    }

    // MARK: - Cost

    /// Skill "s": version 1.0 costs $0.01, $0.02 and $0.03 a run, 2.0 $0.04, $0.05 and $0.06; skills "b" and "c"
    /// cost $0.01 a run. scipy: `mannwhitneyu([1e7, 2e7, 3e7], [4e7, 5e7, 6e7], method="asymptotic").pvalue`
    /// -> 0.08085559837005224; by hand the means are 0.02 and 0.05, and the median skill's cost per run is the
    /// median of 0.035 ("s"), 0.01 and 0.01: 0.01, so "s" is 3.5x.
    @Test("compare_versions answers cost per run with its test; optimization_candidates reads cost_factor")
    func cost() async throws {
        let db = try ProfilerDB(path: ":memory:")
        let runs = [("s", "1.0", 0.01), ("s", "1.0", 0.02), ("s", "1.0", 0.03), ("s", "2.0", 0.04), ("s", "2.0", 0.05),
                    ("s", "2.0", 0.06), ("b", nil, 0.01), ("c", nil, 0.01)]
        for (index, (skill, version, cost)) in runs.enumerated() {
            _ = try await db.insert(
                SkillMetrics(
                    skillId: skill, executionMs: 100, tokensIn: 10, tokensOut: 1, success: true,
                    timestamp: day + Int64(index + 1) * 3_600_000, version: version, costUsd: cost))
        }
        let server = SkillForgeMCPServer(store: db, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), now: { noon })
        let comparison = try await answer(Comparison.self, server, "compare_versions", ["skill": "s", "baseline": "1.0", "candidate": "2.0"])
        let cost = try #require(comparison.cost)
        #expect(abs(cost.mean.baseline - 0.02) < 1e-12 && abs(cost.mean.candidate - 0.05) < 1e-12)
        #expect(abs(cost.test.pValue - 0.08085559837005224) < 1e-12)

        let costly = try await answer([OptimizationCandidate].self, server, "optimization_candidates", ["min_runs": 1])
        #expect(costly.map(\.reasons) == [["$0.0350 per run, 3.5x the median skill ($0.0100)"]])
        #expect(try await answer([OptimizationCandidate].self, server, "optimization_candidates", ["min_runs": 1, "cost_factor": 4]).isEmpty)
        #expect(try await refusal(server, "optimization_candidates", ["cost_factor": 1]).hasPrefix("invalid cost_factor 1: must be a number from"))
    }

    // MARK: - record_run

    @Test("record_run stores the run, with now and a new run id by default, and skill_summary counts it")
    func recordRun() async throws {
        let (server, db) = try await seededServer()
        let stored = try await answer(
            SkillMetrics.self, server, "record_run",
            ["skill_id": "lint", "execution_ms": 110, "tokens_in": 5, "tokens_out": 1, "success": false, "error": "exit 2",
             "cost_usd": 0.0125, "metadata": ["pr": 7]])
        let id = try #require(stored.id)
        let row = try #require(try await db.metric(id: id))
        #expect(row == stored)
        #expect(row.skillId == "lint" && row.executionMs == 110 && row.tokensIn == 5 && row.tokensOut == 1 && !row.success)
        #expect(row.error == "exit 2" && row.costUsd == 0.0125 && row.metadata == #"{"pr":7}"#)
        #expect(row.timestamp == noon.unixMilliseconds && row.source == "mcp")
        #expect(UUID(uuidString: row.runId ?? "") != nil)

        let summary = try await answer(SkillSummary.self, server, "skill_summary", ["skill": "lint"])
        // 90 and 110 ms, one of two failed.
        #expect(summary.runs == 2 && summary.executionMs.p50 == 100 && summary.failureRate == 0.5)
    }

    @Test("record_run takes every column: a timestamp as text, version, model, session, cache tokens, estimates")
    func recordRunEveryField() async throws {
        let (server, db) = try await seededServer()
        let stored = try await answer(
            SkillMetrics.self, server, "record_run",
            ["skill_id": "fetch", "execution_ms": 3_012, "tokens_in": 90, "tokens_out": 0, "success": true,
             "timestamp": "2026-11-20T10:00:00Z", "version": "2.1", "model": "claude-sonnet-4-5", "session_id": "s-1",
             "run_id": "run-42", "tokens_estimated": true, "cache_read_tokens": 7, "cache_creation_tokens": 3])
        let row = try #require(try await db.metric(id: stored.id ?? 0))
        // 2026-11-20T10:00:00Z = midnight + 10 × 3,600,000 ms
        #expect(row.timestamp == day + 36_000_000)
        #expect(row.version == "2.1" && row.model == "claude-sonnet-4-5" && row.sessionId == "s-1" && row.runId == "run-42")
        #expect(row.tokensEstimated == true && row.cacheReadTokens == 7 && row.cacheCreationTokens == 3)

        // The same run_id again is refused, and nothing more is stored.
        let again = try await refusal(
            server, "record_run", ["skill_id": "fetch", "execution_ms": 1, "tokens_in": 0, "tokens_out": 0, "success": true, "run_id": "run-42"])
        #expect(again == #"a run with run_id "run-42" is already stored"#)
        #expect(try db.count(matching: MetricsFilter(skillId: "fetch")) == 1)
    }

    @Test("record_run without tokens_in and tokens_out stores a run whose tokens are unknown, as record does")
    func recordRunUnknownTokens() async throws {
        let (server, db) = try await seededServer()
        let row = try await answer(
            SkillMetrics.self, server, "record_run", ["skill_id": "fetch", "execution_ms": 5, "success": true, "run_id": "run-7"])
        #expect(row.tokensKnown == false && row.tokensIn == 0 && row.tokensOut == 0)
        let stored = try #require(try db.metrics(matching: MetricsFilter(skillId: "fetch")).first)
        #expect(stored.tokensKnown == false && !stored.hasKnownTokens)
    }

    /// By hand: 1,000 in × $2e-6 + 100 out × $1e-5 = 0.002 + 0.001 = 0.003, from the server's list;
    /// claude-sonnet-4-5 from the shipped one: 1,000 × 3e-6 + 100 × 15e-6 = 0.003 + 0.0015 = 0.0045.
    @Test("record_run prices a run without cost_usd from the server's price list, and keeps a stated cost")
    func recordRunPricing() async throws {
        let db = try ProfilerDB.inMemory()
        let prices = try PriceList(
            json: Data(#"{"my-model":{"input_cost_per_token":2e-6,"output_cost_per_token":1e-5}}"#.utf8), file: "prices.json")
        let server = SkillForgeMCPServer(
            store: db, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), prices: prices, now: { noon })
        func record(_ extra: [String: Value]) async throws -> SkillMetrics {
            try await answer(
                SkillMetrics.self, server, "record_run",
                ["skill_id": "fetch", "execution_ms": 5, "success": true, "tokens_in": 1_000, "tokens_out": 100].merging(extra) { $1 })
        }
        let priced = try await record(["model": "my-model"])
        #expect(abs((priced.costUsd ?? 0) - 0.003) < 1e-12 && priced.costEstimated == true)
        let stated = try await record(["model": "my-model", "cost_usd": 0.5])
        #expect(stated.costUsd == 0.5 && stated.costEstimated == nil)
        // The list given replaces the shipped one: a model only the shipped list prices has no cost.
        #expect(try await record(["model": "claude-sonnet-4-5"]).costUsd == nil)
        let shippedServer = SkillForgeMCPServer(store: db, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), now: { noon })
        let shippedRun = try await answer(
            SkillMetrics.self, shippedServer, "record_run",
            ["skill_id": "fetch", "execution_ms": 5, "success": true, "tokens_in": 1_000, "tokens_out": 100, "model": "claude-sonnet-4-5"])
        #expect(abs((shippedRun.costUsd ?? 0) - 0.0045) < 1e-12)
    }

    @Test("record_run refuses what record and import refuse, with the same messages, and stores nothing")
    func recordRunRefusals() async throws {
        let (server, db) = try await seededServer()
        let valid: [String: Value] = ["skill_id": "lint", "execution_ms": 10, "tokens_in": 1, "tokens_out": 1, "success": true]
        func with(_ changes: [String: Value?]) -> [String: Value] {
            var arguments = valid
            for (key, value) in changes { arguments[key] = value }
            return arguments
        }
        let cases: [([String: Value], String)] = [
            (with(["tokens_in": -5]), "invalid tokens_in -5: must be zero or more"),
            (with(["tokens_in": nil]), "missing tokens_in"),
            (with(["success": nil]), "missing success"),
            (with(["skill_id": "  "]), "missing skill_id"),
            (with(["tokens_out": "abc"]), #"tokens_out "abc": not a whole number in decimal digits"#),
            (with(["execution_ms": 1.5]), "execution_ms 1.5: not a whole number in decimal digits"),
            (with(["success": "maybe"]), #"success "maybe": should be true or false (or 1 or 0)"#),
            (with(["timestamp": 1_795_132_800]), "invalid timestamp 1795132800: looks like Unix seconds; timestamps are Unix milliseconds (multiply by 1000)"),
            (with(["cost_usd": -1]), "invalid cost_usd -1.0: must be zero or more"),
            (with(["metadata": [1, 2]]), "invalid metadata \"[1,2]\": must be the text of a JSON object"),
            (with(["source": "cli"]), #"unknown argument "source" of record_run: it takes skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, model, error, tokens_estimated, cache_read_tokens, cache_creation_tokens, session_id, run_id, metadata, cost_usd"#),
            (with(["skillId": "lint"]), #"unknown argument "skillId" of record_run: it takes skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, model, error, tokens_estimated, cache_read_tokens, cache_creation_tokens, session_id, run_id, metadata, cost_usd"#),
        ]
        for (arguments, expected) in cases {
            #expect(try await refusal(server, "record_run", arguments) == expected)
        }
        #expect(try db.count(matching: MetricsFilter()) == 8)
    }
}

@Suite("MCP server: the SDK's own client over an in-memory transport")
struct MCPTransportTests {
    @Test("initialize, tools/list and tools/call reach the handlers; an unknown tool is error -32602")
    func sdkClient() async throws {
        let (server, _) = try await seededServer()
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        let running = try await server.start(on: serverSide)
        let client = Client(name: "test", version: "1")
        let initialized = try await client.connect(transport: clientSide)
        #expect(initialized.serverInfo.name == "skill-forge" && initialized.capabilities.tools != nil)

        let (tools, _) = try await client.listTools()
        // Through JSON, as the client received them (a default of 2.0 arrives as the integer 2).
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(tools) == encoder.encode(SkillForgeMCPServer.tools))
        #expect(tools.map(\.name) == SkillForgeTool.allCases.map(\.rawValue))
        let (content, isError) = try await client.callTool(name: "skill_summary", arguments: ["skill": "summarise", "version": "2.0"])
        #expect(isError != true)
        guard case .text(let json, _, _)? = content.first else {
            Issue.record("expected a text answer, got \(content)")
            return
        }
        // 50, 60, 70 ms: the p50 is the middle one.
        #expect(try JSONDecoder().decode(SkillSummary.self, from: Data(json.utf8)).executionMs.p50 == 60)

        do {
            _ = try await client.callTool(name: "nope")
            Issue.record("an unknown tool should be a JSON-RPC error")
        } catch let error as MCPError {
            #expect(error.code == -32602)
        }
        await client.disconnect()
        await running.stop()
    }
}
