import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes stored rows out in JSONL, CSV or OTLP JSON, streaming in id order.
///
/// ```swift
/// let exporter = Exporter(store: try ProfilerDB())
/// let result = try await exporter.export(MetricsFilter(skillId: "summarise"), as: .csv, toFile: "summarise.csv")
/// print(result.written, result.skipped)
/// ```
///
/// Memory stays constant whatever the number of rows. `export` then `import`
/// into an empty database reproduces every row and column: rows come back in
/// the same order, with the same values and NULLs (the target assigns the ids),
/// except that a row without a `run_id` gets one derived from its fields
/// (``RunIdentity/derived(for:)``), as every imported row does.
///
/// A file it writes is one `import` accepts: rows that break the rules of the
/// store (written by other tools: see ``MetricsStore/invalidCount(matching:)``),
/// or that ``SkillMetrics/validate()`` refuses, are left out and counted in
/// ``ExportResult/skipped``.
public struct Exporter: Sendable {
    /// The store read.
    public let store: any MetricsStore

    /// Creates an exporter of `store`.
    public init(store: any MetricsStore) {
        self.store = store
    }

    /// Writes the rows `filter` selects (its order is ignored: rows go in id order) to `output`.
    ///
    /// - Returns: How many rows were written, and how many were left out as invalid.
    @discardableResult
    public func export(_ filter: MetricsFilter, as format: ExportFormat, to output: FileHandle) async throws -> ExportResult {
        var ordered = filter
        ordered.order = .insertion
        let writer = MetricsWriter(format: format, output: output)
        var refused = 0
        for try await metric in store.metrics(matching: ordered) {
            do {
                try metric.validate()
                try writer.write(metric)
            } catch is InvalidField {
                refused += 1
            }
        }
        try writer.finish()
        return ExportResult(written: writer.count, skipped: try await store.invalidCount(matching: filter) + refused)
    }

    /// Writes the rows to a file, all or nothing: into a temporary file next to
    /// it, renamed into place when complete. An existing file is replaced.
    @discardableResult
    public func export(_ filter: MetricsFilter, as format: ExportFormat, toFile path: String) async throws -> ExportResult {
        let url = URL(fileURLWithPath: path)
        let partial = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: partial)
        else {
            throw ExportError.cannotCreate(path: path)
        }
        do {
            let result = try await export(filter, as: format, to: handle)
            try handle.close()
            // rename(2) replaces the destination atomically: readers see the old file or the whole new one.
            guard rename(partial.path, url.path) == 0 else { throw ExportError.cannotCreate(path: path) }
            return result
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}

/// What an export wrote, and what it left out.
public struct ExportResult: Sendable, Hashable {
    /// Rows written.
    public var written: Int
    /// Rows left out because they break the rules of the store: `import` would refuse them.
    public var skipped: Int

    /// Creates a result.
    public init(written: Int, skipped: Int) {
        self.written = written
        self.skipped = skipped
    }
}

/// An export that could not be written.
public enum ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The output file cannot be created.
    case cannotCreate(path: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path): "cannot create \(path): check that its directory exists and is writable"
        }
    }
}
