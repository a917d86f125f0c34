import Foundation
import Testing

@testable import SkillForge

private let t = TelemetryFixture.t

private func s(_ key: String, _ value: String) -> TelemetryAttribute { TelemetryAttribute(key, .string(value)) }
private func i(_ key: String, _ value: Int64) -> TelemetryAttribute { TelemetryAttribute(key, .int(value)) }

/// A Claude Code event at `t + offset` ms of session s1, prompt p1.
private func record(_ name: String, at offset: Int64 = 1_000, _ attributes: [TelemetryAttribute]) -> OTLPLogRecord {
    OTLPLogRecord(
        timeUnixNano: UInt64(t + offset) * 1_000_000, body: .string("claude_code." + name),
        attributes: [s("session.id", "s1"), s("prompt.id", "p1")] + attributes,
        resourceAttributes: [s("service.name", "claude-code")])
}

private func contribution(_ record: OTLPLogRecord, options: TelemetryOptions = TelemetryOptions()) -> RunContribution? {
    if case .contribution(let contribution) = ClaudeCodeEvent(record, options: options) { return contribution }
    return nil
}

private func rejection(_ record: OTLPLogRecord) -> String? {
    if case .rejected(_, let problem) = ClaudeCodeEvent(record, options: TelemetryOptions()) { return problem }
    return nil
}

private func kind(_ record: OTLPLogRecord) -> String {
    switch ClaudeCodeEvent(record, options: TelemetryOptions()) {
    case .contribution: "contribution"
    case .ignored: "ignored"
    case .redacted: "redacted"
    case .rejected: "rejected"
    }
}

@Suite("Claude Code's telemetry events as contributions")
struct ClaudeCodeEventTests {
    @Test("an api_request in a skill: its span, tokens, cost and model; cost_usd_micros when cost_usd is absent")
    func apiRequest() throws {
        let request = record("api_request", [
            s("skill.name", "review"), TelemetryAttribute("duration_ms", .double(1_234.6)), s("input_tokens", "100"),
            TelemetryAttribute("output_tokens", .double(20)), i("cache_read_tokens", 3), s("model", "m"),
            TelemetryAttribute("cost_usd", .double(0.5)),
        ])
        let made = try #require(contribution(request))
        // 1,234.6 ms rounds to 1,235: from t + 1,000 − 1,235 to t + 1,000.
        #expect(made.start == t - 235 && made.end == t + 1_000)
        #expect(made.runId == "claude-code:s1:p1:review" && made.skillId == "review" && made.event == "api_request")
        #expect(made.usage == RunContribution.Usage(input: 100, output: 20, cacheRead: 3))
        #expect(made.costUsd == 0.5 && made.model == "m" && made.succeeded == nil && made.source == "claude-code-otel")
        #expect(made.eventKey == request.identityKey(eventName: "api_request"))

        let micros = record("api_request", [s("skill.name", "review"), i("duration_ms", 5), i("cost_usd_micros", 12_345)])
        #expect(contribution(micros)?.costUsd == 0.012345)
        #expect(contribution(record("api_request", [s("skill.name", "review"), i("duration_ms", 5)]))?.costUsd == nil)
    }

