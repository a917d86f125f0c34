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
    /// - costly: mean cost per run at least `costFactor` times the median skill's
    ///   (among the skills whose cost is known for some run);
    /// - failing: failure rate at least `failureRate`;
    /// - regressing: p95, mean tokens or mean cost per run up by `regression` or
    ///   more, or the failure rate up by `failureRateRise` or more, against the
    ///   previous period.
    ///
    /// Unknown tokens or costs are no reason either way: a skill (or a previous
    /// period) without any is not judged on them, and not counted in their median.
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
            medianP95: median(judged.map(\.executionMs.p95)), medianTokens: median(judged.compactMap(\.tokens?.total.mean)),
            medianCost: median(judged.compactMap(\.cost?.mean)))

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
        var medianCost: Double?
    }

    /// One reason to look at a skill, and how far past its threshold it is.
    fileprivate struct Finding {
        var reason: String
        var severity: Double
    }

    private static func findings(
        _ summary: SkillSummary, previous: SkillSummary?, population: Population, thresholds: CandidateThresholds
    ) -> [Finding] {
        let p95 = summary.executionMs.p95
        // Unknown tokens or costs are no reason either way: nil values give no finding.
        let tokens = summary.tokens?.total.mean
        let cost = summary.cost?.mean
        var findings = [
            Finding(p95, timesMedian: population.medianP95, atLeast: thresholds.slowFactor) { p95, ratio, median in
                "p95 \(Readable.milliseconds(p95)), \(ratio) the median skill (\(Readable.milliseconds(median)))"
            },
            Finding(tokens, timesMedian: population.medianTokens, atLeast: thresholds.tokenFactor) { tokens, ratio, median in
                "\(Readable.amount(tokens)) tokens per run, \(ratio) the median skill (\(Readable.amount(median)))"
            },
            Finding(cost, timesMedian: population.medianCost, atLeast: thresholds.costFactor) { cost, ratio, median in
                "\(Readable.dollars(cost)) per run, \(ratio) the median skill (\(Readable.dollars(median)))"
            },
        ].compactMap { $0 }
        if summary.failureRate >= thresholds.failureRate, summary.failures > 0 {
            findings.append(
                Finding(
                    reason: "failure rate \(Readable.percent(summary.failureRate)) over \(Readable.count(summary.runs)) "
                        + (summary.runs == 1 ? "run" : "runs"),
                    severity: summary.failureRate / thresholds.failureRate))
        }
        guard let previous, previous.runs >= thresholds.minimumRuns else { return findings }
        let period = "vs the previous \(thresholds.period)"
        findings += [
            Finding(p95, risenFrom: previous.executionMs.p95, atLeast: thresholds.regression) { rise, before, after in
                "p95 up \(rise) \(period) (\(Readable.milliseconds(before)) → \(Readable.milliseconds(after)))"
            },
            Finding(tokens, risenFrom: previous.tokens?.total.mean, atLeast: thresholds.regression) { rise, before, after in
                "tokens up \(rise) \(period) (\(Readable.amount(before)) → \(Readable.amount(after)))"
            },
            Finding(cost, risenFrom: previous.cost?.mean, atLeast: thresholds.regression) { rise, before, after in
                "cost per run up \(rise) \(period) (\(Readable.dollars(before)) → \(Readable.dollars(after)))"
            },
        ].compactMap { $0 }
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

extension Analyzer.Finding {
    /// The finding that `value` is at least `factor` times the population's
    /// `median` (severity: the multiple over `factor`), or `nil` when it is not
    /// or either is unknown; `reason` words the value, the multiple and the median.
    init?(
        _ value: Double?, timesMedian median: Double?, atLeast factor: Double,
        reason: (_ value: Double, _ multiple: String, _ median: Double) -> String
    ) {
        guard let value, let median, median > 0, value / median >= factor else { return nil }
        self.init(reason: reason(value, Readable.ratio(value / median), median), severity: value / median / factor)
    }

    /// The finding that `value` rose by at least `threshold` (a fraction) since
    /// `previous` (severity: the rise over `threshold`), or `nil` when it did not
    /// or either is unknown; `reason` words the rise, the previous value and the value.
    init?(
        _ value: Double?, risenFrom previous: Double?, atLeast threshold: Double,
        reason: (_ rise: String, _ previous: Double, _ value: Double) -> String
    ) {
        guard let value, let previous, previous > 0, value / previous - 1 >= threshold else { return nil }
        let rise = value / previous - 1
        self.init(reason: reason(Readable.change(rise), previous, value), severity: rise / threshold)
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
