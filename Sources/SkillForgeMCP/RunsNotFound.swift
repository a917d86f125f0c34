import SkillForge

/// Why a tool's filter selects no run, naming the argument at fault and what
/// would match instead: the recorded skills, or the skill's versions.
///
/// The CLI says the same in its own words (`stats`, `compare`); here the
/// answer is a ``ToolError``, and the store is read through its protocol.
struct RunsNotFound {
    let store: any MetricsStore

    /// Most skill names a message lists.
    static let listedSkills = 30

    /// Whether `filter` selects at least one run that follows the rules of the store.
    func hasRuns(_ filter: MetricsFilter) async throws(ProfilerError) -> Bool {
        let count = try await store.countAndLastId(matching: filter).count
        return try await count > store.invalidCount(matching: filter)
    }

    /// `no runs of "sumarise" at all; the recorded skills: lint, summarise`.
    func unknownSkill(_ skill: String, argument: String) async throws(ProfilerError) -> ToolError {
        let skills = try await store.allSkills()
        let listed = skills.isEmpty
            ? "no skill is recorded yet"
            : "the recorded skills: " + skills.prefix(Self.listedSkills).joined(separator: ", ")
                + (skills.count > Self.listedSkills ? ", … (\(skills.count) in all)" : "")
        return ToolError(argument: argument, message: "no runs of \(skill.debugDescription) at all; \(listed)")
    }

    /// Why `filter` (of a skill) selects no run: the first of its conditions that matches nothing on its own.
    func explanation(for filter: MetricsFilter) async throws(ProfilerError) -> ToolError {
        let skill = filter.skillId ?? ""
        let skillOnly = MetricsFilter(skillId: skill)
        guard try await hasRuns(skillOnly) else { return try await unknownSkill(skill, argument: "skill") }
        if let version = filter.version, try await !hasRuns(MetricsFilter(skillId: skill, version: version)) {
            return ToolError(
                argument: "version",
                message: "no runs of \(skill.debugDescription) with version \(version.debugDescription)" + (try await versions(of: skill)))
        }
        if let model = filter.model, try await !hasRuns(MetricsFilter(skillId: skill, model: model)) {
            return ToolError(argument: "model", message: "no runs of \(skill.debugDescription) on model \(model.debugDescription)")
        }
        let window = Self.describe(filter.window)
        if filter.window != .all, try await !hasRuns(MetricsFilter(skillId: skill, window: filter.window)) {
            return ToolError(argument: "since", message: "no runs of \(skill.debugDescription) \(window)")
        }
        let conditions = [filter.version.map { "version \($0.debugDescription)" }, filter.model.map { "model \($0.debugDescription)" }]
            .compactMap { $0 } + (filter.window == .all ? [] : [window])
        return ToolError(message: "no runs of \(skill.debugDescription) match all of: \(conditions.joined(separator: ", "))")
    }

    /// `no runs of "summarise" match the baseline (version 7.7); its versions: 1.0 (20 runs)`.
    func emptySide(_ name: String, label: String, filter: MetricsFilter) async throws(ProfilerError) -> ToolError {
        let skill = filter.skillId ?? ""
        guard try await hasRuns(MetricsFilter(skillId: skill)) else { return try await unknownSkill(skill, argument: "skill") }
        let onModel = filter.model.map { " on model \($0.debugDescription)" } ?? ""
        return ToolError(
            argument: name,
            message: "no runs of \(skill.debugDescription)\(onModel) match the \(name) (\(label))" + (try await versions(of: skill)))
    }

    /// `; its versions: 1.0 (20 runs), 2.0 (25 runs)`, or nothing for a skill without runs.
    private func versions(of skill: String) async throws(ProfilerError) -> String {
        let versions = try await store.versionRunCounts(forSkill: skill)
        guard !versions.isEmpty else { return "" }
        let listed = versions.map { entry in
            "\(entry.version ?? "(none)") (\(Readable.count(entry.runs)) run\(entry.runs == 1 ? "" : "s"))"
        }
        return "; its versions: " + listed.joined(separator: ", ")
    }

    /// `in the window since 2026-11-20 00:00:00 UTC`.
    private static func describe(_ window: TimeWindow) -> String {
        var parts: [String] = []
        if let since = window.since { parts.append("since \(Readable.timestamp(since.unixMilliseconds)) UTC") }
        if let until = window.until { parts.append("before \(Readable.timestamp(until.unixMilliseconds)) UTC") }
        return "in the window " + parts.joined(separator: " and ")
    }
}
