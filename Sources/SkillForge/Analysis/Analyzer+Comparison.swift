// MARK: - Comparing two versions or two periods

extension Analyzer {
    /// Compares a skill's runs on two sides (two versions, or two time
    /// windows) and decides whether the candidate is better.
    ///
    /// ```swift
    /// let comparison = try await analyzer.compare(skill: "summarise", baseline: .version("1.0"), candidate: .version("2.0"))
    /// if comparison.verdict == .worse { print(comparison.reasons.joined(separator: "\n")) }
    /// ```
    ///
    /// Three measures are tested, each two-sided, lower being better:
    /// - latency: Mann-Whitney U on every run's execution time (normal
    ///   approximation with tie and continuity corrections);
    /// - tokens: Mann-Whitney U on `tokens_in + tokens_out` of every run whose
    ///   tokens are known (not tested, `nil`, when a side has none);
    /// - failure rate: Fisher's exact test when an expected count is below 5,
    ///   else the two-proportion z-test (see ``FailureRateTest``).
    ///
    /// A measure moves when its p-value is below `alpha` *and* the change is
    /// large enough to matter (p50 or p95 latency, mean or p95 tokens, by at
    /// least ``ComparisonOptions/minimumRelativeChange``; the failure rate by
    /// ``ComparisonOptions/minimumFailureRateChange``). The verdict is
    /// ``Verdict/worse`` if any measure got worse, else ``Verdict/better`` if
    /// any improved, else ``Verdict/noSignificantDifference``;
    /// ``Verdict/notEnoughData`` when a side has fewer than
    /// ``ComparisonOptions/minimumRuns`` runs.
    ///
    /// A run that matches both sides (overlapping windows) counts for the baseline.
    public func compare(
        skill skillId: String, baseline: ComparisonSide, candidate: ComparisonSide,
        options: ComparisonOptions = ComparisonOptions()
    ) async throws(ProfilerError) -> Comparison {
        let selection = RunSelection(
            MetricsFilter(skillId: skillId, model: options.model), sides: (baseline.subset, candidate.subset))
        let collector = SideCollector(
            sides: [SummaryAccumulator(sparseValueLimit: sparseValueLimit), SummaryAccumulator(sparseValueLimit: sparseValueLimit)])
        let sides = try await store.scanRuns(selection, into: collector).visitor.sides
        var summaries = sides.map { $0.summary(skillId: skillId) }
        for side in 0...1 {
            for measure in sides[side].inexactMeasures {
                let values = try await store.percentiles(
                    measure.reportedPercentiles, of: measure, in: selection, side: side,
                    count: measure == .executionMs ? sides[side].runs : sides[side].tokenRuns)
                summaries[side]?.setPercentiles(values, of: measure)
            }
        }

        var comparison = Comparison(
            skillId: skillId,
            baseline: ComparedSide(side: baseline, label: baseline.description, runs: sides[0].runs, summary: summaries[0]),
            candidate: ComparedSide(side: candidate, label: candidate.description, runs: sides[1].runs, summary: summaries[1]),
            options: options, latency: nil, tokens: nil, failureRate: nil, verdict: .notEnoughData, reasons: [])
        guard let before = summaries[0], let after = summaries[1] else {
            comparison.reasons = [(0, baseline), (1, candidate)].filter { summaries[$0.0] == nil }
                .map { "no runs of \(skillId) for \($0.1)" }
            return comparison
        }

        let latency = LatencyComparison(
            p50: Change(baseline: before.executionMs.p50, candidate: after.executionMs.p50),
            p95: Change(baseline: before.executionMs.p95, candidate: after.executionMs.p95),
            test: try await rankTest(of: .executionMs, sides: sides, selection: selection, options: options))
        if let beforeTokens = before.tokens, let afterTokens = after.tokens {
            let tokens = TokenComparison(
                mean: Change(baseline: beforeTokens.total.mean, candidate: afterTokens.total.mean),
                // A comparison's accumulators count tokens: both percentiles are there.
                p95: Change(baseline: beforeTokens.total.p95 ?? 0, candidate: afterTokens.total.p95 ?? 0),
                test: try await rankTest(of: .tokensTotal, sides: sides, selection: selection, options: options))
            comparison.tokens = tokens.withDirection(options: options)
        }
        let failureRate = Self.failureRateComparison(before, after, options: options)
        comparison.latency = latency.withDirection(options: options)
        comparison.failureRate = failureRate

        let directions = [comparison.latency?.test.direction, comparison.tokens?.test.direction, failureRate.test.direction]
        comparison.reasons = Self.reasons(latency: comparison.latency, tokens: comparison.tokens, failureRate: failureRate)
        if comparison.tokens == nil {
            comparison.reasons.insert(
                "tokens: not compared, tokens known for \(before.tokenRuns) of \(before.runs) baseline runs"
                    + " and \(after.tokenRuns) of \(after.runs) candidate runs",
                at: comparison.reasons.count - 1)
        }
        if min(before.runs, after.runs) < options.minimumRuns {
            comparison.verdict = .notEnoughData
            comparison.reasons.insert(
                "only \(min(before.runs, after.runs)) runs on one side; at least \(options.minimumRuns) are needed", at: 0)
        } else if directions.contains(.worse) {
            comparison.verdict = .worse
        } else if directions.contains(.better) {
            comparison.verdict = .better
        } else {
            comparison.verdict = .noSignificantDifference
        }
        return comparison
    }

