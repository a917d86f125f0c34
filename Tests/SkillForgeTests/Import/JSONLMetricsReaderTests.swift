import Foundation
import Testing

@testable import SkillForge

/// Reads `text` as a JSONL file.
private func readJSONL(_ text: String) throws -> [ImportItem] {
    try readJSONL(Array(text.utf8))
}

private func readJSONL(_ bytes: [UInt8]) throws -> [ImportItem] {
    let directory = try TemporaryDirectory()
    return try readAll(JSONLMetricsReader(), path: try writeFile("runs.jsonl", bytes, in: directory)).items
}

/// The item one line gives.
private func item(_ line: String) -> ImportItem {
    JSONLMetricsReader.item(from: Array(line.utf8), at: SkillForge.SourceLocation(file: "runs.jsonl", line: 7))
}

/// The metric one line gives, or an issue.
private func metric(_ line: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SkillMetrics? {
    let item = item(line)
    if item.metricValue == nil { Issue.record("\(line): \(item.problemText ?? "?")", sourceLocation: sourceLocation) }
    return item.metricValue
}

/// The problem one line gives, or an issue.
private func problem(_ line: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
    let item = item(line)
    if item.problemText == nil { Issue.record("\(line): expected a problem, got \(item)", sourceLocation: sourceLocation) }
    #expect(item.locationValue == SkillForge.SourceLocation(file: "runs.jsonl", line: 7), sourceLocation: sourceLocation)
    return item.problemText
}

/// The required fields of a valid line, in snake_case, to which tests add or replace members.
private let base = #""skill_id":"s","execution_ms":1,"tokens_in":2,"tokens_out":3,"success":true,"timestamp":1795132800000"#

/// The members of `base` with the one of the same name as `member` replaced by it (or `member` added).
private func replacingBase(_ member: String) -> String {
    let name = member.prefix { $0 != ":" }
    let members = base.split(separator: ",")
    guard members.contains(where: { $0.hasPrefix(name + ":") }) else { return base + "," + member }
    return members.map { $0.hasPrefix(name + ":") ? Substring(member) : $0 }.joined(separator: ",")
}

@Suite("JSONL reader and metric fields")
struct JSONLMetricsReaderTests {
    @Test("camelCase and snake_case lines give the same metric")
    func namings() throws {
        let camel = metric(
            #"{"skillId":"summarise","executionMs":840,"tokensIn":1200,"tokensOut":310,"success":false,"timestamp":1795132800000,"#
                + #""version":"2.0","model":"m","error":"boom","tokensEstimated":true,"cacheReadTokens":9,"cacheCreationTokens":4,"#
                + #""sessionId":"sess","runId":"r1","source":"otel","metadata":"{\"a\":1}"}"#)
        let snake = metric(
            #"{"skill_id":"summarise","execution_ms":840,"tokens_in":1200,"tokens_out":310,"success":false,"timestamp":1795132800000,"#
                + #""version":"2.0","model":"m","error":"boom","tokens_estimated":true,"cache_read_tokens":9,"cache_creation_tokens":4,"#
                + #""session_id":"sess","run_id":"r1","source":"otel","metadata":"{\"a\":1}"}"#)
        let expected = SkillMetrics(
            skillId: "summarise", executionMs: 840, tokensIn: 1_200, tokensOut: 310, success: false, timestamp: day20,
            version: "2.0", model: "m", error: "boom", tokensEstimated: true, cacheReadTokens: 9, cacheCreationTokens: 4,
            sessionId: "sess", runId: "r1", source: "otel", metadata: #"{"a":1}"#)
        #expect(camel == expected)
        #expect(snake == expected)
        // Only the required fields: every optional one is NULL.
        #expect(metric("{\(base)}") == SkillMetrics(skillId: "s", executionMs: 1, tokensIn: 2, tokensOut: 3, success: true, timestamp: day20))
        // Names may be escaped; an `id` is not kept.
        #expect(metric(#"{"skill\u005fid":"y","id":99,"execution_ms":1,"tokens_in":2,"tokens_out":3,"success":1,"timestamp":1795132800000}"#)
            == SkillMetrics(skillId: "y", executionMs: 1, tokensIn: 2, tokensOut: 3, success: true, timestamp: day20))
    }

    @Test("timestamps: Unix milliseconds (number or text) and ISO 8601 (Z, offsets, a space)")
    func timestamps() {
        let cases: [(String, Int64)] = [
            ("1795132800000", day20),
            (#""1795132800000""#, day20),
            (#"" 1795132800000 ""#, day20),
            (#""2026-11-20T10:00:00Z""#, day20 + 10 * hour),
            (#""2026-11-20T10:00:00+02:00""#, day20 + 8 * hour),
            (#""2026-11-20T10:00:00.25-0130""#, day20 + 11 * hour + 30 * 60_000 + 250),
            (#""2026-11-20 10:00:00Z""#, day20 + 10 * hour),
            (#""2026-11-20""#, day20),
        ]
        for (literal, expected) in cases {
            let line = #"{"skill_id":"s","execution_ms":1,"tokens_in":2,"tokens_out":3,"success":true,"timestamp":\#(literal)}"#
            #expect(metric(line)?.timestamp == expected, "\(literal)")
        }
    }

    @Test("success and tokens_estimated: true, false, 1, 0, and the words yes, no, true, false in any case")
    func booleans() {
        let cases: [(String, Bool)] = [
            ("true", true), ("false", false), ("1", true), ("0", false), (#""yes""#, true), (#""no""#, false),
            (#""TRUE""#, true), (#""False""#, false), (#"" 1 ""#, true), (#""0""#, false), (#""Yes""#, true),
        ]
        for (literal, expected) in cases {
            let line = #"{"skill_id":"s","execution_ms":1,"tokens_in":2,"tokens_out":3,"timestamp":1795132800000,"success":\#(literal),"tokens_estimated":\#(literal)}"#
            let read = metric(line)
            #expect(read?.success == expected, "\(literal)")
            #expect(read?.tokensEstimated == expected, "\(literal)")
        }
        // tokens_estimated absent, null or empty text: NULL.
        #expect(metric("{\(base),\"tokens_estimated\":null}")?.tokensEstimated == nil)
        #expect(metric("{\(base),\"tokens_estimated\":\"\"}")?.tokensEstimated == nil)
    }

    @Test("metadata as an object is kept as its JSON text; as text it is kept as is")
    func metadata() {
        #expect(metric("{\(base),\"metadata\":{ \"a\": [1, 2], \"b\": {\"c\": null} }}")?.metadata == #"{ "a": [1, 2], "b": {"c": null} }"#)
        #expect(metric("{\(base),\"metadata\":\"{\\\"a\\\":1}\"}")?.metadata == #"{"a":1}"#)
        #expect(metric("{\(base),\"metadata\":null}")?.metadata == nil)
        // An array is taken as its text too; validation refuses it later (see the importer tests).
        #expect(metric("{\(base),\"metadata\":[1]}")?.metadata == "[1]")
    }

    @Test("whole numbers in decimal digits, as numbers or as text; text fields take numbers as text")
    func numberForms() {
        let read = metric(
            #"{"skill_id":"s","execution_ms":"12","tokens_in":" 40 ","tokens_out":-0,"success":true,"timestamp":"1795132800000","#
                + #""cache_read_tokens":9223372036854775807,"cache_creation_tokens":"007","version":2,"model":1.5,"session_id":7}"#)
        #expect(read?.executionMs == 12)
        #expect(read?.tokensIn == 40)
        #expect(read?.tokensOut == 0)
        #expect(read?.timestamp == 1_795_132_800_000)
        #expect(read?.cacheReadTokens == Int64.max)
        #expect(read?.cacheCreationTokens == 7)
        #expect(read?.version == "2")
        #expect(read?.model == "1.5")
        #expect(read?.sessionId == "7")
        // A number in a text column is kept as written: version 2.0 stays "2.0", 1.10 stays "1.10".
        let versions = metric(
            #"{"skill_id":"s","execution_ms":1,"tokens_in":2,"tokens_out":3,"success":true,"timestamp":1795132800000,"#
                + #""version":1.10,"model":2.0}"#)
        #expect(versions?.version == "1.10")
        #expect(versions?.model == "2.0")
    }

    /// Numbers that are no plain whole numbers in decimal digits (hex, fractions, exponents, a sign
    /// other than `-`), each refused in a count and in the timestamp, as a JSON number or as text.
    static let notDecimalNumbers = [
        "0x1F", "0X10", "1e3", "1E3", "3.0", "\"3.0\"", "\"1e3\"", "\"0x1F\"", "\"+5\"", "\"1_000\"", "\"١٢\"",
        "100000000000000000000e-5", "\"inf\"", "\"nan\"", "\"0b101\"",
    ]

    @Test("hex, fractions and exponents are refused, not read as numbers", arguments: notDecimalNumbers)
    func notDecimal(_ value: String) {
        for field in ["execution_ms", "cache_read_tokens", "timestamp"] {
            let line = "{\(replacingBase(#""\#(field)":\#(value)"#))}"
            let problem = problem(line)
            if value.hasPrefix("0") && !value.hasPrefix("0.") {
                // 0x1F is no JSON at all: the line is broken.
                #expect(problem?.hasPrefix("not valid JSON at column ") == true, "\(line)")
            } else if field == "timestamp" && value.hasPrefix("\"") {
                #expect(problem == "timestamp \(value): not Unix milliseconds or an ISO 8601 time", "\(line)")
            } else {
                #expect(problem == "\(field) \(value): not a whole number in decimal digits", "\(line)")
            }
        }
    }

    @Test("cost_usd and costUsd: decimal numbers, as JSON numbers or as text; nothing else")
    func costs() {
        #expect(metric("{\(base),\"cost_usd\":0.0125}")?.costUsd == 0.0125)
        #expect(metric("{\(base),\"costUsd\":\" 1.5e-3 \"}")?.costUsd == 0.0015)
        #expect(metric("{\(base),\"costUsd\":3}")?.costUsd == 3)
        #expect(metric("{\(base),\"cost_usd\":null}")?.costUsd == nil)
        #expect(metric("{\(base),\"cost_usd\":\"\"}")?.costUsd == nil)
        #expect(problem("{\(base),\"cost_usd\":\"nan\"}") == #"cost_usd "nan": not a decimal number"#)
        #expect(problem("{\(base),\"cost_usd\":\"0x1p3\"}") == #"cost_usd "0x1p3": not a decimal number"#)
        #expect(problem("{\(base),\"cost_usd\":\".5\"}") == #"cost_usd ".5": not a decimal number"#)
        #expect(problem("{\(base),\"cost_usd\":true}") == "cost_usd true: not a number")
        #expect(problem("{\(base),\"cost_usd\":1,\"costUsd\":1}") == #"keys "cost_usd" and "costUsd" both give cost_usd"#)
        // Read, then refused by validation like every rule of the store.
        #expect(metric("{\(base),\"cost_usd\":-0.5}")?.validationProblem == "invalid cost_usd -0.5: must be zero or more")
        #expect(metric("{\(base),\"cost_usd\":1e400}")?.validationProblem == "invalid cost_usd inf: must be a finite number of US dollars")
    }

    @Test("a field given twice, under one name or both, is refused naming both keys")
    func duplicateKeys() {
        #expect(problem(#"{"executionMs":-1,"executionMs":1,"skill_id":"s","tokens_in":2,"tokens_out":3,"success":true,"timestamp":1795132800000}"#)
            == #"key "executionMs" appears twice"#)
        #expect(problem("{\(base),\"execution_ms\":1}") == #"key "execution_ms" appears twice"#)
        #expect(problem("{\(base),\"executionMs\":1}") == #"keys "execution_ms" and "executionMs" both give execution_ms"#)
        #expect(problem("{\"skillId\":\"t\",\(base)}") == #"keys "skillId" and "skill_id" both give skill_id"#)
        // A key spelled with escapes is the same key.
        #expect(problem("{\(base),\"tokens\\u005fin\":2}") == #"key "tokens_in" appears twice"#)
        // Optional fields too, null or not; keys that are no fields may repeat.
        #expect(problem("{\(base),\"model\":null,\"model\":\"m\"}") == #"key "model" appears twice"#)
        #expect(metric("{\(base),\"note\":1,\"note\":2}") != nil)
    }

    @Test("unknown fields are ignored, whatever their value")
    func unknownFields() {
        let read = metric(#"{"extra":{"deep":[1,{"x":"y"}]},"skill":"not-a-field",\#(base),"note":null,"n":1e300,"b":false}"#)
        #expect(read == SkillMetrics(skillId: "s", executionMs: 1, tokensIn: 2, tokensOut: 3, success: true, timestamp: day20))
    }

    /// A line with one member replaced, the field and its value named in the problem (written by hand).
    static let badFields: [(String, String)] = [
        (#""tokens_in":"12x""#, #"tokens_in "12x": not a whole number in decimal digits"#),
        (#""tokens_in":"""#, "missing tokens_in"),
        (#""tokens_in":"  ""#, "missing tokens_in"),
        (#""execution_ms":1.5"#, "execution_ms 1.5: not a whole number in decimal digits"),
        (#""execution_ms":"1.5""#, #"execution_ms "1.5": not a whole number in decimal digits"#),
        (#""tokens_out":true"#, "tokens_out true: not a whole number"),
        (#""tokens_out":[1]"#, "tokens_out [1]: not a whole number"),
        (#""tokens_out":{"n":1}"#, #"tokens_out {"n":1}: not a whole number"#),
        (#""tokens_in":99999999999999999999"#, "tokens_in 99999999999999999999: does not fit in a 64-bit integer"),
        (#""tokens_in":-1e300"#, "tokens_in -1e300: not a whole number in decimal digits"),
        (#""tokens_in":"99999999999999999999""#, #"tokens_in "99999999999999999999": does not fit in a 64-bit integer"#),
        (#""success":2"#, "success 2: should be true or false (or 1 or 0)"),
        (#""success":"maybe""#, #"success "maybe": should be true or false (or 1 or 0)"#),
        (#""success":0.5"#, "success 0.5: should be true or false (or 1 or 0)"),
        (#""success":null"#, "success null: a value is required"),
        (#""tokens_in":null"#, "tokens_in null: a value is required (tokens_known false marks a run whose tokens are unknown)"),
        (#""timestamp":"yesterday""#, #"timestamp "yesterday": not Unix milliseconds or an ISO 8601 time"#),
        (#""timestamp":"2026-13-45T99:00:00Z""#, #"timestamp "2026-13-45T99:00:00Z": there is no month 13"#),
        (#""timestamp":"2026-02-30T10:00:00Z""#, #"timestamp "2026-02-30T10:00:00Z": February 2026 has 28 days, not 30"#),
        (#""timestamp":"2026-04-31""#, #"timestamp "2026-04-31": April 2026 has 30 days, not 31"#),
        (#""timestamp":"2026-11-20T24:00:00Z""#, #"timestamp "2026-11-20T24:00:00Z": hour 24 is out of range (00 to 23)"#),
        (#""timestamp":false"#, "timestamp false: not a whole number"),
        (#""skill_id":null"#, "skill_id null: a value is required"),
        (#""skill_id":"""#, "missing skill_id"),
        (#""skill_id":true"#, "skill_id true: should be text"),
        (#""skill_id":["a"]"#, #"skill_id ["a"]: should be text"#),
    ]

    @Test("a bad field gives a message naming the field and its value", arguments: badFields)
    func badField(_ testCase: (String, String)) {
        let (member, expected) = testCase
        #expect(problem("{\(replacingBase(member))}") == expected)
    }

    @Test("bad optional fields are named too")
    func badOptionalFields() {
        #expect(problem("{\(base),\"version\":true}") == "version true: should be text")
        #expect(problem("{\(base),\"model\":{\"a\":1}}") == #"model {"a":1}: should be text"#)
        #expect(problem("{\(base),\"tokens_estimated\":\"x\"}") == #"tokens_estimated "x": should be true or false (or 1 or 0)"#)
        #expect(problem("{\(base),\"cache_read_tokens\":\"lots\"}") == #"cache_read_tokens "lots": not a whole number in decimal digits"#)
        #expect(problem("{\"execution_ms\":1}") == "missing skill_id")
        #expect(problem("{}") == "missing skill_id")
        // Missing fields are named in order.
        #expect(problem(#"{"skill_id":"s","execution_ms":1,"tokens_in":2,"tokens_out":3,"success":true}"#) == "missing timestamp")
    }

    @Test("lines that are not metric objects: binary data, broken JSON, arrays, strings, numbers")
    func notObjects() {
        #expect(problem("[1,2]") == "expected a JSON object, found [1,2]")
        #expect(problem(#""text""#) == #"expected a JSON object, found "text""#)
        #expect(problem("42") == "expected a JSON object, found 42")
        #expect(problem("null") == "expected a JSON object, found null")
        #expect(problem("{\(base)") == "not valid JSON at column \(base.utf8.count + 2): the text ends inside an object or array (truncated?)")
        #expect(problem("{\(base)} trailing") == "not valid JSON at column \(base.utf8.count + 4): unexpected text after the value")
        #expect(problem("skill_id,execution_ms") == "not valid JSON at column 1: unexpected character where a value should be")
        let binary = JSONLMetricsReader.item(from: [0x7B, 0x00, 0xFF, 0x7D], at: SkillForge.SourceLocation(file: "f", line: 1))
        #expect(binary.problemText == "the line holds binary data (NUL bytes), not JSON")
        let badUTF8 = JSONLMetricsReader.item(from: Array(#"{"skill_id":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), at: SkillForge.SourceLocation(file: "f", line: 1))
        #expect(badUTF8.problemText == "not valid JSON at column 14: a string is not valid UTF-8")
        // Escaped text is checked as it is decoded.
        let badEscaped = JSONLMetricsReader.item(
            from: Array(#"{"error":"a\n"#.utf8) + [0xFF] + Array(#""}"#.utf8), at: SkillForge.SourceLocation(file: "f", line: 1))
        #expect(badEscaped.problemText?.hasPrefix("not valid JSON at column ") == true)
        #expect(badEscaped.problemText?.hasSuffix(": a string is not valid UTF-8") == true)
    }

    @Test("a file: blank lines skipped, line numbers kept, a truncated last line reported at its line")
    func file() throws {
        let text = "\n{\(base)}\n   \n\t\n{\(base),\"run_id\":\"r2\"}\r\n\n[1]\n{\"skill_id\":\"s\",\"execution"
        let items = try readJSONL(text)
        #expect(items.map(\.shape) == [.metric(2), .metric(5), .invalid(7), .invalid(8)])
        #expect(items.allSatisfy { $0.locationValue?.file.hasSuffix("runs.jsonl") == true })
        #expect(items[1].metricValue?.runId == "r2")
        #expect(items[3].problemText?.contains("not closed (the text may be truncated)") == true)
    }

    @Test("binary garbage gives invalid lines, never a crash")
    func binaryFile() throws {
        var bytes: [UInt8] = []
        var seed: UInt64 = 7
        for _ in 0..<20_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(UInt8(truncatingIfNeeded: seed >> 33))
        }
        // The first two bytes are not NUL (that would read as UTF-16).
        bytes[0] = 0x7B
        bytes[1] = 0x41
        let items = try readJSONL(bytes)
        #expect(!items.isEmpty)
        #expect(items.allSatisfy { $0.problemText != nil })
    }

    @Test("a line over the line limit is one invalid item naming its length")
    func longLine() async throws {
        let length = LineReader.defaultMaximumLineLength + 10
        let items = try await offThePool {
            try readJSONL(Array("{\(base)}\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: length) + Array("\n{\(base)}\n".utf8))
        }
        #expect(items.map(\.shape) == [.metric(1), .invalid(2), .metric(3)])
        #expect(items[1].problemText == "the line is \(length) bytes long, more than the 16 MiB a record may take")
    }

    @Test("progress ends at the file's size and never goes back")
    func progress() throws {
        let directory = try TemporaryDirectory()
        let text = String(repeating: "{\(base)}\n", count: 10_000)
        let path = try writeFile("runs.jsonl", text, in: directory)
        let (items, progress) = try readAll(JSONLMetricsReader(), path: path)
        #expect(items.count == 10_000)
        #expect(progress.count >= 2)
        #expect(progress == progress.sorted())
        #expect(progress.last == Int64(text.utf8.count))
    }
}
