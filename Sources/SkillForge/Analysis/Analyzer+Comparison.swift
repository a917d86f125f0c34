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
    /// Four measures are tested, each two-sided, lower being better:
    /// - latency: Mann-Whitney U on every run's execution time (normal
    ///   approximation with tie and continuity corrections);
    /// - tokens: Mann-Whitney U on `tokens_in + tokens_out` of every run whose
    ///   tokens are known (not tested, `nil`, when a side has none);
    /// - cost: Mann-Whitney U on the cost of every run whose cost is known
    ///   (not tested, `nil`, when a side has none);
    /// - failure rate: Fisher's exact test when an expected count is below 5,
    ///   else the two-proportion z-test (see ``FailureRateTest``).
    ///
    /// A measure moves when its p-value is below `alpha` *and* the change is
    /// large enough to matter (p50 or p95 latency, mean or p95 tokens or cost, by at
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
                    count: sides[side].runs(measuring: measure))
                summaries[side]?.setPercentiles(values, of: measure)
            }
        }

        var comparison = Comparison(
            skillId: skillId,
            baseline: ComparedSide(side: baseline, label: baseline.description, runs: sides[0].runs, summary: summaries[0]),
            candidate: ComparedSide(side: candidate, label: candidate.description, runs: sides[1].runs, summary: summaries[1]),
            options: options, latency: nil, tokens: nil, cost: nil, failureRate: nil, verdict: .notEnoughData, reasons: [])
        guard let before = summaries[0], let after = summaries[1] else {
            comparison.reasons = [(0, baseline), (1, candidate)].filter { summaries[$0.0] == nil }
                .map { "no runs of \(skillId) for \($0.1)" }
            return comparison
        }

        let latency = LatencyComparison(
            p50: Change(baseline: before.executionMs.p50, candidate: after.executionMs.p50),
            p95: Change(baseline: before.executionMs.p95, candidate: after.executionMs.p95),
            test: try await rankTest(of: .executionMs, sides: sides, selection: selection, options: options))
        comparison.latency = latency.withDirection(options: options)
        // A comparison's accumulators count tokens and costs: their percentiles are there.
        if let beforeTokens = before.tokens, let afterTokens = after.tokens {
            comparison.tokens = TokenComparison(
                mean: Change(baseline: beforeTokens.total.mean, candidate: afterTokens.total.mean),
                p95: Change(baseline: beforeTokens.total.p95 ?? 0, candidate: afterTokens.total.p95 ?? 0),
                test: try await rankTest(of: .tokensTotal, sides: sides, selection: selection, options: options)
            ).withDirection(options: options)
        }
        if let beforeCost = before.cost, let afterCost = after.cost {
            comparison.cost = CostComparison(
                mean: Change(baseline: beforeCost.mean, candidate: afterCost.mean),
                p95: Change(baseline: beforeCost.p95 ?? 0, candidate: afterCost.p95 ?? 0),
                test: try await rankTest(of: .costNanodollars, sides: sides, selection: selection, options: options)
            ).withDirection(options: options)
        }
        let failureRate = Self.failureRateComparison(before, after, options: options)
        comparison.failureRate = failureRate

        let directions = [
            comparison.latency?.test.direction, comparison.tokens?.test.direction, comparison.cost?.test.direction,
            failureRate.test.direction,
        ]
        comparison.reasons = Self.reasons(comparison, before, after)
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

    /// The measures' reasons, in the order latency, tokens, cost, failure rate;
    /// tokens and cost say so when they could not be compared.
    private static func reasons(_ comparison: Comparison, _ before: SkillSummary, _ after: SkillSummary) -> [String] {
        var reasons: [String] = []
        if let latency = comparison.latency {
            reasons.append(
                "latency: p50 \(Readable.milliseconds(latency.p50.baseline)) → \(Readable.milliseconds(latency.p50.candidate))"
                    + " (\(Readable.change(latency.p50.relative))), p95 \(Readable.milliseconds(latency.p95.baseline))"
                    + " → \(Readable.milliseconds(latency.p95.candidate)) (\(Readable.change(latency.p95.relative)));"
                    + " Mann-Whitney \(Readable.pValue(latency.test.pValue)): \(latency.test.direction.wording)")
        }
        if let tokens = comparison.tokens {
            reasons.append(meanReason("tokens", tokens.mean, Readable.amount, tokens.test))
        } else {
            reasons.append(notComparedReason("tokens", known: (before.tokenRuns, after.tokenRuns), of: (before.runs, after.runs)))
        }
        if let cost = comparison.cost {
            reasons.append(meanReason("cost", cost.mean, { Readable.dollars($0) }, cost.test))
        } else {
            reasons.append(notComparedReason("cost", known: (before.costRuns, after.costRuns), of: (before.runs, after.runs)))
        }
        if let failureRate = comparison.failureRate {
            let test = failureRate.test.method == "fisher-exact" ? "Fisher's exact test" : "z-test"
            reasons.append(
                "failure rate: \(Readable.percent(failureRate.rate.baseline)) → \(Readable.percent(failureRate.rate.candidate));"
                    + " \(test) \(Readable.pValue(failureRate.test.pValue)): \(failureRate.test.direction.wording)")
        }
        return reasons
    }

    /// `tokens: mean 144 → 150 (+4.2%); Mann-Whitney p = 0.31: no significant change`.
    private static func meanReason(
        _ measure: String, _ mean: Change, _ format: (Double) -> String, _ test: SignificanceTest
    ) -> String {
        "\(measure): mean \(format(mean.baseline)) → \(format(mean.candidate)) (\(Readable.change(mean.relative)));"
            + " Mann-Whitney \(Readable.pValue(test.pValue)): \(test.direction.wording)"
    }

    /// `cost: not compared, cost known for 3 of 4 baseline runs and 0 of 3 candidate runs`.
    private static func notComparedReason(_ measure: String, known: (Int, Int), of runs: (Int, Int)) -> String {
        "\(measure): not compared, \(measure) known for \(known.0) of \(runs.0) baseline runs"
            + " and \(known.1) of \(runs.1) candidate runs"
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

/// A measure compared by its mean and 95th percentile with a rank test: tokens and cost.
protocol MeanAndPercentileComparison {
    var mean: Change { get }
    var p95: Change { get }
    var test: SignificanceTest { get set }
}

extension MeanAndPercentileComparison {
    /// The test's direction: the larger of the mean and p95 moves that agrees with the test.
    func withDirection(options: ComparisonOptions) -> Self {
        var copy = self
        copy.test.direction = LatencyComparison.direction(test, mean.relative, p95.relative, options: options)
        return copy
    }
}

extension TokenComparison: MeanAndPercentileComparison {}

extension CostComparison: MeanAndPercentileComparison {}