    /// Mann-Whitney U of a measure between the two sides: from the exact
    /// value counts when possible, else from the store's ordered stream.
    private func rankTest(
        of measure: Measure, sides: [SummaryAccumulator], selection: RunSelection, options: ComparisonOptions
    ) async throws(ProfilerError) -> SignificanceTest {
        var accumulator = MannWhitneyU.Accumulator()
        let (first, second) = (sides[0].values(of: measure), sides[1].values(of: measure))
        if first.isExact && second.isExact {
            ValueCounts.forEachValue(in: first, and: second) { value, baseline, candidate in
                // Values arrive in ascending order, so adding cannot fail.
                try? accumulator.add(value, from: .baseline, count: baseline)
                try? accumulator.add(value, from: .candidate, count: candidate)
            }
        } else {
            let ranked = try await store.visitOrderedValues(
                of: measure, in: selection, with: RankCollector(accumulator: accumulator))
            if let unsorted = ranked.unsorted {
                throw .database(path: store.location, message: "the store returned values out of order: \(unsorted)")
            }
            accumulator = ranked.accumulator
        }
        let result = accumulator.result()
        let pValue = result?.pValue ?? 1
        return SignificanceTest(
            method: "mann-whitney-u", statistic: result?.z, pValue: pValue, significant: pValue < options.alpha,
            direction: .unchanged)
    }

    private static func failureRateComparison(
        _ before: SkillSummary, _ after: SkillSummary, options: ComparisonOptions
    ) -> FailureRateComparison {
        let rate = Change(baseline: before.failureRate, candidate: after.failureRate)
        let result = FailureRateTest.test(
            failures1: before.failures, runs1: before.runs, failures2: after.failures, runs2: after.runs)
        let pValue = result?.pValue ?? 1
        let significant = pValue < options.alpha
        let statistic = result?.method == .twoProportionZ
            ? TwoProportionZTest.test(
                successes1: before.failures, trials1: before.runs, successes2: after.failures, trials2: after.runs)?.z
            : nil
        return FailureRateComparison(
            rate: rate,
            test: SignificanceTest(
                method: result?.method == .fisherExact ? "fisher-exact" : "two-proportion-z", statistic: statistic,
                pValue: pValue, significant: significant,
                direction: Direction(
                    significant: significant, change: rate.delta, mattersFrom: options.minimumFailureRateChange)))
    }

