import Foundation
import Testing

/// 2026-11-20T00:00:00Z (`date -u -d 2026-11-20 +%s`) in Unix milliseconds.
private let day: Int64 = 1_795_132_800_000

/// A metric of client `client`, request `request`, item `item`, in the fields of import --from jsonl.
private func metricJSON(client: Int, request: Int, item: Int) -> String {
    #"{"skillId":"client-\#(client)","executionMs":\#(100 + item),"tokensIn":\#(request),"tokensOut":\#(item),"success":true,"timestamp":\#(day + Int64(request * 1_000 + item)),"runId":"c\#(client)-r\#(request)-i\#(item)"}"#
}

/// An OTLP JSON traces request with `count` tool spans of client `client`, request `request`.
private func tracesJSON(client: Int, request: Int, count: Int) -> String {
    let spans = (0..<count).map { item in
        let start = UInt64(day + Int64(request * 1_000 + item)) * 1_000_000
        return #"{"traceId":"\#(String(format: "%032x", client * 1_000 + request))","spanId":"\#(String(format: "%016x", item + 1))","name":"execute_tool","startTimeUnixNano":"\#(start)","endTimeUnixNano":"\#(start + 250_000_000)","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"otlp-client-\#(client)"}}]}"#
    }
    return #"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[\#(spans.joined(separator: ","))]}]}]}"#
}

/// OTLP protobuf traces requests encoded by Python's opentelemetry-proto (the independent
/// encoder), the same spans as ``tracesJSON(client:request:count:)``: `[request: body]`.
private func tracesProtobuf(client: Int, requests: Int, count: Int) async throws -> [Int: Data] {
    let script = """
        import sys
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
        client, requests, count, day = (int(a) for a in sys.argv[1:5])
        for request in range(requests):
            message = ExportTraceServiceRequest()
            spans = message.resource_spans.add().scope_spans.add()
            for item in range(count):
                span = spans.spans.add()
                span.trace_id = (client * 1000 + request).to_bytes(16, "big")
                span.span_id = (item + 1).to_bytes(8, "big")
                span.name = "execute_tool"
                span.start_time_unix_nano = (day + request * 1000 + item) * 1_000_000
                span.end_time_unix_nano = span.start_time_unix_nano + 250_000_000
                for key, value in (("gen_ai.operation.name", "execute_tool"), ("gen_ai.tool.name", f"otlp-client-{client}")):
                    attribute = span.attributes.add()
                    attribute.key = key
                    attribute.value.string_value = value
            print(request, message.SerializeToString().hex())
        """
    let result = try await runProcess("/usr/bin/env", ["python3", "-c", script, String(client), String(requests), String(count), String(day)])
    try #require(result.status == 0, "python3 failed: \(result.stderr)")
    var bodies: [Int: Data] = [:]
    for line in result.stdout.split(separator: "\n") {
        let parts = line.split(separator: " ")
        guard parts.count == 2, let request = Int(parts[0]) else { continue }
        let hex = Array(parts[1].utf8)
        bodies[request] = Data(stride(from: 0, to: hex.count, by: 2).compactMap {
            UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)
        })
    }
    return bodies
}

@Suite("skill-forge serve: the real binary on a loopback port")
struct ServeCommandTests {
    @Test("8 clients posting JSON, NDJSON, OTLP JSON and OTLP protobuf at once: every run arrives exactly once, resends add nothing")
    func concurrentClients() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("collector.db")
        let requests = 12
        var protobuf: [Int: [Int: Data]] = [:]
        for client in [3, 7] { protobuf[client] = try await tracesProtobuf(client: client, requests: requests, count: 10) }
        let protobufBodies = protobuf
        let server = try await ServerProcess(db: db)
        let statuses = await withTaskGroup(of: [Int?].self) { group in
            for client in 0..<8 {
                group.addTask {
                    var statuses: [Int?] = []
                    for request in 0..<requests {
                        let (body, type): (Data, String) = switch client % 4 {
                        case 0: (Data(("[" + (0..<10).map { metricJSON(client: client, request: request, item: $0) }.joined(separator: ",") + "]").utf8), "application/json")
                        case 1: (Data((0..<10).map { metricJSON(client: client, request: request, item: $0) }.joined(separator: "\n").utf8), "application/x-ndjson")
                        case 2: (Data(tracesJSON(client: client, request: request, count: 10).utf8), "application/json")
                        default: (protobufBodies[client]?[request] ?? Data(), "application/x-protobuf")
                        }
                        let path = client % 4 >= 2 ? "/v1/traces" : "/v1/metrics"
                        // Every request is sent twice: the second adds nothing.
                        for _ in 0..<2 {
                            statuses.append(await server.request("POST", path, body: body, contentType: type).status)
                        }
                    }
                    return statuses
                }
            }
            return await group.reduce(into: [Int?]()) { $0 += $1 }
        }
        #expect(statuses.count == 8 * requests * 2)
        #expect(statuses.allSatisfy { $0 == 201 || $0 == 200 }, "\(Set(statuses.map { $0.map(String.init) ?? "no answer" }))")
        server.send(SIGTERM)
        #expect(await server.waitForExit() == 0)

