/// Builds a ``SkillSummary`` from a stream of runs, in bounded memory.
///
/// Counts, sums and the latency moments are running totals (the moments from
/// exact sums, ``ExactMoments``, so no store's scan order changes them); percentiles come from exact ``ValueCounts``.
/// A measure whose values are too varied to count exactly is left for the
/// caller to complete with SQL (see ``inexactMeasures``). Token values are
/// counted only when their percentiles are asked for, and only for the runs
/// whose tokens are known (``tokenRuns``).
struct SummaryAccumulator {
    /// Whether the token measures' values are counted, for their percentiles.
    let countsTokens: Bool
    private(set) var runs = 0
    private(set) var tokenRuns = 0
    private(set) var costRuns = 0
    private var costSum: Int64 = 0
    private var successes = 0
    private var latencyMoments = ExactMoments()
    private var sumIn: Int64 = 0
    private var sumOut: Int64 = 0
    private var cacheRead: Int64 = 0
    private var cacheCreation: Int64 = 0
    private var estimated = 0
    private var firstRun = Int64.max
    private var lastRun = Int64.min
    // One stored property per measure: a dictionary of them costs an allocation per access.
    private var latency: ValueCounts
    private var tokensIn: ValueCounts
    private var tokensOut: ValueCounts
    private var tokensTotal: ValueCounts
    private var costs: ValueCounts

    init(sparseValueLimit: Int = ValueCounts.maximumSparseValues, countsTokens: Bool = true) {
        self.countsTokens = countsTokens
        latency = ValueCounts(maximumSparseValues: sparseValueLimit)
        tokensIn = latency
        tokensOut = latency
        tokensTotal = latency
        costs = latency
    }

    /// The exact counts of a measure's values.
    func values(of measure: Measure) -> ValueCounts {
        switch measure {
        case .executionMs: latency
        case .tokensIn: tokensIn
        case .tokensOut: tokensOut
        case .tokensTotal: tokensTotal
        case .costNanodollars: costs
        }
    }

    /// The runs that have `measure` (``Measure/isMeasured(in:)``): every run for the
    /// execution time, the runs whose tokens (or cost) are known for the others.
    func runs(measuring measure: Measure) -> Int {
        switch measure {
        case .executionMs: runs
        case .tokensIn, .tokensOut, .tokensTotal: tokenRuns
        case .costNanodollars: costRuns
        }
    }

    mutating func add(_ run: RunSample) {
        runs += 1
        if run.success { successes += 1 }
        latencyMoments.add(run.executionMs)
        firstRun = min(firstRun, run.timestamp)
        lastRun = max(lastRun, run.timestamp)
        latency.add(run.executionMs)
        if let cost = run.costNanodollars {
            costRuns += 1
            costSum = costSum.saturatingAdd(cost)
            if countsTokens { costs.add(cost) }
        }
        guard run.tokensKnown else { return }
        tokenRuns += 1
        sumIn = sumIn.saturatingAdd(run.tokensIn)
        sumOut = sumOut.saturatingAdd(run.tokensOut)
        cacheRead = cacheRead.saturatingAdd(run.cacheReadTokens)
        cacheCreation = cacheCreation.saturatingAdd(run.cacheCreationTokens)
        if run.tokensEstimated { estimated += 1 }
        guard countsTokens else { return }
        tokensIn.add(run.tokensIn)
        tokensOut.add(run.tokensOut)
        tokensTotal.add(run.tokensIn.saturatingAdd(run.tokensOut))
    }

    /// Forgets every run, keeping the allocated memory for the next skill.
    mutating func removeAll() {
        var emptied = self
        emptied.latency.removeAll()
        emptied.tokensIn.removeAll()
        emptied.tokensOut.removeAll()
        emptied.tokensTotal.removeAll()
        emptied.costs.removeAll()
        self = SummaryAccumulator(emptying: emptied)
    }

    private init(emptying counts: SummaryAccumulator) {
        countsTokens = counts.countsTokens
        (latency, tokensIn, tokensOut, tokensTotal) = (counts.latency, counts.tokensIn, counts.tokensOut, counts.tokensTotal)
        costs = counts.costs
    }

    /// The measures whose percentiles are reported: the token and cost measures only when asked for, and known
    /// for some run.
    var reportedMeasures: [Measure] {
        guard countsTokens else { return [.executionMs] }
        return [.executionMs] + (tokenRuns > 0 ? [.tokensIn, .tokensOut, .tokensTotal] : [])
            + (costRuns > 0 ? [.costNanodollars] : [])
    }

    /// Reported measures whose percentiles must be computed by SQL.
    var inexactMeasures: [Measure] {
        reportedMeasures.filter { !values(of: $0).isExact }
    }

    /// The percentiles a summary reports, per measure.
    static let latencyPercentiles: [Double] = [50, 90, 95, 99]
    static let tokenPercentiles: [Double] = [95]
    static let costPercentiles: [Double] = [50, 95]

    /// The summary, or `nil` without runs; percentiles of ``inexactMeasures`` are 0 until set.
    func summary(skillId: String) -> SkillSummary? {
        guard runs > 0 else { return nil }
        func percentiles(_ measure: Measure, _ ps: [Double]) -> [Double] {
            values(of: measure).percentiles(ps).map { $0 ?? 0 }
        }
        let ms = percentiles(.executionMs, Self.latencyPercentiles)
        func tokens(_ measure: Measure, sum: Int64) -> TokenCounts {
            TokenCounts(
                mean: Double(sum) / Double(tokenRuns),
                p95: countsTokens ? percentiles(measure, Self.tokenPercentiles).first ?? 0 : nil, sum: sum)
        }
        return SkillSummary(
            skillId: skillId,
            runs: runs,
            successes: successes,
            failures: runs - successes,
            failureRate: Double(runs - successes) / Double(runs),
            executionMs: LatencyStatistics(
                min: latency.minimum ?? 0, mean: latencyMoments.mean, p50: ms[0], p90: ms[1], p95: ms[2], p99: ms[3],
                max: latency.maximum ?? 0,
                standardDeviation: latencyMoments.standardDeviation),
            tokenRuns: tokenRuns,
            tokens: tokenRuns == 0
                ? nil
                : TokenStatistics(
                    in: tokens(.tokensIn, sum: sumIn), out: tokens(.tokensOut, sum: sumOut),
                    total: tokens(.tokensTotal, sum: sumIn.saturatingAdd(sumOut))),
            cacheReadTokens: cacheRead,
            cacheCreationTokens: cacheCreation,
            estimatedTokensShare: tokenRuns == 0 ? 0 : Double(estimated) / Double(tokenRuns),
            firstRun: firstRun,
            lastRun: lastRun,
            costRuns: costRuns,
            cost: costStatistics)
    }

    /// The cost figures, with the percentiles when values are counted.
    private var costStatistics: CostStatistics? {
        guard var cost = CostStatistics(runs: costRuns, nanodollars: costSum) else { return nil }
        if countsTokens {
            let ps = costs.percentiles(Self.costPercentiles).map { ($0 ?? 0) / Nanodollars.perDollar }
            (cost.p50, cost.p95) = (ps.first, ps.last)
        }
        return cost
    }
}

extension Int64 {
    /// `self + other`, or `Int64.max` when the sum does not fit.
    func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
