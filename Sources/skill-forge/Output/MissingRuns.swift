import SkillForge

/// Tells users on stderr why runs they expect are not in an output: stored rows
/// that break the rules (every read skips them), or a filter that matches nothing.
enum MissingRuns {
    /// Warns when rows matching `filter` were skipped because they break the rules of the store.
    static func warnAboutInvalidRows(in store: any MetricsStore, matching filter: MetricsFilter = MetricsFilter()) async throws {
        warnAboutInvalidRows(count: try await store.invalidCount(matching: filter))
    }

    /// Warns when `count` rows were skipped because they break the rules of the store.
    static func warnAboutInvalidRows(count: Int) {
        guard count > 0 else { return }
        printWarning(
            "skipped \(Readable.count(count)) stored row\(count == 1 ? "" : "s") that break\(count == 1 ? "s" : "") "
                + "the rules of the database (negative, too large or non-integer values, written by another tool)")
    }

    /// Notes how many runs' tokens are known when some are not: the token
    /// figures cover those alone, and read `n/a` where no run's are known.
    static func noteUnknownTokens(tokenRuns: Int, runs: Int) {
        guard tokenRuns < runs else { return }
        printNote("note: \(Readable.tokensKnown(tokenRuns, of: runs)); token figures cover those runs only (n/a: none known)")
    }

    /// Notes how many runs' costs are known when some are not: the cost figures
    /// cover those alone, and read `n/a` where none is known (never $0).
    static func noteUnknownCosts(costRuns: Int, runs: Int) {
        guard costRuns < runs else { return }
        printNote("note: \(Readable.costKnown(costRuns, of: runs)); cost figures cover those runs only (n/a: none known)")
    }

    /// Why `filter` selects no valid run, naming the first of its conditions
    /// that matches nothing on its own: `no runs of "s" with version "7.7" (its
    /// versions: 1.0, 2.0)`.
    ///
    /// - Parameter window: The filter's window in words (`in the last 1w`).
    static func explanation(in store: any MetricsStore, for filter: MetricsFilter, window: String) async throws -> String {
        let skill = filter.skillId.map { " of \($0.debugDescription)" } ?? ""
        func hasRuns(_ narrowed: MetricsFilter) async throws -> Bool { try await hasValidRuns(in: store, matching: narrowed) }
        let skillOnly = MetricsFilter(skillId: filter.skillId)
        guard try await hasRuns(skillOnly) else { return "no runs\(skill) at all" }
        if let version = filter.version {
            var narrowed = skillOnly
            narrowed.version = version
            if try await !hasRuns(narrowed) {
                return "no runs\(skill) with version \(version.debugDescription)" + (try await versions(in: store, of: filter.skillId))
            }
        }
        if let model = filter.model {
            var narrowed = skillOnly
            narrowed.model = model
            if try await !hasRuns(narrowed) { return "no runs\(skill) on model \(model.debugDescription)" }
        }
        var narrowed = skillOnly
        narrowed.window = filter.window
        if try await !hasRuns(narrowed) { return "no runs\(skill) \(window)" }
        var conditions = [filter.version.map { "version \($0.debugDescription)" }, filter.model.map { "model \($0.debugDescription)" }]
            .compactMap { $0 }
        if filter.window != .all { conditions.append(window) }
        return "no runs\(skill) match all of: \(conditions.joined(separator: ", "))"
    }

    /// Whether `filter` selects at least one run that follows the rules of the store.
    static func hasValidRuns(in store: any MetricsStore, matching filter: MetricsFilter) async throws -> Bool {
        try await store.countAndLastId(matching: filter).count > store.invalidCount(matching: filter)
    }

    /// `; its versions: 1.0 (20 runs), 2.0 (25 runs)` for a skill, or nothing without one.
    static func versions(in store: any MetricsStore, of skillId: String?) async throws -> String {
        guard let skillId else { return "" }
        let versions = try await store.versionRunCounts(forSkill: skillId)
        guard !versions.isEmpty else { return "" }
        let listed = versions.map { entry in
            "\(entry.version ?? "(none)") (\(Readable.count(entry.runs)) run\(entry.runs == 1 ? "" : "s"))"
        }
        return "; its versions: " + listed.joined(separator: ", ")
    }
}
