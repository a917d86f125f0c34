import Foundation
import SkillForge

// MARK: - Reading

extension SkillForgeMCPServer {
    /// `list_skills`: every skill's overview (as `GET /v1/skills`), or one skill's versions.
    func listSkills(_ arguments: ToolArguments) async throws -> any Encodable {
        if let skill = try arguments.string(Parameters.skillOfVersions) {
            let versions = try await store.versionRunCounts(forSkill: skill)
            guard !versions.isEmpty else { throw try await missingRuns.unknownSkill(skill, argument: "skill") }
            return versions
        }
        return try await store.skillTotals(matching: MetricsFilter()).skills.map(SkillOverview.init)
    }

    /// `skill_summary`: one skill's summary (as `GET /v1/skills/{id}/summary`).
    func skillSummary(_ arguments: ToolArguments) async throws -> any Encodable {
        let skill = try arguments.requiredString(Parameters.skill)
        let filter = MetricsFilter(
            skillId: skill, window: try window(arguments), version: try arguments.string(Parameters.version),
            model: try arguments.string(Parameters.model))
        let summary = try await analyzer.summary(
            forSkill: skill, window: filter.window, version: filter.version, model: filter.model,
            includingTokenPercentiles: try arguments.flag(Parameters.tokensP95))
        guard let summary else { throw try await missingRuns.explanation(for: filter) }
        return summary
    }

    /// `compare_versions`: two sides of a skill compared (as `GET /v1/compare`).
    func compareVersions(_ arguments: ToolArguments) async throws -> any Encodable {
        let skill = try arguments.requiredString(Parameters.skill)
        let now = now()
        func window(_ parameter: ToolParameter) throws(ToolError) -> TimeWindow {
            try arguments.parsed(parameter) { text throws(TimeText.Invalid) in try TimeText.window(text, now: now) } ?? .all
        }
        let baseline = ComparisonSide(version: try arguments.string(Parameters.baseline), window: try window(Parameters.baselineWindow))
        let candidate = ComparisonSide(
            version: try arguments.string(Parameters.candidate), window: try window(Parameters.candidateWindow))
        guard baseline.version != nil || baseline.window != .all else {
            throw ToolError(argument: "baseline", message: "missing baseline: give baseline (a version) and/or baseline_window (START..END)")
        }
        guard candidate.version != nil || candidate.window != .all else {
            throw ToolError(
                argument: "candidate", message: "missing candidate: give candidate (a version) and/or candidate_window (START..END)")
        }
        var options = ComparisonOptions(model: try arguments.string(Parameters.model))
        if let alpha = try arguments.number(Parameters.alpha) { options.alpha = alpha }
        if let runs = try arguments.integer(Parameters.comparisonMinimumRuns) { options.minimumRuns = runs }
        if let change = try arguments.number(Parameters.minimumChange) { options.minimumRelativeChange = change }
        let comparison = try await analyzer.compare(skill: skill, baseline: baseline, candidate: candidate, options: options)
        for (name, side) in [("baseline", comparison.baseline), ("candidate", comparison.candidate)] where side.runs == 0 {
            // A side whose runs all count for the other (overlapping windows) is no mistake: the comparison says so.
            let alone = MetricsFilter(skillId: skill, window: side.side.window, version: side.side.version, model: options.model)
            if try await !missingRuns.hasRuns(alone) {
                throw try await missingRuns.emptySide(name, label: side.label, filter: alone)
            }
        }
        return comparison
    }

    /// `optimization_candidates`: the skills to optimise or monitor (as `GET /v1/candidates`).
    func optimizationCandidates(_ arguments: ToolArguments) async throws -> any Encodable {
        var thresholds = CandidateThresholds()
        if let period = try arguments.parsed(Parameters.period, { text throws(TimeText.Invalid) in try TimeText.span(text) }) {
            thresholds.period = period
        }
        if let runs = try arguments.integer(Parameters.candidateMinimumRuns) { thresholds.minimumRuns = runs }
        if let factor = try arguments.number(Parameters.slowFactor) { thresholds.slowFactor = factor }
        if let factor = try arguments.number(Parameters.tokenFactor) { thresholds.tokenFactor = factor }
        if let factor = try arguments.number(Parameters.costFactor) { thresholds.costFactor = factor }
        if let rate = try arguments.number(Parameters.failureRate) { thresholds.failureRate = rate }
        if let rise = try arguments.number(Parameters.regression) { thresholds.regression = rise }
        let all = try arguments.flag(Parameters.all)
        let judged = try await analyzer.candidates(thresholds: thresholds, now: now())
        return judged.filter { all || [Recommendation.optimize, .monitor].contains($0.recommendation) }
    }

    /// The window `since`, `until` and `last` give (every run when none is given): each text is
    /// read on its own first, so that an error names its argument, then the three together by
    /// the rules of `stats --since --until --last`.
    private func window(_ arguments: ToolArguments) throws(ToolError) -> TimeWindow {
        let now = now()
        func text(_ parameter: ToolParameter, _ read: (String) throws(TimeText.Invalid) -> Void) throws(ToolError) -> String? {
            try arguments.parsed(parameter) { text throws(TimeText.Invalid) in
                try read(text)
                return text
            }
        }
        let since = try text(Parameters.since) { text throws(TimeText.Invalid) in _ = try TimeText.instant(text, now: now) }
        let until = try text(Parameters.until) { text throws(TimeText.Invalid) in _ = try TimeText.instant(text, now: now) }
        let last = try text(Parameters.last) { text throws(TimeText.Invalid) in _ = try TimeText.span(text) }
        do {
            return try TimeText.window(since: since, until: until, last: last, now: now)
        } catch {
            throw ToolError(argument: last == nil ? "until" : "last", message: "invalid window: \(error.description)")
        }
    }

    private var missingRuns: RunsNotFound { RunsNotFound(store: store) }
}

// MARK: - Recording

extension SkillForgeMCPServer {
    /// `record_run`: one run stored, answered as the stored row (with its id); without a
    /// stated cost, its cost is computed from ``prices``.
    func recordRun(_ arguments: ToolArguments) async throws -> any Encodable {
        try await store.insert(prices.pricing(try RecordRun.metric(from: arguments, now: now())))
    }
}
