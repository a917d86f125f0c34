import Foundation
import Testing

@testable import SkillForge

/// What a reader found, without the metric: for comparing sequences of items.
private enum Found: Equatable, CustomStringConvertible {
    case metric(line: Int)
    case invalid(line: Int)
    case ignored(line: Int)
    /// What only transcripts give: a skipped row, an input with no transcript line.
    case neverFromOTLP

    var description: String {
        switch self {
        case .neverFromOTLP: "an item of another format"
        case .metric(let line): "metric@\(line)"
        case .invalid(let line): "invalid@\(line)"
        case .ignored(let line): "ignored@\(line)"
        }
    }
}

/// Everything `reader` emits for a file holding `text`.
func readItems(_ text: String, reader: OTLPReader = OTLPReader()) throws -> [ImportItem] {
    let directory = try TemporaryDirectory()
    let path = directory.path("traces.json")
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    var items: [ImportItem] = []
    try reader.read(ImportInput(path: path), progress: { _ in }, emit: { items.append($0) })
    return items
}

private func shapes(_ items: [ImportItem]) -> [Found] {
    items.map { item in
        switch item {
        case .metric(_, let location): .metric(line: location.line)
        case .invalid(let location, _): .invalid(line: location.line)
        case .ignored(let location, _): .ignored(line: location.line)
        case .skipped, .unrecognizedInput, .contribution, .redacted: .neverFromOTLP
        }
    }
}

func metrics(_ items: [ImportItem]) -> [SkillMetrics] {
    items.compactMap { if case .metric(let metric, _) = $0 { metric } else { nil } }
}

func problems(_ items: [ImportItem]) -> [String] {
    items.compactMap { if case .invalid(_, let problem) = $0 { problem } else { nil } }
}

/// 2026-11-20T00:00:00Z (`day20`) in Unix nanoseconds, as OTLP JSON writes it.
private let day20Nano = "1795132800000000000"

// MARK: - Fixtures

