import Foundation

// MARK: - What to optimise

extension Analyzer {
    /// Every skill that ran in the last ``CandidateThresholds/period``, ranked by
    /// how much it needs attention, with the reasons in words.
    ///
    /// ```swift
    /// for candidate in try await analyzer.candidates() where candidate.recommendation == .optimize {
    ///     print(candidate.skillId, candidate.reasons.joined(separator: "; "))
    /// }
    /// ```
    ///
    /// A skill gets a reason, and a severity (1 at the threshold, 2 at twice
    /// the threshold…), for each of these:
    /// - slow: p95 latency at least `slowFactor` times the median skill's p95;
    /// - token-hungry: mean tokens at least `tokenFactor` times the median skill's;
    /// - failing: failure rate at least `failureRate`;
    /// - regressing: p95 or mean tokens up by `regression` or more, or the
    ///   failure rate up by `failureRateRise` or more, against the previous period.
    ///
    /// The score is the sum of the severities; a score of `optimizeScore` or
    /// more recommends ``Recommendation/optimize``, any reason
    /// ``Recommendation/monitor``. Skills with fewer than `minimumRuns` runs
    /// are ``Recommendation/notJudged`` (and do not count towards the median
    /// skill). The result is sorted by score, highest first.
    public func candidates(
        thresholds: CandidateThresholds = CandidateThresholds(), now: Date = Date()
    ) async throws(ProfilerError) -> [OptimizationCandidate] {
        let start = now.addingTimeInterval(-thresholds.period.seconds)
        let current = try await summaries(window: TimeWindow(since: start, until: now))
        let previous = Dictionary(
            try await summaries(window: TimeWindow(since: start.addingTimeInterval(-thresholds.period.seconds), until: start))
                .map { ($0.skillId, $0) },
            uniquingKeysWith: { first, _ in first })
        let judged = current.filter { $0.runs >= thresholds.minimumRuns }
        let population = Population(
            medianP95: median(judged.map(\.executionMs.p95)), medianTokens: median(judged.compactMap(\.tokens?.total.mean)))

        return current.map { summary in
            let earlier = previous[summary.skillId]
            let findings = summary.runs < thresholds.minimumRuns
                ? []
                : Self.findings(summary, previous: earlier, population: population, thresholds: thresholds)
            let score = findings.reduce(0) { $0 + $1.severity }
            var recommendation: Recommendation =
                score >= thresholds.optimizeScore ? .optimize : findings.isEmpty ? .ok : .monitor
            var reasons = findings.map(\.reason)
            if summary.runs < thresholds.minimumRuns {
                recommendation = .notJudged
                reasons = ["only \(summary.runs) run\(summary.runs == 1 ? "" : "s") in the last \(thresholds.period): too few to judge"]
            }
            return OptimizationCandidate(
                skillId: summary.skillId, score: score, recommendation: recommendation, reasons: reasons,
                summary: summary, previous: earlier)
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.skillId < $1.skillId }
    }

    /// The population a skill is compared with.
    private struct Population {
        var medianP95: Double?
        var medianTokens: Double?
    }

    /// One reason to look at a skill, and how far past its threshold it is.
    private struct Finding {
        var reason: String
        var severity: Double
    }

    private static func findings(
        _ summary: SkillSummary, previous: SkillSummary?, population: Population, thresholds: CandidateThresholds
    ) -> [Finding] {
        var findings: [Finding] = []
        let p95 = summary.executionMs.p95
        // Unknown tokens are no reason either way: a skill without known tokens is not judged on them.
        let tokens = summary.tokens?.total.mean
        if let median = population.medianP95, median > 0, p95 / median >= thresholds.slowFactor {
            findings.append(
                Finding(
                    reason: "p95 \(Readable.milliseconds(p95)), \(Readable.ratio(p95 / median)) the median skill "
                        + "(\(Readable.milliseconds(median)))",
                    severity: p95 / median / thresholds.slowFactor))
        }
        if let tokens, let median = population.medianTokens, median > 0, tokens / median >= thresholds.tokenFactor {
            findings.append(
                Finding(
                    reason: "\(Readable.amount(tokens)) tokens per run, \(Readable.ratio(tokens / median)) the median skill "
                        + "(\(Readable.amount(median)))",
                    severity: tokens / median / thresholds.tokenFactor))
        }
        if summary.failureRate >= thresholds.failureRate, summary.failures > 0 {
            findings.append(
                Finding(
                    reason: "failure rate \(Readable.percent(summary.failureRate)) over \(Readable.count(summary.runs)) "
                        + (summary.runs == 1 ? "run" : "runs"),
                    severity: summary.failureRate / thresholds.failureRate))
        }
        guard let previous, previous.runs >= thresholds.minimumRuns else { return findings }
        let period = "vs the previous \(thresholds.period)"
        let previousP95 = previous.executionMs.p95
        if previousP95 > 0, p95 / previousP95 - 1 >= thresholds.regression {
            findings.append(
                Finding(
                    reason: "p95 up \(Readable.change(p95 / previousP95 - 1)) \(period) "
                        + "(\(Readable.milliseconds(previousP95)) → \(Readable.milliseconds(p95)))",
                    severity: (p95 / previousP95 - 1) / thresholds.regression))
        }
        if let tokens, let previousTokens = previous.tokens?.total.mean, previousTokens > 0,
            tokens / previousTokens - 1 >= thresholds.regression
        {
            findings.append(
                Finding(
                    reason: "tokens up \(Readable.change(tokens / previousTokens - 1)) \(period) "
                        + "(\(Readable.amount(previousTokens)) → \(Readable.amount(tokens)))",
                    severity: (tokens / previousTokens - 1) / thresholds.regression))
        }
        let rise = summary.failureRate - previous.failureRate
        if rise >= thresholds.failureRateRise {
            findings.append(
                Finding(
                    reason: "failure rate up \(String(format: "%.1f", rise * 100)) points \(period) "
                        + "(\(Readable.percent(previous.failureRate)) → \(Readable.percent(summary.failureRate)))",
                    severity: rise / thresholds.failureRateRise))
        }
        return findings
    }
}

/// The median by linear interpolation (numpy's `median`), or `nil` for no values.
func median(_ values: [Double]) -> Double? {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return nil }
    let (lower, fraction) = Percentile.position(of: 50, count: sorted.count)
    return Percentile.interpolate(
        lower: sorted[lower], upper: sorted[min(lower + 1, sorted.count - 1)], fraction: fraction)
}
