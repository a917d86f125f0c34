import Foundation
import Logging

/// Times skill executions and records each one in a ``MetricsStore``, through a ``BatchWriter``.
///
/// ```swift
/// let profiler = Profiler(store: try ProfilerDB(), logger: logger)
/// let summary = try await profiler.profile(skill: "summarise", version: "2.0", input: document) { run in
///     let response = try await llm.complete("Summarise: \(document)")
///     run.recordUsage(input: response.inputTokens, output: response.outputTokens, model: response.model)
///     return response.text
/// }
/// ```
///
/// try await profiler.flush()   // before exiting: queued runs are written
/// ```
///
/// The body runs exactly as it would without the profiler: its result is
/// returned and its error is rethrown unchanged. Recording never breaks the
/// skill: the run is queued in the profiler's ``BatchWriter`` (a few
/// microseconds), written with other runs in one transaction, and a failure to
/// write is logged and retried (see the writer's durability contract). Call
/// ``flush()`` when the runs must be on disk, and before the process exits.
public struct Profiler: Sendable {
    /// The writer runs are queued in.
    public let writer: BatchWriter

    private let logger: Logger

    /// Creates a profiler that records into `store`.
    ///
    /// - Parameters:
    ///   - store: Where runs are recorded.
    ///   - batching: How runs are batched (see ``BatchWriter/Configuration``).
    ///   - pricing: The prices a run's cost is computed from (the shipped list by default).
    ///   - logger: Receives write failures (they never reach the skill's caller).
    public init(
        store: any MetricsStore, batching: BatchWriter.Configuration = .init(), pricing: PriceList = .shipped,
        logger: Logger
    ) {
        self.init(
            writer: BatchWriter(store: store, configuration: batching, pricing: pricing, logger: logger), logger: logger)
    }

    /// Creates a profiler that records through an existing writer (shared with other profilers).
    public init(writer: BatchWriter, logger: Logger) {
        self.writer = writer
        self.logger = logger
    }

    /// Writes every run recorded so far; see ``BatchWriter/flush()``.
    public func flush() async throws(ProfilerError) {
        try await writer.flush()
    }

    /// Runs `body`, times it with a monotonic clock, and records one row.
    ///
    /// The row records success, or failure with the error's message; a
    /// cancelled body is recorded as a failure with the error `cancelled`.
    /// Tokens are what the body reported through ``SkillRun/recordUsage(input:output:cacheRead:cacheCreation:model:)``;
    /// when it reports none they are estimated from `input` and the text given
    /// to ``SkillRun/recordOutput(_:)``, and the row is marked `tokensEstimated`;
    /// with neither `input` nor output either, they are unknown (``SkillMetrics/tokensKnown`` `false`).
    ///
    /// - Parameters:
    ///   - skill: The skill id.
    ///   - version: The skill's version.
    ///   - model: The model, unless the body reports one.
    ///   - input: The skill's input text, for estimating input tokens.
    ///   - sessionId: The agent session this execution belongs to.
    ///   - body: The skill's work.
    /// - Returns: What `body` returns.
    /// - Throws: Exactly what `body` throws.
    public func profile<T, Failure: Error>(
        skill: String,
        version: String? = nil,
        model: String? = nil,
        input: String? = nil,
        sessionId: String? = nil,
        _ body: (SkillRun) async throws(Failure) -> T
    ) async throws(Failure) -> T {
        let run = SkillRun(skillId: skill)
        let timestamp = Date().unixMilliseconds
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: Result<T, Failure>
        do {
            outcome = .success(try await body(run))
        } catch {
            outcome = .failure(error)
        }
        let elapsed = start.duration(to: clock.now)

        var metric = SkillMetrics(
            skillId: skill,
            executionMs: elapsed.roundedMilliseconds,
            tokensIn: 0,
            tokensOut: 0,
            success: true,
            timestamp: timestamp,
            version: version,
            model: model,
            sessionId: sessionId,
            runId: RunIdentity.random(),
            source: MetricSource.profiler)
        if case .failure(let error) = outcome {
            metric.success = false
            metric.error = Self.message(for: error)
        }
        Self.applyUsage(of: run.snapshot, input: input, to: &metric)
        await record(metric)
        return try outcome.get()
    }

    private func record(_ metric: SkillMetrics) async {
        do {
            try await writer.record(metric)
        } catch {
            logger.error("could not record a run of \(metric.skillId)", metadata: ["error": "\(error)"])
        }
    }

    private static func applyUsage(of run: SkillRun.State, input: String?, to metric: inout SkillMetrics) {
        if let usage = run.reported {
            metric.tokensIn = usage.tokensIn
            metric.tokensOut = usage.tokensOut
            metric.cacheReadTokens = usage.cacheReadTokens
            metric.cacheCreationTokens = usage.cacheCreationTokens
            metric.tokensEstimated = false
        } else if input == nil && run.outputText == nil {
            // Neither usage nor text to estimate from: the tokens are unknown, not 0.
            metric.tokensKnown = false
        } else {
            metric.tokensIn = TokenEstimate.tokens(in: input ?? "")
            metric.tokensOut = TokenEstimate.tokens(in: run.outputText ?? "")
            metric.tokensEstimated = true
        }
        if let model = run.model { metric.model = model }
    }

    /// The text stored in the `error` column for a failure.
    static func message(for error: any Error) -> String {
        if error is CancellationError || Task.isCancelled {
            return "cancelled"
        }
        let text = (error as? any LocalizedError)?.errorDescription ?? String(describing: error)
        let message = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? String(describing: type(of: error)) : text
        return String(message.prefix(MetricLimits.maximumErrorLength))
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded to the nearest.
    var roundedMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 500_000_000_000_000) / 1_000_000_000_000_000
    }
}
