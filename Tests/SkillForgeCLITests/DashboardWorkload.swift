import Foundation

/// Thirty days of made-up but plausible runs of five skills, for the dashboard's
/// browser test and its screenshots: each skill with its own latency (log-normal
/// around a median), volume, failure rate and tokens; summarise-pr's 2.0, ten
/// days ago, 25% faster than its 1.0; write-tests failing more and slower for
/// two days. Deterministic (a SplitMix64 stream) but for the clock: the last run
/// is a few minutes before `now`, so the pages look live.
struct DashboardWorkload {
    struct Skill: Sendable {
        var id: String
        var medianMs: Double
        var runsPerDay: Int
        var failureRate: Double
        var tokensIn: Int
        var tokensOut: Int
        var errors: [String]
        /// The version on a day (0 is today).
        var version: @Sendable (Int) -> String
        /// What multiplies the latency and the failure rate on a day.
        var incident: @Sendable (Int) -> (latency: Double, failures: Double) = { _ in (1, 1) }
    }

    static let days = 30

    static let skills: [Skill] = [
        Skill(
            id: "summarise-pr", medianMs: 2_200, runsPerDay: 60, failureRate: 0.03, tokensIn: 5_200, tokensOut: 900,
            errors: ["context window exceeded (212,000 tokens)", "tool call failed: gh pr diff exited with 1"],
            version: { $0 < 10 ? "2.0" : "1.0" }),
        Skill(
            id: "triage-issue", medianMs: 900, runsPerDay: 40, failureRate: 0.015, tokensIn: 1_800, tokensOut: 300,
            errors: ["label 'needs-repro' does not exist"], version: { _ in "1.4" }),
        Skill(
            id: "write-tests", medianMs: 5_400, runsPerDay: 25, failureRate: 0.09, tokensIn: 9_000, tokensOut: 3_200,
            errors: ["swift test exited with 1: 3 tests failed", "timeout after 120 s", "rate limited (429), retry after 20 s"],
            version: { _ in "1.3" }, incident: { (5...6).contains($0) ? (1.6, 3.5) : (1, 1) }),
        Skill(
            id: "search-docs", medianMs: 320, runsPerDay: 90, failureRate: 0.005, tokensIn: 600, tokensOut: 120,
            errors: ["index not found: docs-v2"], version: { _ in "3.1" }),
        Skill(
            id: "generate-changelog", medianMs: 3_100, runsPerDay: 8, failureRate: 0.04, tokensIn: 7_000, tokensOut: 1_500,
            errors: ["no tags found since v1.8.0"], version: { _ in "0.9" }),
    ]

    /// The runs as JSONL in the fields of `import --from jsonl`, oldest first.
    static func jsonl(endingAt now: Date) -> String {
        var random = SplitMix64(seed: 20_261_201)
        let end = Int64(now.timeIntervalSince1970 * 1_000) - 5 * 60_000
        var lines: [(Int64, String)] = []
        for skill in skills {
            for day in 0..<days {
                let (slower, failing) = skill.incident(day)
                for _ in 0..<skill.runsPerDay {
                    let timestamp = end - Int64(day) * 86_400_000 - Int64(random.unit() * 86_400_000)
                    var median = skill.medianMs * slower
                    if skill.id == "summarise-pr" && skill.version(day) == "2.0" { median *= 0.75 }
                    let executionMs = max(1, Int64((median * exp(0.35 * random.normal())).rounded()))
                    let failed = random.unit() < skill.failureRate * failing
                    let tokensIn = Int64(Double(skill.tokensIn) * (0.6 + 0.8 * random.unit()))
                    let tokensOut = Int64(Double(skill.tokensOut) * (0.5 + random.unit()))
                    var fields: [String: Any] = [
                        "skillId": skill.id, "executionMs": executionMs, "tokensIn": tokensIn, "tokensOut": tokensOut,
                        "success": !failed, "timestamp": timestamp, "version": skill.version(day),
                        "model": random.unit() < 0.7 ? "claude-sonnet-4-5" : "claude-haiku-4-5",
                    ]
                    if failed { fields["error"] = skill.errors[Int(random.unit() * Double(skill.errors.count)) % skill.errors.count] }
                    let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
                    lines.append((timestamp, String(decoding: data, as: UTF8.self)))
                }
            }
        }
        return lines.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n") + "\n"
    }
}

/// A deterministic stream of pseudo-random numbers (SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<1`.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A standard normal number (Box-Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 1e-12)
        return sqrt(-2 * log(u)) * cos(2 * .pi * unit())
    }
}
