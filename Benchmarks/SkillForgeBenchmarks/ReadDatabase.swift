import Foundation
import GRDB
import SkillForge
import Workload

/// The database the read benchmarks query: the one named by
/// `SKILL_FORGE_BENCH_DB` (make the 10-million-row one with
/// `swift run -c release generate-workload`), or else 200,000 rows of the
/// peers' workload and 2 × 10,000 comparison runs, generated on first use in
/// the temporary directory. The checked-in thresholds were measured on the latter.
final class ReadDatabase: Sendable {
    static let shared = ReadDatabase()

    let path: String

    private init() {
        if let path = ProcessInfo.processInfo.environment["SKILL_FORGE_BENCH_DB"] {
            self.path = path
            return
        }
        path = FileManager.default.temporaryDirectory.appendingPathComponent("skill-forge-bench-200k.db").path
        if !FileManager.default.fileExists(atPath: path), let db = try? ProfilerDB(path: path) {
            _ = try? db.insert(contentsOf: Workload(count: 200_000))
            _ = try? db.insert(contentsOf: ComparisonWorkload(runs: 10_000))
        }
    }

    /// The database through Skill Forge (migrated to the current schema if it is older).
    func open() throws -> ProfilerDB { try ProfilerDB(path: path, createIfNeeded: false) }

    /// The same file through a plain GRDB connection, for baselines.
    func openRaw() throws -> DatabaseQueue { try DatabaseQueue(path: path) }
}
