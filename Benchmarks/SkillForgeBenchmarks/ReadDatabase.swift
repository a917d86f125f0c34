import Foundation
import GRDB
import SkillForge
import Workload

/// The database the read benchmarks query, opened once for all of them, as a
/// long-lived application keeps its database open.
///
/// It is the file named by `SKILL_FORGE_BENCH_DB` (make the 10-million-row one
/// with `swift run -c release generate-workload`), or else 200,000 rows of the
/// peers' workload and 2 × 10,000 comparison runs, generated on first use in
/// the temporary directory. The checked-in thresholds were measured on the latter.
final class ReadDatabase: Sendable {
    static let shared = ReadDatabase()

    /// The file through Skill Forge, and through a plain GRDB connection for baselines.
    private struct Connections: Sendable {
        let skillForge: ProfilerDB
        let raw: DatabaseQueue
    }

    private let connections: Result<Connections, any Error>

    private init() {
        let path: String
        if let named = ProcessInfo.processInfo.environment["SKILL_FORGE_BENCH_DB"] {
            path = named
        } else {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("skill-forge-bench-200k.db").path
            if !FileManager.default.fileExists(atPath: path), let db = try? ProfilerDB(path: path) {
                _ = try? db.insert(contentsOf: Workload(count: 200_000))
                _ = try? db.insert(contentsOf: ComparisonWorkload(runs: 10_000))
            }
        }
        // Skill Forge first: it migrates a file of an older schema.
        connections = Result {
            Connections(skillForge: try ProfilerDB(path: path, createIfNeeded: false), raw: try DatabaseQueue(path: path))
        }
    }

    /// The database through Skill Forge.
    func skillForge() throws -> ProfilerDB { try connections.get().skillForge }

    /// The same file through a plain GRDB connection, for baselines.
    func raw() throws -> DatabaseQueue { try connections.get().raw }
}
