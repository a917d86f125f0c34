import MCP
import SkillForge

/// The tools `skill-forge mcp` serves.
///
/// ```swift
/// SkillForgeTool.allCases.map(\.rawValue)
/// // ["list_skills", "skill_summary", "compare_versions", "optimization_candidates", "record_run"]
/// SkillForgeTool(rawValue: "skill_summary")?.tool.inputSchema   // {"type": "object", "properties": {…}, "required": ["skill"], …}
/// ```
public enum SkillForgeTool: String, CaseIterable, Sendable {
    /// The recorded skills with their runs, failure rate, mean time and tokens; or one skill's versions.
    case listSkills = "list_skills"
    /// One skill's runs summarised: latency percentiles, failures, tokens.
    case skillSummary = "skill_summary"
    /// Two versions (or periods) of a skill compared, with significance tests and a verdict.
    case compareVersions = "compare_versions"
    /// The skills worth optimising, ranked, with the reasons in words.
    case optimizationCandidates = "optimization_candidates"
    /// One skill execution stored.
    case recordRun = "record_run"

    /// The tool as `tools/list` answers it: name, description, input schema and hints.
    public var tool: Tool { definition.tool }

    /// The tool's name, description and parameters.
    var definition: ToolDefinition {
        switch self {
        case .listSkills:
            ToolDefinition(
                name: rawValue, title: "List skills",
                description: """
                    Lists the skills recorded in the Skill Forge database, each with its number of runs, \
                    failures, failure rate, mean execution time (ms), mean tokens and first and last run \
                    (Unix ms). With `skill`, lists that skill's versions instead (oldest first, runs \
                    without a version as null), the names compare_versions takes. JSON, as \
                    `skill-forge skills --format json` prints it.
                    """,
                parameters: [Parameters.skillOfVersions], isReadOnly: true)
        case .skillSummary:
            ToolDefinition(
                name: rawValue, title: "Summarise a skill",
                description: """
                    Summarises one skill's runs: count, failures and failure rate, execution time \
                    (min, mean, p50, p90, p95, p99, max, standard deviation, in ms; exact percentiles, \
                    numpy's linear interpolation), input, output and total tokens, cache tokens, \
                    first and last run. Optionally only one version, one model, or a time window \
                    (since/until, or last). JSON, as `skill-forge stats SKILL --format json` prints it.
                    """,
                parameters: [
                    Parameters.skill, Parameters.version, Parameters.model, Parameters.since, Parameters.until,
                    Parameters.last, Parameters.tokensP95,
                ],
                isReadOnly: true)
        case .compareVersions:
            ToolDefinition(
                name: rawValue, title: "Compare two versions",
                description: """
                    Compares two versions of a skill (or two time windows, or both): latency, tokens and \
                    cost per run with the Mann-Whitney U test (tokens and cost over the runs whose are \
                    known; null when a side has none), the failure rate with Fisher's exact or the \
                    two-proportion z-test. The verdict is worse if any measure got significantly worse, \
                    better if any improved, "no significant difference" otherwise, or "not enough data" when \
                    a side has fewer than min_runs runs; reasons explain it. Give baseline and/or \
                    baseline_window, and candidate and/or candidate_window. JSON, as \
                    `skill-forge compare --format json` prints it.
                    """,
                parameters: [
                    Parameters.skill, Parameters.baseline, Parameters.candidate, Parameters.baselineWindow,
                    Parameters.candidateWindow, Parameters.model, Parameters.alpha, Parameters.comparisonMinimumRuns,
                    Parameters.minimumChange,
                ],
                isReadOnly: true)
        case .optimizationCandidates:
            ToolDefinition(
                name: rawValue, title: "Find skills to optimise",
                description: """
                    Ranks the skills worth optimising over the last period (default 7d): slow (p95 \
                    slow_factor times the median skill's), token-hungry (mean tokens token_factor times \
                    the median skill's), costly (mean cost per run cost_factor times the median skill's), \
                    failing (failure rate at least failure_rate) or regressing (worse than the period \
                    before by regression). Each has a score, a recommendation \
                    (optimize, monitor, ok, "not judged") and reasons in words. Only optimize and monitor \
                    are listed unless all is true. JSON, as `skill-forge candidates --format json` prints it.
                    """,
                parameters: [
                    Parameters.period, Parameters.candidateMinimumRuns, Parameters.slowFactor, Parameters.tokenFactor,
                    Parameters.costFactor, Parameters.failureRate, Parameters.regression, Parameters.all,
                ],
                isReadOnly: true)
        case .recordRun:
            ToolDefinition(
                name: rawValue, title: "Record a run",
                description: """
                    Stores one skill execution measured elsewhere, checked by the same rules as \
                    `skill-forge record` and `skill-forge import`: times from 0 to 30 days in ms, token \
                    counts from 0 to 10^12, a timestamp between 2000 and 2100 (default now). A run_id \
                    already stored is refused, so a retried call with the same run_id stores nothing \
                    twice. Answers the stored row as JSON, with its id.
                    """,
                parameters: RecordRun.parameters, isReadOnly: false)
        }
    }
}

