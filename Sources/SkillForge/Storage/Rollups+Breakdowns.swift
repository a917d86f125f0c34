import GRDB

// MARK: - Versions

extension Rollups {
    /// ``ProfilerDB/versionRunCounts(forSkill:)`` from the all-time rollups, or `nil` when
    /// the database has none or too many of the skill's groups are stale.
    static func versionRunCounts(forSkill skillId: String, in db: Database) throws -> [VersionRunCount]? {
        do {
            guard try exist(in: db),
                let groups = try totals(
                    .allTime, where: "skill_id = \(skillId)", groupedBy: "version", extremes: true, in: db)
            else { return nil }
            let counts = groups.compactMap { group -> VersionRunCount? in
                guard group.totals.runs > 0, let first = group.totals.firstRun, let last = group.totals.lastRun else {
                    return nil
                }
                // Runs without a version are stored under the integer 0, which no text decodes from.
                return VersionRunCount(
                    version: String.fromDatabaseValue(group.key), runs: group.totals.runs, firstRun: first, lastRun: last)
            }
            // SQLite's order: by first run, then version, NULL first and texts by their bytes.
            return counts.sorted { a, b in
                if a.firstRun != b.firstRun { return a.firstRun < b.firstRun }
                guard let versionB = b.version else { return false }
                guard let versionA = a.version else { return true }
                return versionA.utf8.lexicographicallyPrecedes(versionB.utf8)
            }
        }
    }
}

// MARK: - Models

extension Rollups {
    /// ``MetricsStore/modelTotals(matching:)`` inside a read: each skill's
    /// ``groups(matching:groupedBy:in:)`` by model.
    static func modelTotals(matching filter: MetricsFilter, in db: Database) throws -> [ModelTotals] {
        let skills = try filter.skillId.map { [$0] }
            ?? skillTotals(matching: filter, extremes: false, in: db).skills.map(\.skillId)
        var breakdown: [ModelTotals] = []
        for skillId in skills {
            var skillFilter = filter
            skillFilter.skillId = skillId
            breakdown += modelTotals(of: skillId, adding: try groups(matching: skillFilter, groupedBy: "model", in: db))
        }
        return breakdown
    }

    /// The groups of one skill added up by model. Runs without a model are
    /// stored under the integer 0 in the rollups and read as NULL from the rows:
    /// both decode to `nil`.
    private static func modelTotals(of skillId: String, adding groups: [RollupGroupTotals]) -> [ModelTotals] {
        var models: [ModelTotals] = []
        for group in groups where group.totals.runs > 0 {
            let model = String.fromDatabaseValue(group.key)
            if let position = models.firstIndex(where: { isSameModel($0.model, model) }) {
                models[position].totals.add(group.totals)
            } else {
                models.append(ModelTotals(skillId: skillId, model: model, totals: group.totals))
            }
        }
        return models.sorted(by: ModelTotals.precedes)
    }

    /// Whether two models are the same to SQLite: texts by their bytes.
    private static func isSameModel(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (a?, b?): a.utf8.elementsEqual(b.utf8)
        default: false
        }
    }
}

// MARK: - Time buckets

extension TimeBucketing {
    /// Whether every instant of a UTC hour falls in one bucket: width, shift and
    /// offsets are whole hours, and the offsets change on the hour.
    var keepsHoursWhole: Bool {
        let hour = Rollups.hourMilliseconds
        return width % hour == 0 && shift % hour == 0
            && offsets.allSatisfy { $0.milliseconds % hour == 0 && ($0.until ?? 0) % hour == 0 }
    }
}

extension Rollups {
    /// Runs, failures, token and cost sums per bucket from the hourly rollups, with
    /// `rows` answering the parts of hours at the window's ends; `nil` when the
    /// rollups cannot answer (no rollups, comparison sides, buckets that split
    /// hours, or a window without a whole hour).
    static func bucketTotals(
        _ selection: RunSelection, by bucketing: TimeBucketing, in db: Database,
        rows: (RunSelection) throws -> [Int64: BucketTotals]
    ) throws -> [Int64: BucketTotals]? {
        guard selection.sides == nil, bucketing.keepsHoursWhole, let span = HourSpan(selection.filter.window),
            try exist(in: db)
        else { return nil }
        var totals: [Int64: BucketTotals] = [:]
        func add(_ part: BucketTotals, to key: Int64) {
            totals[key, default: BucketTotals()].add(part)
        }
        let hours = try SQLRequest<Row>(literal: """
                SELECT hour, SUM(runs), SUM(failures), SUM(token_runs), TOTAL(tokens_in_sum) + TOTAL(tokens_out_sum),
                       SUM(cost_runs), TOTAL(cost_nanodollars)
                FROM skill_rollups
                WHERE \(selection.filter.rollupConditions) AND \(span.condition) AND runs > 0
                GROUP BY hour
                """).fetchCursor(db)
        while let row = try hours.next() {
            let (start, overflow) = (row[0] as Int64).multipliedReportingOverflow(by: hourMilliseconds)
            guard !overflow else { continue }  // not an hour of valid runs: never written by Skill Forge
            add(BucketTotals(row: row), to: bucketing.key(of: start))
        }
        for edge in span.edges {
            var part = selection
            part.filter.window = edge
            for (key, edgeTotals) in try rows(part) { add(edgeTotals, to: key) }
        }
        return totals
    }
}

extension BucketTotals {
    /// The totals in columns 1 to 6 of a row (column 0 is the bucket or hour): runs, failures,
    /// token runs, the token sum, cost runs and the cost sum (a float from `TOTAL`, saturated).
    init(row: Row) {
        self.init()
        (runs, failures, tokenRuns, tokens, costRuns) = (row[1], row[2], row[3], row[4], row[5])
        costNanodollars = (row[6] as DatabaseValue).saturatedInt64 ?? 0
    }
}
