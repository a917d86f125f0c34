import GRDB

// MARK: - Recomputing groups from the rows

// Deletions cannot take the smallest and largest values out of a group by
// subtraction, so Skill Forge's deletions and updates recompute the groups they
// touched: the hourly groups from the rows that remain (through the indexes of
// `skill_metrics`), then their all-time groups from the hourly ones.

/// An hourly group as stored: the values of a row that another tool wrote can be
/// anything (a BLOB skill id), and `version` and `model` are 0 for none.
struct StoredGroup {
    var skillId: DatabaseValue
    var hour: Int64
    var version: DatabaseValue
    var model: DatabaseValue

    init(skillId: DatabaseValue, hour: Int64, version: DatabaseValue, model: DatabaseValue) {
        self.skillId = skillId
        self.hour = hour
        self.version = version
        self.model = model
    }

    /// The group of a row selected as `skill_id, hour, version, model`.
    init(row: Row) throws {
        self.init(skillId: row[0], hour: try row.decode(Int64.self, atIndex: 1), version: row[2], model: row[3])
    }

    /// The group's values as bytes that two groups share only when SQLite's keys are equal
    /// (with its hour, or of its all-time group).
    func exactKey(withHour: Bool) -> [UInt8] {
        var key: [UInt8] = []
        func append(_ number: UInt64) { withUnsafeBytes(of: number.bigEndian) { key += $0 } }
        for value in [skillId, version, model] {
            switch value.storage {
            case .null: key.append(0)
            case .int64(let number):
                key.append(1)
                append(UInt64(bitPattern: number))
            case .double(let number):
                key.append(2)
                append(number.bitPattern)
            case .string(let text):
                key.append(3)
                append(UInt64(text.utf8.count))
                key += text.utf8
            case .blob(let data):
                key.append(4)
                append(UInt64(data.count))
                key += data
            }
        }
        if withHour { append(UInt64(bitPattern: hour)) }
        return key
    }

    /// The condition on rollup rows that selects this group (hourly), or its all-time group.
    func condition(withHour: Bool) -> SQL {
        let hour: SQL = withHour ? "hour = \(hour) AND " : ""
        return "skill_id = \(skillId) AND \(hour)version = \(version) AND model = \(model)"
    }

    /// The condition on `skill_metrics` that selects the rows of this group.
    var rowsCondition: SQL {
        var condition: SQL = """
            skill_id = \(skillId) AND ifnull(version, 0) = \(version) AND ifnull(model, 0) = \(model) \
            AND \(sql: Rollups.hourSQL) = \(hour)
            """
        // The same rows, found through idx_timestamp. A REAL timestamp counts by
        // its integer part, hence the millisecond of margin on each side.
        let (start, overflow) = hour.multipliedReportingOverflow(by: Rollups.hourMilliseconds)
        if !overflow, start > .min + 1, start < .max - Rollups.hourMilliseconds - 1 {
            condition += " AND timestamp > \(start - 1) AND timestamp < \(start + Rollups.hourMilliseconds + 1)"
        }
        return condition
    }
}

// MARK: - Deleting and updating rows

extension Rollups {
    /// Deletes the stored row `id` and what it counted for; `false` when there is no such row.
    static func delete(row id: Int64, in db: Database) throws -> Bool {
        guard let group = try group(ofRow: id, in: db) else { return false }
        _ = try delete(SkillMetrics.filter(key: id), in: db)
        try recompute([group], in: db)
        return true
    }

    /// Runs `update`, which rewrites the stored row `id`, and moves what the row
    /// counted for to its new groups; `false` (and `update` not run) when there is no such row.
    static func update(row id: Int64, in db: Database, _ update: () throws -> Void) throws -> Bool {
        guard let old = try group(ofRow: id, in: db) else { return false }
        let row = SkillMetrics.filter(key: id)
        try count(executionTimesOf: row, as: -1, in: db)
        try update()
        try count(executionTimesOf: row, as: 1, in: db)
        try recompute([old] + (group(ofRow: id, in: db).map { [$0] } ?? []), in: db)
        return true
    }

