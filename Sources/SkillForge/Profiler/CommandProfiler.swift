import Foundation

/// Profiles a command the way hyperfine benchmarks one: runs it several
/// times and records each run in a ``MetricsStore``.
///
/// ```swift
/// let profiler = CommandProfiler(store: try ProfilerDB())
/// let runs = try await profiler.profile(
///     skill: "time-tracker",
///     command: SkillCommand(executable: "./Examples/skills/time-tracker/run.sh"),
///     iterations: 5)
/// print(runs.filter(\.metric.success).count, "of", runs.count, "succeeded")
/// ```
///
/// A run succeeds when the command exits with status 0 within the timeout.
/// Its tokens are what the command wrote to the JSON file named by
/// `SKILL_FORGE_USAGE_FILE` (see ``SkillCommand/usageFileVariable``); when it
/// wrote none, they are estimated from the bytes of its stdin and stdout.
public struct CommandProfiler: Sendable {
    /// Where runs are recorded.
    public let store: any MetricsStore

    /// The prices of the runs (a run's cost is computed from its model and tokens when the command states none).
    public let pricing: PriceList

    /// Creates a command profiler.
    public init(store: any MetricsStore, pricing: PriceList = .shipped) {
        self.store = store
        self.pricing = pricing
    }

    /// A step of ``profile(skill:version:command:iterations:warmup:progress:)``, for progress displays.
    public enum Progress: Sendable {
        /// Warm-up run `number` of `count` is starting (it is not recorded).
        case warmingUp(number: Int, of: Int)
        /// Measured run `number` of `count` is starting.
        case running(number: Int, of: Int)
        /// A measured run finished and was recorded.
        case recorded(ProfiledRun)
    }

    /// Runs `command` `warmup + iterations` times and records the last `iterations`.
    ///
    /// Each run is stored as soon as it ends, so an interrupted profile keeps
    /// the runs it finished.
    ///
    /// - Returns: The recorded runs, in order.
    /// - Throws: ``ProfilerError/cannotLaunch(executable:reason:cause:)`` before any
    ///   run if the command cannot be started; ``ProfilerError`` if a run
    ///   cannot be recorded; `CancellationError` if the task is cancelled (the
    ///   running command is killed).
    public func profile(
        skill: String,
        version: String? = nil,
        command: SkillCommand,
        iterations: Int,
        warmup: Int = 0,
        progress: (Progress) -> Void = { _ in }
    ) async throws -> [ProfiledRun] {
        try CommandRunner.checkLaunchable(command)
        // Validate the fields shared by every run before running anything.
        do {
            try SkillMetrics(skillId: skill, executionMs: 0, tokensIn: 0, tokensOut: 0, success: true, version: version)
                .validate()
        } catch {
            throw ProfilerError.invalidMetric(error)
        }
        for number in stride(from: 1, through: warmup, by: 1) {
            progress(.warmingUp(number: number, of: warmup))
            _ = try await CommandRunner.run(command)
        }
        var runs: [ProfiledRun] = []
        for number in stride(from: 1, through: iterations, by: 1) {
            try Task.checkCancellation()
            progress(.running(number: number, of: iterations))
            let timestamp = Date().unixMilliseconds
            let outcome = try await CommandRunner.run(command)
            try Task.checkCancellation()
            let metric = try await store.insert(
                pricing.pricing(Self.metric(skill: skill, version: version, timestamp: timestamp, outcome: outcome)))
            let run = ProfiledRun(metric: metric, outcome: outcome)
            runs.append(run)
            progress(.recorded(run))
        }
        return runs
    }

    /// The row recorded for one run.
    static func metric(skill: String, version: String?, timestamp: Int64, outcome: CommandOutcome) -> SkillMetrics {
        var metric = SkillMetrics(
            skillId: skill,
            executionMs: outcome.duration.roundedMilliseconds,
            tokensIn: TokenEstimate.tokens(inBytes: outcome.inputBytes),
            tokensOut: TokenEstimate.tokens(inBytes: outcome.outputBytes),
            success: outcome.succeeded,
            timestamp: timestamp,
            version: version,
            error: outcome.errorMessage.map { String($0.prefix(MetricLimits.maximumErrorLength)) },
            tokensEstimated: true,
            runId: RunIdentity.random(),
            source: MetricSource.command)
        if let usage = outcome.reportedUsage {
            metric.tokensIn = usage.tokensIn
            metric.tokensOut = usage.tokensOut
            metric.cacheReadTokens = usage.cacheReadTokens
            metric.cacheCreationTokens = usage.cacheCreationTokens
            metric.model = usage.model
            metric.tokensEstimated = false
        }
        return metric
    }
}

/// One recorded run of a profiled command.
public struct ProfiledRun: Sendable, Hashable {
    /// The stored row, with its id.
    public var metric: SkillMetrics
    /// How the command ran.
    public var outcome: CommandOutcome
}