        // 8 clients × 12 requests × 10 runs, each once: read back by the sqlite3 shell.
        let count = try await sqlite3(db, "SELECT COUNT(*), COUNT(DISTINCT run_id) FROM skill_metrics")
        #expect(count.stdout == "960|960\n")
        let perSkill = try await sqlite3(db, "SELECT skill_id, COUNT(*) FROM skill_metrics GROUP BY skill_id ORDER BY skill_id")
        #expect(perSkill.stdout.split(separator: "\n").count == 8)
        #expect(perSkill.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix("|120") })
        // A span of 250 ms, as sent.
        let spans = try await sqlite3(db, "SELECT DISTINCT execution_ms FROM skill_metrics WHERE skill_id LIKE 'otlp-%'")
        #expect(spans.stdout == "250\n")
    }

    @Test("kill -9 under load loses no run the server acknowledged")
    func killDuringLoad() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("crash.db")
        let server = try await ServerProcess(db: db)
        let acknowledged = await withTaskGroup(of: [String].self) { group in
            for client in 0..<4 {
                group.addTask {
                    var runIds: [String] = []
                    for request in 0..<400 {
                        let items = (0..<5).map { metricJSON(client: client, request: request, item: $0) }
                        let answer = await server.request(
                            "POST", "/v1/metrics", body: Data(("[" + items.joined(separator: ",") + "]").utf8),
                            contentType: "application/json")
                        guard answer.status == 201 else { break }
                        let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
                        runIds += object?["runIds"] as? [String] ?? []
                    }
                    return runIds
                }
            }
            group.addTask {
                // Kill the server once some requests have been answered, while others are in flight.
                try? await Task.sleep(for: .milliseconds(700))
                server.send(SIGKILL)
                return []
            }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        _ = await server.waitForExit()
        #expect(!acknowledged.isEmpty, "no request was answered before the kill")
        let stored = Set(try await sqlite3(db, "SELECT run_id FROM skill_metrics").stdout.split(separator: "\n").map(String.init))
        let lost = Set(acknowledged).subtracting(stored)
        #expect(lost.isEmpty, "\(lost.count) acknowledged runs lost, of \(acknowledged.count)")
        // Whole requests only: every stored request has its five runs.
        let partial = try await sqlite3(
            db, "SELECT COUNT(*) FROM (SELECT skill_id, tokens_in FROM skill_metrics GROUP BY 1, 2 HAVING COUNT(*) != 5)")
        #expect(partial.stdout == "0\n")
        let check = try await sqlite3(db, "PRAGMA integrity_check")
        #expect(check.stdout == "ok\n")
    }

    @Test("off loopback without a token, and on a port in use, serve refuses to start and leaves no database")
    func refusals() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("never.db")
        let open = try await skillForge("serve", "--db", db, "--host", "0.0.0.0")
        #expect(open.status == 64)
        #expect(open.stderr.contains("token"))
        let server = try await ServerProcess(db: directory.path("first.db"))
        let busy = try await skillForge("serve", "--db", db, "--port", String(server.port))
        #expect(busy.status == 1)
        #expect(busy.stderr.lowercased().contains("address already in use"), "\(busy.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
        server.send(SIGTERM)
        _ = await server.waitForExit()
    }

    /// curl sends `Expect: 100-continue` before a body over 1 MiB and waits up to a second
    /// for the interim answer; `--expect100-timeout 60` makes a missing answer a one-minute wait.
    @Test("a client that sends Expect: 100-continue gets 100 Continue before its body, then the answer")
    func continueBeforeTheBody() async throws {
        let directory = try TemporaryDirectory()
        let server = try await ServerProcess(db: directory.path("continue.db"))
        let body = directory.path("runs.json")
        try Data(metricJSON(client: 0, request: 0, item: 0).utf8).write(to: URL(fileURLWithPath: body))
        let curl = try await runProcess("/usr/bin/env", [
            "curl", "-sv", "--expect100-timeout", "60", "-H", "Expect: 100-continue", "-H", "Content-Type: application/json",
            "--data-binary", "@\(body)", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(server.port)/v1/metrics",
        ])
        #expect(curl.stdout == "201")
        let answers = curl.stderr.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("< HTTP/1.1") }
        #expect(answers.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == ["< HTTP/1.1 100 Continue", "< HTTP/1.1 201 Created"])
        server.send(SIGTERM)
        _ = await server.waitForExit()
    }
}