    /// Runs `update`, which rewrites the stored rows `ids`, and moves what they counted for
    /// to their new groups, recomputing each group they left or joined once (a merge's
    /// batch updates thousands of runs, many in the same groups).
    static func update(rows ids: [Int64], in db: Database, _ update: () throws -> Void) throws {
        guard !ids.isEmpty else { return }
        // In slices, well within SQLite's limit on bound values.
        let slices = stride(from: 0, to: ids.count, by: 500).map { Array(ids[$0..<min($0 + 500, ids.count)]) }
        func groups() throws -> [StoredGroup] {
            try slices.flatMap { slice in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT skill_id, \(hourSQL), ifnull(version, 0), ifnull(model, 0) FROM skill_metrics
                        WHERE id IN (\(slice.map { _ in "?" }.joined(separator: ",")))
                        """,
                    arguments: StatementArguments(slice)
                ).map(StoredGroup.init(row:))
            }
        }
        let old = try groups()
        for slice in slices { try count(executionTimesOf: SkillMetrics.filter(keys: slice), as: -1, in: db) }
        try update()
        for slice in slices { try count(executionTimesOf: SkillMetrics.filter(keys: slice), as: 1, in: db) }
        try recompute(old + groups(), in: db)
    }

    /// Which groups a deletion of many rows recomputes.
    enum Recomputation {
        /// Every group of a skill.
        case skill(String)
        /// Every hourly group up to an hour, and every all-time group.
        case hours(through: Int64)
    }

    /// Deletes the rows that `request` selects and recomputes `groups`, which
    /// must hold all of them; returns how many rows were deleted.
    static func delete(
        _ request: QueryInterfaceRequest<SkillMetrics>, recomputing groups: Recomputation, in db: Database
    ) throws -> Int {
        let deleted = try delete(request, in: db)
        guard deleted > 0 else { return 0 }
        switch groups {
        case .skill(let skillId): try recomputeSkill(skillId, in: db)
        case .hours(let lastHour): try recomputeHours(through: lastHour, in: db)
        }
        return deleted
    }

    /// Takes the rows' execution times out of the counts, then deletes the rows.
    private static func delete(_ request: QueryInterfaceRequest<SkillMetrics>, in db: Database) throws -> Int {
        try count(executionTimesOf: request, as: -1, in: db)
        return try request.deleteAll(db)
    }
}

// MARK: - Recomputing

extension Rollups {
    /// The hourly group of the stored row `id`, or `nil` when there is no such row.
    static func group(ofRow id: Int64, in db: Database) throws -> StoredGroup? {
        try Row.fetchOne(
            db, sql: "SELECT skill_id, \(hourSQL), ifnull(version, 0), ifnull(model, 0) FROM skill_metrics WHERE id = ?",
            arguments: [id]
        ).map(StoredGroup.init(row:))
    }

    /// Recomputes these hourly groups from the rows, then their all-time groups, each once.
    ///
    /// Groups listed twice are recomputed once: they are told apart by their values'
    /// exact bytes, as SQLite's keys are (a `Set` of the values would merge texts that
    /// are equal as Swift strings but two different keys to SQLite).
    static func recompute(_ groups: [StoredGroup], in db: Database) throws {
        var hourly: Set<[UInt8]> = []
        var allTime: Set<[UInt8]> = []
        for group in groups where hourly.insert(group.exactKey(withHour: true)).inserted {
            try recomputeHourly(where: group.condition(withHour: true), rows: group.rowsCondition, in: db)
        }
        for group in groups where allTime.insert(group.exactKey(withHour: false)).inserted {
            try recomputeAllTime(where: group.condition(withHour: false), in: db)
        }
    }

    /// Recomputes every group of a skill (after its runs were deleted).
    private static func recomputeSkill(_ skillId: String, in db: Database) throws {
        try recomputeHourly(where: "skill_id = \(skillId)", rows: "skill_id = \(skillId)", in: db)
        try recomputeAllTime(where: "skill_id = \(skillId)", in: db)
    }

    /// Recomputes every hourly group up to and including `lastHour` (after a
    /// prune: the rows that remain there are few), and every all-time group.
    private static func recomputeHours(through lastHour: Int64, in db: Database) throws {
        let (start, overflow) = lastHour.addingReportingOverflow(1)
        let (end, overflows) = start.multipliedReportingOverflow(by: hourMilliseconds)
        let bound = overflow || overflows || end == .max ? Int64.max : end + 1
        try recomputeHourly(
            where: "hour <= \(lastHour)", rows: "timestamp < \(bound) AND \(sql: hourSQL) <= \(lastHour)", in: db)
        try recomputeAllTime(where: "1", in: db)
    }

    /// Replaces the hourly groups that `groups` selects with the totals of the
    /// rows that `rows` selects: the same groups, seen from `skill_metrics`.
    private static func recomputeHourly(where groups: SQL, rows: SQL, in db: Database) throws {
        let keys = "skill_id, \(hourSQL), ifnull(version, 0), ifnull(model, 0)"
        let columns = RollupColumn.allCases.filter { $0 != .invalidRuns }
        try db.execute(literal: "DELETE FROM skill_rollups WHERE \(groups)")
        try db.execute(
            literal: """
                INSERT INTO skill_rollups (skill_id, hour, version, model, \(sql: columns.map(\.rawValue).joined(separator: ", ")))
                SELECT \(sql: keys), \(sql: columns.map(\.validRowsAggregate).joined(separator: ", "))
                FROM skill_metrics WHERE (\(rows)) AND \(SkillMetrics.isStoredValid)
                GROUP BY 1, 2, 3, 4
                """)
        try db.execute(
            literal: """
                INSERT INTO skill_rollups (skill_id, hour, version, model, invalid_runs)
                SELECT \(sql: keys), COUNT(*) FROM skill_metrics WHERE (\(rows)) AND NOT \(SkillMetrics.isStoredValid)
                GROUP BY 1, 2, 3, 4
                ON CONFLICT (skill_id, hour, version, model) DO UPDATE SET invalid_runs = excluded.invalid_runs
                """)
    }

    /// Replaces the all-time groups that `condition` selects with the sums of their
    /// hourly groups; one is stale while any of its hourly groups is.
    private static func recomputeAllTime(where condition: SQL, in db: Database) throws {
        let columns = RollupColumn.allCases
        try db.execute(literal: "DELETE FROM skill_rollups_all_time WHERE \(condition)")
        try db.execute(
            literal: """
                INSERT INTO skill_rollups_all_time (skill_id, version, model, \(sql: columns.map(\.rawValue).joined(separator: ", ")), stale)
                SELECT skill_id, version, model, \(sql: columns.map(\.hourlyAggregate).joined(separator: ", ")), MAX(stale)
                FROM skill_rollups WHERE \(condition)
                GROUP BY skill_id, version, model
                """)
    }
}

// MARK: - Repairing stale groups

extension Rollups {
    /// How many stale hourly groups one of Skill Forge's transactions repairs.
    static let repairsPerTransaction = 16

    /// Recomputes a few of the groups that deletions by other tools left stale,
    /// and the stale all-time groups whose hourly groups are exact again.
    static func repairStaleGroups(in db: Database) throws {
        // Cached statements: every transaction asks, and nearly always finds nothing.
        let stale = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT skill_id, hour, version, model FROM skill_rollups WHERE stale = 1 LIMIT ?"),
            arguments: [repairsPerTransaction])
        try recompute(stale.map(StoredGroup.init(row:)), in: db)
        let staleAllTime = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT skill_id, 0, version, model FROM skill_rollups_all_time WHERE stale = 1"))
        for group in try staleAllTime.map(StoredGroup.init(row:)) {
            try recomputeAllTime(where: group.condition(withHour: false), in: db)
        }
    }
}
