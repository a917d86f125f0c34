import Foundation
import Testing

/// Whether Python can load OpenTelemetry's protobuf definitions (`pip install opentelemetry-proto`):
/// the independent encoder and decoder of the OTLP protobuf tests. CI installs them, so there the tests always run.
let otlpProtoIsAvailable: Bool = {
    if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
    let check = try? runProcess("/usr/bin/env", ["python3", "-c", "import opentelemetry.proto.collector.trace.v1.trace_service_pb2"])
    return check?.status == 0
}()

/// Runs a Python script and returns what it printed, failing the test when the script fails.
func python(_ script: String, stdin: String? = nil) throws -> String {
    let result = try runProcess("/usr/bin/env", ["python3", "-c", script], stdin: stdin)
    try #require(result.status == 0, "python3 failed: \(result.stderr)")
    return result.stdout
}

/// The bytes that hex text stands for (as Python's `bytes.hex()` writes them).
func bytes(hex: String) throws -> [UInt8] {
    let digits = Array(hex.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    try #require(digits.count % 2 == 0, "odd number of hex digits")
    return try stride(from: 0, to: digits.count, by: 2).map { index in
        try #require(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16))
    }
}
