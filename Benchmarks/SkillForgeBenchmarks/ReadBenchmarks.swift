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
                let analyzer = Analyzer(store: try ReadDatabase.shared.open())
                return try await ContinuousClock().measure { blackHole(try await analyzer.summary(forSkill: "skill-017")) }
            },
            baselines: [Side("COUNT and AVG, then p95 by OFFSET") { try BaselineQueries.aggregatesAndP95(of: "skill-017") }],
            iterations: 50
        ).register()

        PairedBenchmark(
            "summaries-of-all-skills", unit: .microseconds,
            skillForge: Side("Analyzer.summaries") {
                let analyzer = Analyzer(store: try ReadDatabase.shared.open())
                return try await ContinuousClock().measure { blackHole(try await analyzer.summaries()) }
            },
            baselines: [Side("GROUP BY skill_id") { try BaselineQueries.aggregatesOfAllSkills() }],
            iterations: 15, maxDuration: .seconds(120)
        ).register()

        PairedBenchmark(
            "compare-two-versions", unit: .microseconds,
            skillForge: Side("Analyzer.compare") {
                let analyzer = Analyzer(store: try ReadDatabase.shared.open())
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
        let db = try ReadDatabase.shared.open()
        return try ContinuousClock().measure { blackHole(try db.allSkills()) }
    }
}

// MARK: - Baselines

/// The peers' queries (../shared/peers/README.md), verbatim, through a plain GRDB connection.
enum BaselineQueries {
    static func aggregatesAndP95(of skill: String) throws -> Duration {
        let queue = try ReadDatabase.shared.openRaw()
        return try ContinuousClock().measure {
            try queue.read { db in
                blackHole(try Row.fetchOne(db, sql: aggregatesOneSkill, arguments: [skill]))
                let count =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM skill_metrics WHERE skill_id = ?", arguments: [skill]) ?? 1
                blackHole(try Int64.fetchOne(db, sql: p95OneSkill, arguments: [skill, (count * 95 + 99) / 100 - 1]))
            }
        }
    }

    static func aggregatesOfAllSkills() throws -> Duration {
        let queue = try ReadDatabase.shared.openRaw()
        return try ContinuousClock().measure {
            try queue.read { db in blackHole(try Row.fetchAll(db, sql: aggregatesAllSkills)) }
        }
    }

    static func orderedScanOfBothVersions() throws -> Duration {
        let queue = try ReadDatabase.shared.openRaw()
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
        let queue = try ReadDatabase.shared.openRaw()
        return try ContinuousClock().measure {
            try queue.read { db in blackHole(try String.fetchAll(db, sql: "SELECT DISTINCT skill_id FROM skill_metrics")) }
        }
    }

    static let aggregatesOneSkill = """
        SELECT COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success)
        FROM skill_metrics WHERE skill_id = ?
        """
    static let p95OneSkill = "SELECT execution_ms FROM skill_metrics WHERE skill_id = ? ORDER BY execution_ms LIMIT 1 OFFSET ?"
    static let aggregatesAllSkills = """
        SELECT skill_id, COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success)
        FROM skill_metrics GROUP BY skill_id
        """
    static let orderedVersions = """
        SELECT execution_ms FROM skill_metrics
        WHERE skill_id = ? AND version IN ('1.0', '2.0') ORDER BY execution_ms
        """
}
