import SkillForge

/// 2026-11-20T00:00:00Z in Unix milliseconds: a fixed "day" for tests.
let day20: Int64 = 1_795_132_800_000
let hour: Int64 = 3_600_000

/// A valid run with the given values; everything else defaults to a success at `day20`.
func run(
    _ skillId: String = "time-tracker", ms: Int64 = 100, tokensIn: Int64 = 10, tokensOut: Int64 = 5,
    success: Bool = true, at timestamp: Int64 = day20, version: String? = nil, runId: String? = nil
) -> SkillMetrics {
    SkillMetrics(
        skillId: skillId, executionMs: ms, tokensIn: tokensIn, tokensOut: tokensOut, success: success,
        timestamp: timestamp, version: version, runId: runId)
}
