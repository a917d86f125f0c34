import Foundation
import Benchmark
import GRDB
import SkillForge
import Workload

/// Analysis reads of the read database (``ReadDatabase``), each next to the
/// cheapest SQL that does the same work (the peers' queries where they have one).
enum ReadBenchmarks {
    static func register() {
        PairedBenchmark(
            "summary-of-one-skill", unit: .microseconds,
            skillForge: Side("Analyzer.summary") {
                let analyzer = Analyzer(store: try ReadDatabase.shared.skillForge())
                return try await ContinuousClock().measure { blackHole(try await analyzer.summary(forSkill: "skill-017")) }
            },
            baselines: [Side("COUNT and AVG, then p95 by OFFSET") { try BaselineQueries.aggregatesAndP95(of: "skill-017") }],
            iterations: 50
        ).register()

        PairedBenchmark(
            "summaries-of-all-skills", unit: .microseconds,
            skillForge: Side("Analyzer.summaries") {
                let analyzer = Analyzer(store: try ReadDatabase.shared.skillForge())
                return try await ContinuousClock().measure { blackHole(try await analyzer.summaries()) }
            },
            baselines: [Side("GROUP BY skill_id") { try BaselineQueries.aggregatesOfAllSkills() }],
            iterations: 15, maxDuration: .seconds(120)
        ).register()

        let lastWeek = TimeWindow(since: Date(unixMilliseconds: Workload.lastWeekStart))
        PairedBenchmark(
            "summaries-of-the-last-7-days", unit: .microseconds,
            skillForge: Side("Analyzer.summaries(window:)") {
                let analyzer = Analyzer(store: try ReadDatabase.shared.skillForge())
                return try await ContinuousClock().measure { blackHole(try await analyzer.summaries(window: lastWeek)) }
            },
            baselines: [Side("GROUP BY skill_id, last 7 days") { try BaselineQueries.aggregatesOfAllSkills(since: Workload.lastWeekStart) }],
            iterations: 15, maxDuration: .seconds(120)
        ).register()

        PairedBenchmark(
            "summary-of-one-version", unit: .microseconds,
            skillForge: Side("Analyzer.summary(forSkill:version:)") {
                let analyzer = Analyzer(store: try ReadDatabase.shared.skillForge())
                return try await ContinuousClock().measure {
                    blackHole(try await analyzer.summary(forSkill: ComparisonWorkload.skillId, version: "2.0"))
                }
            },
            baselines: [Side("COUNT and AVG, then p95 by OFFSET, one version") {
                try BaselineQueries.aggregatesAndP95(of: ComparisonWorkload.skillId, version: "2.0")
            }],
            iterations: 30
        ).register()

        PairedBenchmark(
            "compare-two-versions", unit: .microseconds,
            skillForge: Side("Analyzer.compare") {
                let analyzer = Analyzer(store: try ReadDatabase.shared.skillForge())
                return try await ContinuousClock().measure {
                    blackHole(
                        try await analyzer.compare(
                            skill: ComparisonWorkload.skillId, baseline: .version("1.0"), candidate: .version("2.0")))
                }
            },
            baselines: [Side("ordered scan of both versions") { try BaselineQueries.orderedScanOfBothVersions() }],
            iterations: 30
        ).register()

        PairedBenchmark(
            "allSkills", unit: .microseconds,
            skillForge: Side("ProfilerDB.allSkills") { try allSkills() },
            baselines: [Side("SELECT DISTINCT skill_id") { try BaselineQueries.distinctSkills() }],
            iterations: 30
        ).register()
    }

    /// The synchronous `allSkills()`.
    private static func allSkills() throws -> Duration {
        let db = try ReadDatabase.shared.skillForge()
        return try ContinuousClock().measure { blackHole(try db.allSkills()) }
    }
}

// MARK: - Baselines

/// The peers' queries (../shared/peers/README.md), verbatim, through a plain GRDB connection.
enum BaselineQueries {
    /// The peers' one-skill queries; with a version, each with `AND version = ?` added.
    static func aggregatesAndP95(of skill: String, version: String? = nil) throws -> Duration {
        let queue = try ReadDatabase.shared.raw()
        let (condition, arguments): (String, StatementArguments) =
            version.map { (" AND version = ?", [skill, $0]) } ?? ("", [skill])
        return try ContinuousClock().measure {
            try queue.read { db in
                blackHole(try Row.fetchOne(db, sql: aggregatesOneSkill + condition, arguments: arguments))
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM skill_metrics WHERE skill_id = ?" + condition, arguments: arguments) ?? 1
                blackHole(
                    try Int64.fetchOne(
                        db,
                        sql: "SELECT execution_ms FROM skill_metrics WHERE skill_id = ?\(condition) ORDER BY execution_ms LIMIT 1 OFFSET ?",
                        arguments: arguments + [(count * 95 + 99) / 100 - 1]))
            }
        }
    }

    /// The peers' `GROUP BY` of every skill; with a start, of the runs from then on.
    static func aggregatesOfAllSkills(since start: Int64? = nil) throws -> Duration {
        let queue = try ReadDatabase.shared.raw()
        let sql = aggregatesAllSkills(where: start == nil ? "" : "WHERE timestamp >= ?")
        let arguments: StatementArguments = start.map { [$0] } ?? []
        return try ContinuousClock().measure {
            try queue.read { db in blackHole(try Row.fetchAll(db, sql: sql, arguments: arguments)) }
        }
    }

    static func orderedScanOfBothVersions() throws -> Duration {
        let queue = try ReadDatabase.shared.raw()
        return try ContinuousClock().measure {
            try queue.read { db in
                let cursor = try Int64.fetchCursor(db, sql: orderedVersions, arguments: [ComparisonWorkload.skillId])
                var sum: Int64 = 0
                while let value = try cursor.next() { sum &+= value }
                blackHole(sum)
            }
        }
    }

    static func distinctSkills() throws -> Duration {
        let queue = try ReadDatabase.shared.raw()
        return try ContinuousClock().measure {
            try queue.read { db in blackHole(try String.fetchAll(db, sql: "SELECT DISTINCT skill_id FROM skill_metrics")) }
        }
    }

    static let aggregatesOneSkill = """
        SELECT COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success)
        FROM skill_metrics WHERE skill_id = ?
        """
    static func aggregatesAllSkills(where condition: String) -> String {
        """
        SELECT skill_id, COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success)
        FROM skill_metrics \(condition) GROUP BY skill_id
        """
    }
    static let orderedVersions = """
        SELECT execution_ms FROM skill_metrics
        WHERE skill_id = ? AND version IN ('1.0', '2.0') ORDER BY execution_ms
        """
}