// MARK: - Parameters of the reading tools

/// The parameters the reading tools take; `record_run`'s are ``RecordRun/parameters``.
enum Parameters {
    static let skill = ToolParameter.string("skill", "The skill id, as list_skills names it.", required: true)
    static let skillOfVersions = ToolParameter.string("skill", "A skill whose versions to list instead of the skills.")
    static let version = ToolParameter.string("version", "Only runs of this skill version.")
    static let model = ToolParameter.string("model", "Only runs on this model.")
    static let since = ToolParameter.string(
        "since", "Only runs that started at or after this time: 2026-11-20, 2026-11-20T10:00:00Z, Unix ms, or a span ago (7d).")
    static let until = ToolParameter.string("until", "Only runs that started before this time (same forms as since).")
    static let last = ToolParameter.string("last", "Only runs of this last span of time: 24h, 7d, 2w (instead of since).")
    static let tokensP95 = ToolParameter.boolean(
        "tokens_p95", "Also compute the 95th percentile of input, output and total tokens.", default: false)

    static let baseline = ToolParameter.string("baseline", "The baseline version.")
    static let candidate = ToolParameter.string("candidate", "The candidate version.")
    static let baselineWindow = ToolParameter.string(
        "baseline_window", "The baseline's time window, START..END: each end a time or a span ago, one end may be open (14d..7d).")
    static let candidateWindow = ToolParameter.string("candidate_window", "The candidate's time window, START..END (7d.. is the last 7 days).")
    static let alpha = ToolParameter.number(
        "alpha", "Significance level.", in: 0.000_001...0.999_999, default: ComparisonOptions().alpha)
    static let comparisonMinimumRuns = ToolParameter.integer(
        "min_runs", "Fewest runs per side for a verdict.", in: 1...1_000_000, default: ComparisonOptions().minimumRuns)
    static let minimumChange = ToolParameter.number(
        "min_change", "Smallest relative change that matters (0.05 = 5%).", in: 0...1_000,
        default: ComparisonOptions().minimumRelativeChange)

    static let period = ToolParameter.string(
        "last", "The period judged, ending now: 24h, 7d, 30d.", default: CandidateThresholds().period.description)
    static let candidateMinimumRuns = ToolParameter.integer(
        "min_runs", "Fewest runs in the period for a skill to be judged.", in: 1...1_000_000,
        default: CandidateThresholds().minimumRuns)
    static let slowFactor = ToolParameter.number(
        "slow_factor", "p95 this many times the median skill's counts as slow.", in: 1.000_001...1_000_000,
        default: CandidateThresholds().slowFactor)
    static let tokenFactor = ToolParameter.number(
        "token_factor", "Mean tokens this many times the median skill's counts as token-hungry.", in: 1.000_001...1_000_000,
        default: CandidateThresholds().tokenFactor)
    static let costFactor = ToolParameter.number(
        "cost_factor", "Mean cost per run this many times the median skill's counts as costly.", in: 1.000_001...1_000_000,
        default: CandidateThresholds().costFactor)
    static let failureRate = ToolParameter.number(
        "failure_rate", "A failure rate from which a skill counts as failing, from 0 to 1 (0.05 = 5%).", in: 0.000_001...1,
        default: CandidateThresholds().failureRate)
    static let regression = ToolParameter.number(
        "regression", "A rise since the previous period that counts as a regression (0.25 = 25%).", in: 0.000_001...1_000_000,
        default: CandidateThresholds().regression)
    static let all = ToolParameter.boolean("all", "List every skill judged, including those that look fine.", default: false)
}