    private static func reasons(
        latency: LatencyComparison?, tokens: TokenComparison?, failureRate: FailureRateComparison
    ) -> [String] {
        var reasons: [String] = []
        if let latency {
            reasons.append(
                "latency: p50 \(Readable.milliseconds(latency.p50.baseline)) → \(Readable.milliseconds(latency.p50.candidate))"
                    + " (\(Readable.change(latency.p50.relative))), p95 \(Readable.milliseconds(latency.p95.baseline))"
                    + " → \(Readable.milliseconds(latency.p95.candidate)) (\(Readable.change(latency.p95.relative)));"
                    + " Mann-Whitney \(Readable.pValue(latency.test.pValue)): \(latency.test.direction.wording)")
        }
        if let tokens {
            reasons.append(
                "tokens: mean \(Readable.amount(tokens.mean.baseline)) → \(Readable.amount(tokens.mean.candidate))"
                    + " (\(Readable.change(tokens.mean.relative)));"
                    + " Mann-Whitney \(Readable.pValue(tokens.test.pValue)): \(tokens.test.direction.wording)")
        }
        let test = failureRate.test.method == "fisher-exact" ? "Fisher's exact test" : "z-test"
        reasons.append(
            "failure rate: \(Readable.percent(failureRate.rate.baseline)) → \(Readable.percent(failureRate.rate.candidate));"
                + " \(test) \(Readable.pValue(failureRate.test.pValue)): \(failureRate.test.direction.wording)")
        return reasons
    }
}

/// Feeds the runs of a comparison to one accumulator per side.
private struct SideCollector: RunSampleVisitor {
    var sides: [SummaryAccumulator]

    mutating func beginSkill(_ skillId: String) {}

    mutating func visit(_ run: RunSample) {
        sides[run.side].add(run)
    }
}

/// Feeds a merged, ascending stream of both sides' values to a rank test.
private struct RankCollector: OrderedValueVisitor {
    var accumulator: MannWhitneyU.Accumulator
    /// The first value that arrived out of order, if any.
    var unsorted: MannWhitneyU.UnsortedInput?

    mutating func visit(_ value: Int64, side: Int) {
        do {
            try accumulator.add(value, from: side == 0 ? .baseline : .candidate)
        } catch {
            unsorted = unsorted ?? error
        }
    }
}

// MARK: - Directions

extension Direction {
    /// The direction of a change where lower is better: unchanged unless
    /// significant and at least `threshold` in size.
    init(significant: Bool, change: Double, mattersFrom threshold: Double) {
        if !significant || abs(change) < threshold || change == 0 {
            self = .unchanged
        } else {
            self = change < 0 ? .better : .worse
        }
    }

    /// How reasons say it.
    var wording: String {
        switch self {
        case .better: "better"
        case .worse: "worse"
        case .unchanged: "no significant change"
        }
    }
}

extension LatencyComparison {
    /// The test's direction: the larger of the p50 and p95 moves that agrees with the test.
    func withDirection(options: ComparisonOptions) -> LatencyComparison {
        var copy = self
        copy.test.direction = Self.direction(test, p50.relative, p95.relative, options: options)
        return copy
    }

    /// A significant rank test counts when one of two statistics moved, in the
    /// direction of the test's z, by at least the minimum relative change.
    static func direction(
        _ test: SignificanceTest, _ first: Double, _ second: Double, options: ComparisonOptions
    ) -> Direction {
        let sign = (test.statistic ?? 0) >= 0 ? 1.0 : -1.0
        let agreeing = [first, second].filter { $0 * sign > 0 }.map(abs).max() ?? 0
        return Direction(
            significant: test.significant, change: sign * agreeing, mattersFrom: options.minimumRelativeChange)
    }
}

extension TokenComparison {
    /// The test's direction: the larger of the mean and p95 moves that agrees with the test.
    func withDirection(options: ComparisonOptions) -> TokenComparison {
        var copy = self
        copy.test.direction = LatencyComparison.direction(test, mean.relative, p95.relative, options: options)
        return copy
    }
}
