import Foundation

/// A new directory in the temporary directory, for a benchmark's databases.
///
/// ```swift
/// let directory = try ScratchDirectory()
/// defer { directory.remove() }
/// let db = try ProfilerDB(path: directory.path("batch.db"))
/// ```
struct ScratchDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("skill-forge-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of a file named `name` in the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Removes the directory and everything in it.
    func remove() { try? FileManager.default.removeItem(at: url) }
}