/// One pretty-printed `TracesData` document, as an SDK's console exporter or a
/// hand-saved trace looks: an agent invocation whose model calls report usage.
///
///     invoke_agent travel-planner   A   no usage, no model      2499.6 ms
///     ├─ chat gpt-4o                B   1200 in, 300 out, 1000 cache read   (intValue strings)
///     ├─ execute_tool get_weather   C   no usage                 150.0004 ms
///     │  └─ GET                     E   HTTP client span, not GenAI
///     └─ chat gpt-4o                D   1500 in, 80 out, 1200 cache read, 0 cache creation   (intValue numbers)
private let agentTrace = #"""
    {
      "resourceSpans": [
        {
          "resource": {
            "attributes": [
              { "key": "service.name", "value": { "stringValue": "travel-agent" } },
              { "key": "telemetry.sdk.language", "value": { "stringValue": "python" } }
            ]
          },
          "scopeSpans": [
            {
              "scope": { "name": "opentelemetry.instrumentation.openai_agents", "version": "0.1.0" },
              "spans": [
                {
                  "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
                  "spanId": "a000000000000001",
                  "name": "invoke_agent travel-planner",
                  "kind": 1,
                  "startTimeUnixNano": "1795132800000000000",
                  "endTimeUnixNano": "1795132802499600000",
                  "attributes": [
                    { "key": "gen_ai.operation.name", "value": { "stringValue": "invoke_agent" } },
                    { "key": "gen_ai.agent.name", "value": { "stringValue": "travel-planner" } },
                    { "key": "gen_ai.agent.id", "value": { "stringValue": "asst_5j66UpCpwteGg4YSxUnt7lPY" } },
                    { "key": "gen_ai.conversation.id", "value": { "stringValue": "conv-42" } }
                  ],
                  "status": {}
                },
                {
                  "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
                  "spanId": "b000000000000002",
                  "parentSpanId": "a000000000000001",
                  "name": "chat gpt-4o",
                  "kind": 3,
                  "startTimeUnixNano": "1795132800100000000",
                  "endTimeUnixNano": "1795132801100000000",
                  "attributes": [
                    { "key": "gen_ai.operation.name", "value": { "stringValue": "chat" } },
                    { "key": "gen_ai.provider.name", "value": { "stringValue": "openai" } },
                    { "key": "gen_ai.request.model", "value": { "stringValue": "gpt-4o" } },
                    { "key": "gen_ai.response.model", "value": { "stringValue": "gpt-4o-2024-08-06" } },
                    { "key": "gen_ai.usage.input_tokens", "value": { "intValue": "1200" } },
                    { "key": "gen_ai.usage.output_tokens", "value": { "intValue": "300" } },
                    { "key": "gen_ai.usage.cache_read.input_tokens", "value": { "intValue": "1000" } },
                    { "key": "gen_ai.response.finish_reasons", "value": { "arrayValue": { "values": [ { "stringValue": "tool_calls" } ] } } }
                  ],
                  "status": { "code": 0 }
                },
                {
                  "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
                  "spanId": "c000000000000003",
                  "parentSpanId": "a000000000000001",
                  "name": "execute_tool get_weather",
                  "kind": 1,
                  "startTimeUnixNano": "1795132801100000000",
                  "endTimeUnixNano": "1795132801250000400",
                  "attributes": [
                    { "key": "gen_ai.operation.name", "value": { "stringValue": "execute_tool" } },
                    { "key": "gen_ai.tool.name", "value": { "stringValue": "get_weather" } },
                    { "key": "gen_ai.tool.call.id", "value": { "stringValue": "call_mszuSIzqtI65i1wAUOE8w5H4" } },
                    { "key": "gen_ai.tool.type", "value": { "stringValue": "function" } }
                  ],
                  "status": { "code": "STATUS_CODE_OK" }
                },
                {
                  "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
                  "spanId": "e000000000000005",
                  "parentSpanId": "c000000000000003",
                  "name": "GET",
                  "kind": 3,
                  "startTimeUnixNano": "1795132801110000000",
                  "endTimeUnixNano": "1795132801240000000",
                  "attributes": [
                    { "key": "http.request.method", "value": { "stringValue": "GET" } },
                    { "key": "url.full", "value": { "stringValue": "https://api.weather.example/v1?q=Paris" } },
                    { "key": "http.response.status_code", "value": { "intValue": 200 } }
                  ],
                  "status": {}
                },
                {
                  "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
                  "spanId": "d000000000000004",
                  "parentSpanId": "a000000000000001",
                  "name": "chat gpt-4o",
                  "kind": 3,
                  "startTimeUnixNano": "1795132801300000000",
                  "endTimeUnixNano": "1795132802400000000",
                  "attributes": [
                    { "key": "gen_ai.operation.name", "value": { "stringValue": "chat" } },
                    { "key": "gen_ai.request.model", "value": { "stringValue": "gpt-4o" } },
                    { "key": "gen_ai.usage.input_tokens", "value": { "intValue": 1500 } },
                    { "key": "gen_ai.usage.output_tokens", "value": { "intValue": 80 } },
                    { "key": "gen_ai.usage.cache_read.input_tokens", "value": { "intValue": 1200 } },
                    { "key": "gen_ai.usage.cache_creation.input_tokens", "value": { "intValue": "0" } }
                  ],
                  "status": {}
                }
              ]
            }
          ]
        }
      ]
    }
    """#

/// The Collector file exporter's JSON Lines: one `TracesData` per line.
///
/// 1. execute_tool search_docs with its own usage (500/50, numbers) and a child chat span (400/40): its own wins.
/// 2. (blank)
/// 3. execute_tool deploy failing: status code 2 with a message.
/// 4. execute_tool fetch failing: status as an enum name, no message, error.type timeout.
/// 5. execute_tool lint with status unset but error.type rate_limited: a failure too.
/// 6. a logs document: ignored.
/// 7. an HTTP span and a chat span with no tool above them: both ignored.
private let jsonLines = [
    #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"docs-agent"}}]},"scopeSpans":[{"scope":{"name":"agent-sdk"},"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"1111111111111111","name":"execute_tool search_docs","kind":1,"startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800812000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"search_docs"}},{"key":"gen_ai.request.model","value":{"stringValue":"claude-sonnet-4-5"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":500}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":50}},{"key":"session.id","value":{"stringValue":"session-7"}}],"status":{}},{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"2222222222222222","parentSpanId":"1111111111111111","name":"chat claude-haiku-4-5","kind":3,"startTimeUnixNano":"1795132800100000000","endTimeUnixNano":"1795132800700000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"claude-haiku-4-5"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"400"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"40"}}],"status":{}}]}]}]}"#,
    "",
    #"{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319d","spanId":"3333333333333333","name":"execute_tool deploy","kind":1,"startTimeUnixNano":"1795132801000000000","endTimeUnixNano":"1795132801040000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"deploy"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"10"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"0"}}],"status":{"code":2,"message":"permission denied"}}]}]}]}"#,
    #"{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319e","spanId":"4444444444444444","name":"execute_tool fetch","kind":1,"startTimeUnixNano":"1795132802000000000","endTimeUnixNano":"1795132832000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"fetch"}},{"key":"error.type","value":{"stringValue":"timeout"}}],"status":{"code":"STATUS_CODE_ERROR"}}]}]}]}"#,
    #"{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319f","spanId":"5555555555555555","name":"execute_tool lint","kind":1,"startTimeUnixNano":"1795132803000000000","endTimeUnixNano":"1795132803001000000","attributes":[{"key":"gen_ai.tool.name","value":{"stringValue":"lint"}},{"key":"error.type","value":{"stringValue":"rate_limited"}}],"status":{}}]}]}]}"#,
    #"{"resourceLogs":[{"resource":{},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1795132803000000000","body":{"stringValue":"hello"}}]}]}]}"#,
    #"{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c8031a0","spanId":"6666666666666666","name":"GET /health","kind":2,"startTimeUnixNano":"1795132804000000000","endTimeUnixNano":"1795132804002000000","attributes":[{"key":"http.request.method","value":{"stringValue":"GET"}}]},{"traceId":"0af7651916cd43dd8448eb211c8031a0","spanId":"7777777777777777","name":"chat gpt-4o-mini","kind":3,"startTimeUnixNano":"1795132804000000000","endTimeUnixNano":"1795132804500000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"9"}}]}]}]}]}"#,
].joined(separator: "\n") + "\n"

/// A one-span document with the given span members (the JSON text between the braces).
func document(span members: String) -> String {
    #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"# + members + "}]}]}]}"
}

/// The members of a valid `execute_tool` span, with `extra` members or attributes appended.
private func toolSpan(
    ids: String = #""traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","#,
    times: String = #""startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800150000000","#,
    attributes: String = "", status: String = "{}"
) -> String {
    ids + #""name":"execute_tool get_weather","kind":1,"# + times
        + #""attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"get_weather"}}"#
        + attributes + #"],"status":"# + status
}

// MARK: - Reading

@Suite("OTLP import")
struct OTLPImportTests {
    @Test("a pretty-printed document: an agent's tokens are its chat spans' sum; other spans are ignored")
    func agentSumsDescendants() throws {
        let items = try readItems(agentTrace)
        let lines = agentTrace.split(separator: "\n", omittingEmptySubsequences: false)
        func objectLine(of spanId: String) -> Int {
            // A span's object opens two lines above its spanId (the traceId line sits between).
            (lines.firstIndex { $0.contains(#""spanId": "\#(spanId)""#) } ?? 0) + 1 - 2
        }
        #expect(
            shapes(items) == [
                .metric(line: objectLine(of: "a000000000000001")), .ignored(line: objectLine(of: "b000000000000002")),
                .metric(line: objectLine(of: "c000000000000003")), .ignored(line: objectLine(of: "e000000000000005")),
                .ignored(line: objectLine(of: "d000000000000004")),
            ])
        let found = metrics(items)
        try #require(found.count == 2)

        // The agent (A) has no usage of its own, so it takes its descendants':
        //   tokens_in  = B 1200 + D 1500 = 2700
        //   tokens_out = B 300  + D 80   = 380
        //   cache read = B 1000 + D 1200 = 2200
        //   cache creation = D 0 (B gives none) = 0
        // C (the tool) and E (HTTP) carry no usage and add nothing.
        // Model: both chats ask for gpt-4o (request model first), so gpt-4o.
        // Time: 1795132802499600000 − 1795132800000000000 = 2499600000 ns = 2499.6 ms → 2500.
        #expect(
            found[0]
                == SkillMetrics(
                    skillId: "travel-planner", executionMs: 2_500, tokensIn: 2_700, tokensOut: 380, success: true,
                    timestamp: day20, model: "gpt-4o", tokensEstimated: false, cacheReadTokens: 2_200,
                    cacheCreationTokens: 0, sessionId: "conv-42", runId: "4bf92f3577b34da6a3ce929d0e0e4736-a000000000000001",
                    source: "otlp"))
        // The tool (C): 150.0004 ms → 150; no usage anywhere below it, so its tokens are unknown (not 0).
        #expect(
            found[1]
                == SkillMetrics(
                    skillId: "get_weather", executionMs: 150, tokensIn: 0, tokensOut: 0, success: true,
                    timestamp: day20 + 1_100, runId: "4bf92f3577b34da6a3ce929d0e0e4736-c000000000000003",
                    source: "otlp", tokensKnown: false))
    }

    @Test("JSON Lines: several documents, own usage wins over children's, failures from status and error.type")
    func jsonLinesDocuments() throws {
        let items = try readItems(jsonLines)
        #expect(
            shapes(items) == [
                .metric(line: 1), .ignored(line: 1), .metric(line: 3), .metric(line: 4), .metric(line: 5),
                .ignored(line: 6), .ignored(line: 7), .ignored(line: 7),
            ])
        let found = metrics(items)
        try #require(found.count == 4)
        // search_docs reports 500/50 itself; its chat child's 400/40 is part of that, not added.
        #expect(
            found[0]
                == SkillMetrics(
                    skillId: "search_docs", executionMs: 812, tokensIn: 500, tokensOut: 50, success: true,
                    timestamp: day20, model: "claude-sonnet-4-5", tokensEstimated: false, sessionId: "session-7",
                    runId: "0af7651916cd43dd8448eb211c80319c-1111111111111111", source: "otlp"))
        #expect(found[1].success == false)
        #expect(found[1].error == "permission denied")
        #expect(found[1].executionMs == 40)
        #expect(found[1].tokensIn == 10)
        #expect(found[1].tokensEstimated == false)
        // Status named STATUS_CODE_ERROR with no message: error.type is the error.
        #expect(found[2].skillId == "fetch")
        #expect(found[2].success == false)
        #expect(found[2].error == "timeout")
        #expect(found[2].executionMs == 30_000)
        #expect(found[2].tokensEstimated == nil)
        // No gen_ai.operation.name, but a tool name; status unset, but error.type: a failure.
        #expect(found[3].skillId == "lint")
        #expect(found[3].success == false)
        #expect(found[3].error == "rate_limited")
    }

    @Test("integers as decimal strings, as numbers and as whole doubles read alike; status codes by number or name")
    func integerAndStatusEncodings() throws {
        func usage(_ input: String, _ output: String) -> String {
            #",{"key":"gen_ai.usage.input_tokens","value":"# + input + #"},{"key":"gen_ai.usage.output_tokens","value":"#
                + output + "}"
        }
        let lines = [
            document(span: toolSpan(attributes: usage(#"{"intValue":"1200"}"#, #"{"intValue":"34"}"#))),
            document(span: toolSpan(attributes: usage(#"{"intValue":1200}"#, #"{"intValue":34}"#))),
            document(span: toolSpan(attributes: usage(#"{"doubleValue":1200.0}"#, #"{"doubleValue":34}"#))),
            document(
                span: toolSpan(
                    times: #""startTimeUnixNano":1795132800000000000,"endTimeUnixNano":1795132800150000000,"#,
                    attributes: usage(#"{"intValue":"1200"}"#, #"{"intValue":"34"}"#))),
        ]
        let found = metrics(try readItems(lines.joined(separator: "\n")))
        try #require(found.count == 4)
        for metric in found {
            #expect(metric.tokensIn == 1_200 && metric.tokensOut == 34 && metric.executionMs == 150)
            #expect(metric.timestamp == day20)
        }

        let statuses = [
            (#"{"code":2}"#, false), (#"{"code":"2"}"#, false), (#"{"code":"STATUS_CODE_ERROR","message":"boom"}"#, false),
            (#"{"code":1}"#, true), (#"{"code":"STATUS_CODE_OK"}"#, true), (#"{"code":"STATUS_CODE_UNSET"}"#, true),
            (#"{}"#, true), (#"{"message":"ignored without an error code"}"#, true), (#"{"code":2,"message":"  "}"#, false),
        ]
        let outcomes = metrics(
            try readItems(statuses.map { document(span: toolSpan(status: $0.0)) }.joined(separator: "\n")))
        #expect(outcomes.map(\.success) == statuses.map(\.1))
        #expect(outcomes[2].error == "boom")
        #expect(outcomes[8].error == nil)  // a blank message is no message
        #expect(outcomes.filter(\.success).allSatisfy { $0.error == nil })
    }

    @Test("a truncated line and garbage are invalid, with their line numbers; the other lines still read")
    func invalidLines() throws {
        let valid = document(span: toolSpan())
        let truncated = String(valid.prefix(90))
        let items = try readItems([valid, truncated, "this is not JSON", valid, #"[1, 2]"#, #"{"hello":"world"}"#].joined(separator: "\n"))
        #expect(
            shapes(items) == [
                .metric(line: 1), .invalid(line: 2), .invalid(line: 3), .metric(line: 4), .invalid(line: 5),
                .invalid(line: 6),
            ])
        let reasons = problems(items)
        #expect(reasons[0].contains("not valid JSON"))
        #expect(reasons[1].contains("not valid JSON at column 1"))
        #expect(reasons[2].contains("expected a TracesData object"))
        #expect(reasons[3].contains("no \"resourceSpans\""))

        // A first line cut short, followed by whole lines: JSON Lines whose first line is truncated.
        let afterTruncatedFirst = try readItems([truncated, valid].joined(separator: "\n"))
        #expect(shapes(afterTruncatedFirst) == [.invalid(line: 1), .metric(line: 2)])
        // Garbage first: still JSON Lines.
        #expect(shapes(try readItems(["garbage", valid].joined(separator: "\n"))) == [.invalid(line: 1), .metric(line: 2)])
    }

    @Test("a pretty-printed document that breaks is one invalid item, at the line where it breaks")
    func brokenPrettyDocument() throws {
        let broken = agentTrace.replacingOccurrences(of: #""name": "GET","#, with: #""name": "GET""#)
        let items = try readItems(broken)
        let line = (broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(#""name": "GET""#) } ?? 0) + 2
        #expect(shapes(items) == [.invalid(line: line)])
        #expect(problems(items).first?.contains("expected ',' or a closing bracket") == true)

        let truncated = String(agentTrace.prefix(agentTrace.count / 2))
        let truncatedItems = try readItems(truncated)
        #expect(shapes(truncatedItems).count == 1)
        #expect(problems(truncatedItems).first?.contains("truncated") == true, "\(problems(truncatedItems))")
    }

    @Test("a tool span without ids or times, or with a malformed value, is invalid and says why")
    func invalidSpans() throws {
        let cases: [(String, String)] = [
            (toolSpan(ids: #""spanId":"eee19b7ec3c1b174","#), "missing traceId"),
            (toolSpan(ids: #""traceId":"5b8efff798038103d269b633813fc60c","#), "missing spanId"),
            (toolSpan(ids: #""traceId":"5b8efff798038103d269b633813fc60c","spanId":"","#), "missing spanId"),
            (toolSpan(ids: #""traceId":"xyz","spanId":"eee19b7ec3c1b174","#), "traceId \"xyz\" is not 32 hex digits"),
            (toolSpan(ids: #""traceId":"00000000000000000000000000000000","spanId":"eee19b7ec3c1b174","#), "traceId is all zeros"),
            (toolSpan(times: #""endTimeUnixNano":"1795132800150000000","#), "missing startTimeUnixNano"),
            (toolSpan(times: #""startTimeUnixNano":"0","endTimeUnixNano":"1795132800150000000","#), "missing startTimeUnixNano"),
            (toolSpan(times: #""startTimeUnixNano":"1795132800000000000","#), "missing endTimeUnixNano"),
            (toolSpan(times: #""startTimeUnixNano":"soon","endTimeUnixNano":"1795132800150000000","#), "startTimeUnixNano \"soon\""),
            (
                toolSpan(times: #""startTimeUnixNano":"1795132800150000000","endTimeUnixNano":"1795132800000000000","#),
                "is before startTimeUnixNano"
            ),
            (toolSpan(attributes: #",{"key":"gen_ai.usage.input_tokens","value":{"intValue":"12x"}}"#), #"gen_ai.usage.input_tokens "12x": not a whole number"#),
            (toolSpan(status: #"{"code":"STATUS_CODE_MAYBE"}"#), "not a status code"),
            (toolSpan(attributes: #",{"key":"skill_forge.tokens_estimated","value":{"stringValue":"yes"}}"#), "should be a boolValue"),
        ]
        for (members, reason) in cases {
            let items = try readItems(document(span: members))
            #expect(shapes(items) == [.invalid(line: 1)], "\(reason)")
            #expect(problems(items).first?.contains(reason) == true, "\(problems(items)) should say \(reason)")
            #expect(problems(items).first?.hasPrefix("span \"execute_tool get_weather\": ") == true)
        }
        // Ids in base64 (protobuf's JSON for bytes) are accepted and stored as hex.
        let base64 = try readItems(document(span: toolSpan(ids: #""traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","#)))
        #expect(metrics(base64).first?.runId == "5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174")
    }

    @Test("a malformed usage value in a descendant makes the summing span invalid; a malformed other span is ignored")
    func malformedDescendant() throws {
        let agent = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"aaaaaaaaaaaaaaaa","name":"invoke_agent helper","startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132801000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}}]}"#
        let chat = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"bbbbbbbbbbbbbbbb","parentSpanId":"aaaaaaaaaaaaaaaa","name":"chat","attributes":[{"key":"gen_ai.usage.output_tokens","value":{"intValue":"lots"}}]}"#
        let items = try readItems(#"{"resourceSpans":[{"scopeSpans":[{"spans":["# + agent + "," + chat + "]}]}]}")
        #expect(shapes(items) == [.invalid(line: 1), .ignored(line: 1)])
        #expect(problems(items).first?.contains(#"in descendant span "chat": gen_ai.usage.output_tokens "lots""#) == true)
    }

    @Test("descendants naming several models leave the model NULL; descendants in another line are not summed")
    func descendantLimits() throws {
        func span(_ id: String, parent: String?, _ attributes: String) -> String {
            #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":""# + id + #"","#
                + (parent.map { #""parentSpanId":""# + $0 + #"","# } ?? "")
                + #""name":"s","startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132801000000000","attributes":["#
                + attributes + "]}"
        }
        let agent = #"{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.agent.name","value":{"stringValue":"router"}}"#
        func chat(_ model: String, _ tokens: Int) -> String {
            #"{"key":"gen_ai.request.model","value":{"stringValue":""# + model + #""}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":""#
                + String(tokens) + #""}}"#
        }
        func doc(_ spans: [String]) -> String { #"{"resourceSpans":[{"scopeSpans":[{"spans":["# + spans.joined(separator: ",") + "]}]}]}" }

        // Two models below the agent: 7 + 8 = 15 tokens in, no single model.
        let mixed = metrics(try readItems(doc([
            span("aaaaaaaaaaaaaaaa", parent: nil, agent), span("bbbbbbbbbbbbbbbb", parent: "aaaaaaaaaaaaaaaa", chat("gpt-4o", 7)),
            span("cccccccccccccccc", parent: "bbbbbbbbbbbbbbbb", chat("o3-mini", 100)),  // below B, which reports its own: not added
            span("dddddddddddddddd", parent: "aaaaaaaaaaaaaaaa", chat("claude-haiku-4-5", 8)),
        ])))
        #expect(mixed.map(\.tokensIn) == [15])
        #expect(mixed.first?.model == nil)
        #expect(mixed.first?.skillId == "router")

        // The chat span arrives in the next batch (line): the agent cannot see it.
        let split = try readItems([
            doc([span("aaaaaaaaaaaaaaaa", parent: nil, agent)]),
            doc([span("bbbbbbbbbbbbbbbb", parent: "aaaaaaaaaaaaaaaa", chat("gpt-4o", 7))]),
        ].joined(separator: "\n"))
        #expect(shapes(split) == [.metric(line: 1), .ignored(line: 2)])
        #expect(metrics(split).first?.tokensIn == 0)
        #expect(metrics(split).first?.tokensEstimated == nil)
        #expect(metrics(split).first?.model == nil)
    }

    /// pydantic-ai writes one span a line, with the agent's totals on its `invoke_agent` span.
    @Test("an agent span's gen_ai.aggregated_usage gives its tokens when it has no usage of its own; its own usage and a malformed total win")
    func aggregatedUsage() throws {
        func agent(_ extra: String) -> String {
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"aaaaaaaaaaaaaaaa","name":"invoke_agent weather","startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132801000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.agent.name","value":{"stringValue":"weather"}}"#
                + extra + "]}]}]}]}"
        }
        let totals = #",{"key":"gen_ai.aggregated_usage.input_tokens","value":{"intValue":"1200"}},{"key":"gen_ai.aggregated_usage.output_tokens","value":{"intValue":"345"}}"#
        let alone = metrics(try readItems(agent(totals)))
        #expect(alone.map(\.tokensIn) == [1200] && alone.map(\.tokensOut) == [345])
        #expect(alone.first?.tokensKnown == nil)  // known: nil is known
        let own = #",{"key":"gen_ai.usage.input_tokens","value":{"intValue":"9"}}"#
        #expect(metrics(try readItems(agent(totals + own))).map(\.tokensIn) == [9])
        let none = metrics(try readItems(agent("")))
        #expect(none.first?.tokensKnown == false)
        let malformed = try readItems(agent(#",{"key":"gen_ai.aggregated_usage.input_tokens","value":{"stringValue":"many"}}"#))
        #expect(shapes(malformed) == [.invalid(line: 1)])
    }

    @Test("a single document larger than the limit is refused with advice to use JSON Lines")
    func documentTooLarge() throws {
        #expect(throws: ImportError.self) { try readItems(agentTrace, reader: OTLPReader(maximumDocumentBytes: 1_000)) }
        do {
            _ = try readItems(agentTrace, reader: OTLPReader(maximumDocumentBytes: 1_000))
        } catch {
            #expect("\(error)".contains("JSON Lines"))
        }
        // JSON Lines are streamed: no such limit.
        #expect(metrics(try readItems(jsonLines, reader: OTLPReader(maximumDocumentBytes: 1_000))).count == 4)
    }

    @Test("the importer stores the spans, counts the ignored ones, and stops at an invalid span unless told to skip")
    func importer() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("traces.jsonl")
        try Data(jsonLines.utf8).write(to: URL(fileURLWithPath: path))
        let db = try ProfilerDB.inMemory()
        let summary = try await Importer(store: db).run([ImportInput(path: path)], options: .init(format: .otlp))
        #expect(summary.imported == 4)
        #expect(summary.ignored == 4)
        #expect(summary.rejected == 0)
        #expect(try db.metrics(matching: MetricsFilter()).map(\.skillId) == ["search_docs", "deploy", "fetch", "lint"])
        // Importing again adds nothing: the run ids are the trace and span ids.
        #expect(try await Importer(store: db).run([ImportInput(path: path)], options: .init(format: .otlp)).duplicates == 4)

        let bad = directory.path("bad.jsonl")
        try Data((jsonLines + document(span: toolSpan(ids: "")) + "\n").utf8).write(to: URL(fileURLWithPath: bad))
        await #expect(throws: ImportError.invalidRecord(SourceLocation(file: bad, line: 8), problem: "span \"execute_tool get_weather\": missing traceId")) {
            try await Importer(store: ProfilerDB.inMemory()).run([ImportInput(path: bad)], options: .init(format: .otlp))
        }
        let skipping = try await Importer(store: ProfilerDB.inMemory())
            .run([ImportInput(path: bad)], options: .init(format: .otlp, skipInvalid: true))
        #expect(skipping.imported == 4)
        #expect(skipping.rejected == 1)
    }
}
