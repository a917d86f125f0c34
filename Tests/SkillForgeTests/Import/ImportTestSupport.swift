import Dispatch
import Foundation

@testable import SkillForge

// Helpers shared by the import and export tests. (Named apart from the OTLP
// tests' own helpers in OTLPTests.swift, which would otherwise be ambiguous.)

/// Writes `bytes` to `name` in `directory` and returns the path.
@discardableResult
func writeFile(_ name: String, _ bytes: [UInt8], in directory: TemporaryDirectory) throws -> String {
    let path = directory.path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Writes `text` as UTF-8 to `name` in `directory` and returns the path.
@discardableResult
func writeFile(_ name: String, _ text: String, in directory: TemporaryDirectory) throws -> String {
    try writeFile(name, Array(text.utf8), in: directory)
}

/// Everything a reader emits for the file at `path`, and the progress it reported.
func readAll(
    _ reader: some RecordReader, path: String, displayName: String? = nil
) throws -> (items: [ImportItem], progress: [Int64]) {
    var items: [ImportItem] = []
    var progress: [Int64] = []
    let input = ImportInput(path: path)
    try reader.read(input, progress: { progress.append($0) }, emit: { items.append($0) })
    return (items, progress)
}

/// What an item is, with its line: for comparing sequences of items.
enum ItemShape: Equatable, CustomStringConvertible {
    case metric(Int)
    case invalid(Int)
    case ignored(Int)
    case skipped(Int)
    case contribution(Int)
    case redacted(Int)
    case unrecognizedInput

    var description: String {
        switch self {
        case .metric(let line): "metric@\(line)"
        case .invalid(let line): "invalid@\(line)"
        case .ignored(let line): "ignored@\(line)"
        case .skipped(let line): "skipped@\(line)"
        case .contribution(let line): "contribution@\(line)"
        case .redacted(let line): "redacted@\(line)"
        case .unrecognizedInput: "unrecognized input"
        }
    }
}

extension ImportItem {
    var shape: ItemShape {
        switch self {
        case .metric(_, let location): .metric(location.line)
        case .invalid(let location, _): .invalid(location.line)
        case .ignored(let location, _): .ignored(location.line)
        case .skipped(let location, _): .skipped(location.line)
        case .contribution(_, let location): .contribution(location.line)
        case .redacted(let location): .redacted(location.line)
        case .unrecognizedInput: .unrecognizedInput
        }
    }

    var metricValue: SkillMetrics? {
        if case .metric(let metric, _) = self { metric } else { nil }
    }

    var problemText: String? {
        switch self {
        case .invalid(_, let problem), .skipped(_, let problem): problem
        default: nil
        }
    }

    var locationValue: SourceLocation? {
        switch self {
        case .metric(_, let location), .invalid(let location, _), .ignored(let location, _), .skipped(let location, _),
            .contribution(_, let location), .redacted(let location):
            location
        case .unrecognizedInput: nil
        }
    }
}

/// A row with every column set (valid), distinct per `index`.
func fullRow(_ index: Int, skill: String = "full") -> SkillMetrics {
    SkillMetrics(
        skillId: skill, executionMs: 100 + Int64(index), tokensIn: 1_000 + Int64(index), tokensOut: 50,
        success: index % 2 == 0, timestamp: day20 + Int64(index) * hour, version: "1.\(index)",
        model: "claude-sonnet-4-5", error: "failed #\(index)", tokensEstimated: index % 3 == 0,
        cacheReadTokens: Int64(index) * 10, cacheCreationTokens: 7, sessionId: "session-\(index)",
        runId: "run-\(index)", source: "cli", metadata: #"{"attempt":\#(index)}"#)
}

/// Runs long blocking work (seconds of reading or importing) on a Dispatch thread
/// and waits for it without holding a Swift concurrency thread: tests run in
/// parallel, and on a two-core machine the pool has two threads. Check the
/// result with `#expect` afterwards, in the test.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
