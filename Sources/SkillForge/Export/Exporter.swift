import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes stored rows out in JSONL, CSV or OTLP JSON, streaming in id order.
///
/// ```swift
/// let exporter = Exporter(db: try ProfilerDB())
/// let count = try exporter.export(MetricsFilter(skillId: "summarise"), as: .csv, toFile: "summarise.csv")
/// ```
///
/// Memory stays constant whatever the number of rows. `export` then `import`
/// into an empty database reproduces every row and column: rows come back in
/// the same order, with the same values and NULLs (the target assigns the ids),
/// except that a row without a `run_id` gets one derived from its fields
/// (``RunIdentity/derived(for:)``), as every imported row does.
public struct Exporter: Sendable {
    /// The database read.
    public let db: ProfilerDB

    /// Creates an exporter of `db`.
    public init(db: ProfilerDB) {
        self.db = db
    }

    /// Writes the rows `filter` selects (its order is ignored: rows go in id order) to `output`.
    ///
    /// - Returns: The number of rows written.
    @discardableResult
    public func export(_ filter: MetricsFilter, as format: ExportFormat, to output: FileHandle) throws -> Int {
        var ordered = filter
        ordered.order = .insertion
        let writer = MetricsWriter(format: format, output: output)
        try db.forEachMetric(matching: ordered) { try writer.write($0) }
        try writer.finish()
        return writer.count
    }

    /// Writes the rows to a file, all or nothing: into a temporary file next to
    /// it, renamed into place when complete. An existing file is replaced.
    @discardableResult
    public func export(_ filter: MetricsFilter, as format: ExportFormat, toFile path: String) throws -> Int {
        let url = URL(fileURLWithPath: path)
        let partial = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: partial)
        else {
            throw ExportError.cannotCreate(path: path)
        }
        do {
            let count = try export(filter, as: format, to: handle)
            try handle.close()
            // rename(2) replaces the destination atomically: readers see the old file or the whole new one.
            guard rename(partial.path, url.path) == 0 else { throw ExportError.cannotCreate(path: path) }
            return count
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
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