    @Test("a Skill call's skill: tool_parameters, else tool_input; without either, or redacted, it is redacted")
    func skillNames() {
        let failed = record("tool_result", [
            s("tool_name", "Skill"), s("success", "false"), s("duration_ms", "40"), s("error_type", "Error:ENOENT"),
            s("tool_input", #"{"skill":"from-input"}"#),
        ])
        #expect(contribution(failed)?.skillId == "from-input")
        #expect(contribution(failed)?.succeeded == false && contribution(failed)?.error == "Error:ENOENT")
        var named = failed
        named.attributes.append(s("tool_parameters", #"{"skill_name":"handgemacht:commit"}"#))
        #expect(contribution(named)?.runId == "claude-code:s1:p1:handgemacht:commit")
        #expect(kind(record("tool_result", [s("tool_name", "Skill"), s("success", "true"), i("duration_ms", 1)])) == "redacted")
        for placeholder in ["custom_skill", "third-party"] {
            #expect(kind(record("api_request", [s("skill.name", placeholder), i("duration_ms", 1)])) == "redacted")
            #expect(kind(record("skill_activated", [s("skill.name", placeholder)])) == "redacted")
        }
        // Cut short by Claude Code's 4 KB limit: not JSON, so no name.
        #expect(kind(record("tool_result", [s("tool_name", "Skill"), i("duration_ms", 1), s("tool_input", #"{"skill":"x"#)])) == "redacted")
    }

    @Test("MCP calls: by tool_parameters, by an mcp__server__tool name; mcp_tool without names is redacted")
    func mcpCalls() {
        let named = record("tool_result", [
            s("tool_name", "mcp_tool"), s("tool_use_id", "toolu_9"), s("success", "true"), i("duration_ms", 10),
            s("tool_parameters", #"{"mcp_server_name":"linear","mcp_tool_name":"list_issues"}"#),
        ])
        #expect(contribution(named)?.skillId == "mcp:linear/list_issues")
        #expect(contribution(named)?.runId == "claude-code:s1:toolu_9")
        #expect(contribution(named)?.usage == nil, "no sizes, no estimate")
        let legacy = record("tool_result", [s("tool_name", "mcp__github__create_issue"), s("success", "true"), i("duration_ms", 10)])
        #expect(contribution(legacy)?.skillId == "mcp:github/create_issue")
        // Without a tool-use id the run is the event's own key, in hex.
        let key = UInt64(bitPattern: legacy.identityKey(eventName: "tool_result"))
        #expect(contribution(legacy)?.runId == "claude-code:s1:\(String(key, radix: 16))")
        #expect(kind(record("tool_result", [s("tool_name", "mcp_tool"), s("success", "true"), i("duration_ms", 10)])) == "redacted")
        let bash = record("tool_result", [s("tool_name", "Bash"), s("success", "true"), i("duration_ms", 10)])
        #expect(kind(bash) == "ignored")
        #expect(contribution(bash, options: TelemetryOptions(allTools: true))?.skillId == "tool:Bash")
    }

    @Test("what attributes to no run is ignored: no skill, no prompt or session, other events, other services")
    func ignored() {
        #expect(kind(record("api_request", [i("duration_ms", 10)])) == "ignored")
        #expect(kind(record("user_prompt", [i("prompt_length", 3)])) == "ignored")
        var noPrompt = record("api_request", [s("skill.name", "review"), i("duration_ms", 10)])
        noPrompt.attributes.removeAll { $0.key == "prompt.id" }
        #expect(kind(noPrompt) == "ignored")
        let other = OTLPLogRecord(timeUnixNano: 1, body: .string("GET / 200"), attributes: [s("event.name", "tool_result")])
        #expect(kind(other) == "ignored")
        // The event.name attribute names the event of a record of the claude-code service without a body.
        var bodiless = record("skill_activated", [s("skill.name", "review"), s("event.name", "skill_activated")])
        bodiless.body = nil
        #expect(contribution(bodiless)?.event == "skill_activated")
        bodiless.resourceAttributes = [s("service.name", "other")]
        #expect(kind(bodiless) == "ignored")
    }

    @Test("a malformed value rejects the event, naming the attribute")
    func rejected() {
        let cases: [([TelemetryAttribute], String)] = [
            ([s("skill.name", "r"), s("duration_ms", "fast")], #"duration_ms "fast": not a number"#),
            ([s("skill.name", "r")], "duration_ms is missing"),
            ([s("skill.name", "r"), i("duration_ms", -5)], "duration_ms -5: must be from 0 to 2592000000 (30 days)"),
            ([s("skill.name", "r"), i("duration_ms", 5), s("input_tokens", "1.5")], #"input_tokens "1.5": not a whole number"#),
            ([s("skill.name", "r"), i("duration_ms", 5), s("cost_usd", "NaN")], #"cost_usd "NaN": not a number"#),
            ([s("skill.name", "r"), i("duration_ms", 5), TelemetryAttribute("model", .bool(true))], "model true: should be a string"),
        ]
        for (attributes, problem) in cases {
            #expect(rejection(record("api_request", attributes)) == problem)
        }
        #expect(rejection(record("tool_result", [s("tool_name", "Skill"), i("duration_ms", 5), s("success", "yes")]))
            == #"success "yes": should be "true" or "false""#)
        #expect(rejection(record("tool_result", [s("tool_name", "Skill"), i("duration_ms", 5), s("tool_parameters", "{oops")]))
            == #"tool_parameters "{oops": not a JSON object"#)
        #expect(rejection(record("tool_result", [i("duration_ms", 5)])) == "tool_name is missing")
    }

    @Test("times: time_unix_nano, else event.timestamp, else the observed time")
    func times() {
        var timeless = record("skill_activated", [s("skill.name", "r"), s("event.timestamp", "2026-11-20T10:00:01.500Z")])
        timeless.timeUnixNano = 0
        #expect(contribution(timeless)?.start == t + 1_500)
        timeless.attributes.removeAll { $0.key == "event.timestamp" }
        timeless.observedTimeUnixNano = UInt64(t + 2_000) * 1_000_000
        #expect(contribution(timeless)?.end == t + 2_000)
        timeless.observedTimeUnixNano = 0
        #expect(rejection(timeless) == "the event has no time (timeUnixNano, event.timestamp or observedTimeUnixNano)")
    }

    @Test("a run id longer than 200 characters is its hash")
    func longRunIds() throws {
        let skill = String(repeating: "s", count: 190)
        let made = try #require(contribution(record("skill_activated", [s("skill.name", skill)])))
        // "claude-code:s1:p1:" and 190 characters: 208, over the limit.
        #expect(made.runId.hasPrefix("claude-code:sha256:") && made.runId.count == 19 + 32)
        #expect(made.skillId == skill)
        #expect(contribution(record("skill_activated", [s("skill.name", String(repeating: "s", count: 182))]))?.runId.count == 200)
    }

    @Test("the event key: the same record in another attribute order or number encoding has the same key; any other attribute changes it")
    func identity() {
        let base = record("api_request", [s("skill.name", "r"), i("duration_ms", 5), i("event.sequence", 7)])
        var reordered = base
        reordered.attributes.reverse()
        reordered.observedTimeUnixNano = 99
        reordered.resourceAttributes.append(s("host.name", "added by a collector"))
        #expect(base.identityKey(eventName: "api_request") == reordered.identityKey(eventName: "api_request"))
        var other = base
        other.attributes[other.attributes.count - 1] = i("event.sequence", 8)
        #expect(base.identityKey(eventName: "api_request") != other.identityKey(eventName: "api_request"))
        var asText = base
        asText.attributes[3] = s("duration_ms", "5")
        #expect(base.identityKey(eventName: "api_request") != asText.identityKey(eventName: "api_request"), "a value's type is part of it")
    }
}

@Suite("ReceivedTelemetry: OTLP/HTTP JSON logs requests")
struct ReceivedTelemetryTests {
    @Test("a request body: a rejected event, an MCP call, another service's record")
    func request() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TelemetryFixture.request)))
        let received = ReceivedTelemetry(otlpLogsJSON: bytes)
        // The bad record's object opens on the line before its timeUnixNano.
        let lines = try String(contentsOfFile: TelemetryFixture.request, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let timeLine = try #require(lines.firstIndex { $0.contains("\"1795169000000000000\"") }) + 1
        #expect(received.problems == [
            ReceivedRuns.Problem(index: 0, line: timeLine - 1, field: "duration_ms", detail: #"claude_code.api_request: duration_ms "fast": not a number"#),
        ])
        #expect(received.ignoredCount == 1 && received.redactedCount == 0)
        // linear/list_issues failed after 1,250 ms, logged at t + 201 s; 40 input bytes → 10 tokens out.
        try #require(received.contributions.count == 1)
        let mcp = received.contributions[0]
        #expect(mcp.skillId == "mcp:linear/list_issues" && mcp.runId == "claude-code:\(TelemetryFixture.session1):toolu_03G6Linear")
        #expect(mcp.start == t + 199_750 && mcp.end == t + 201_000)
        #expect(mcp.succeeded == false && mcp.error == "McpError")
        #expect(mcp.usage == RunContribution.Usage(input: 0, output: 10, isEstimated: true))
    }

    @Test("a refused contribution becomes a problem at its record's index")
    func refusals() async throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TelemetryFixture.request)))
        let received = ReceivedTelemetry(otlpLogsJSON: bytes)
        let store = MemoryMetricsStore()
        // A stored row under the MCP call's run id that merging would push past 30 days.
        var old = SkillMetrics(skillId: "mcp:linear/list_issues", executionMs: 0, tokensIn: 0, tokensOut: 0, success: true, timestamp: t - 40 * 86_400_000)
        old.runId = received.contributions.first?.runId
        try await store.insert(old)
        let result = await store.merge(received.contributions)
        #expect(result.refused.map(\.index) == [0])
        #expect(received.problems(refusedIn: result).map(\.index) == [1])
        #expect(received.problems(refusedIn: result).first?.field == "execution_ms")
    }

    @Test("what is not a LogsData is one problem: traces, garbage, another shape; an empty request holds nothing")
    func notLogs() {
        let traces = ReceivedTelemetry(otlpLogsJSON: Array(#"{"resourceSpans":[]}"#.utf8))
        #expect(traces.problems.map(\.detail) == ["not an OTLP LogsData object: it holds another signal (resourceSpans, resourceMetrics), not resourceLogs"])
        #expect(ReceivedTelemetry(otlpLogsJSON: Array("nope".utf8)).problems.count == 1)
        #expect(ReceivedTelemetry(otlpLogsJSON: Array(#"{"skill_id":"x"}"#.utf8)).problems.map(\.detail)
            == [#"not an OTLP LogsData object: it has "skill_id" but no "resourceLogs""#])
        let empty = ReceivedTelemetry(otlpLogsJSON: Array("{}".utf8))
        #expect(empty.problems.isEmpty && empty.contributions.isEmpty && empty.ignoredCount == 0)
        let malformed = ReceivedTelemetry(otlpLogsJSON: Array(#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"soon"},{"body":{"stringValue":"x"}}]}]}]}"#.utf8))
        #expect(malformed.problems.map(\.detail) == [#"log record: timeUnixNano "soon" is not a time in Unix nanoseconds"#])
        #expect(malformed.ignoredCount == 1)
        // A value that breaks deep inside a record's attributes: the next record still reads.
        let deep = ReceivedTelemetry(otlpLogsJSON: Array(#"""
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[
              {"attributes":[{"key":"a","value":{"intValue":"x"}},{"key":"b","value":{"arrayValue":{"values":[{"stringValue":"y"}]}}}]},
              {"timeUnixNano":"1795168801000000000","body":{"stringValue":"claude_code.skill_activated"},
               "attributes":[{"key":"session.id","value":{"stringValue":"s"}},{"key":"prompt.id","value":{"stringValue":"p"}},
                             {"key":"skill.name","value":{"stringValue":"deep"}}]}]}]}]}
            """#.utf8))
        #expect(deep.problems.map(\.detail) == [#"log record: "intValue" "x" is not a 64-bit integer"#])
        #expect(deep.problems.map(\.line) == [2])
        #expect(deep.contributions.map(\.runId) == ["claude-code:s:p:deep"])
    }

    @Test("a pretty-printed and a compact copy of a request give the same contributions and keys")
    func encodings() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TelemetryFixture.request)))
        let object = try JSONSerialization.jsonObject(with: Data(bytes))
        let compact = try [UInt8](JSONSerialization.data(withJSONObject: object))
        #expect(ReceivedTelemetry(otlpLogsJSON: compact).contributions == ReceivedTelemetry(otlpLogsJSON: bytes).contributions)
    }
}
