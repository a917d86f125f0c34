import SkillForge

/// Runs per histogram bin, per comparison side (one side outside comparisons),
/// for latency and optionally tokens: a visitor of the store's scan, so the
/// runs stream through and only the counts stay in memory.
///
/// ```swift
/// let counts = DistributionCounts(latency: HistogramBins(covering: 0, 2_000, about: 24), sides: 1)
/// let scan = try await store.scanRuns(RunSelection(MetricsFilter(skillId: "summarise")), into: counts)
/// let histogram = scan.visitor.latency.histogram(unit: .milliseconds, names: ["runs"])
/// ```
struct DistributionCounts: RunSampleVisitor {
    /// The counts of one measure.
    struct Counts: Sendable {
        let bins: HistogramBins
        /// Runs per bin, per side.
        private(set) var counts: [[Int]]
        /// Runs above the last bin, per side.
        private(set) var overflow: [Int]

        init(bins: HistogramBins, sides: Int) {
            self.bins = bins
            counts = Array(repeating: Array(repeating: 0, count: bins.count), count: sides)
            overflow = Array(repeating: 0, count: sides)
        }

        mutating func add(_ value: Int64, side: Int) {
            guard counts.indices.contains(side) else { return }
            if let index = bins.index(of: Double(value)) {
                counts[side][index] += 1
            } else {
                overflow[side] += 1
            }
        }

        /// The histogram of these counts, a series per side (named and coloured in side order).
        func histogram(unit: AxisUnit, names: [String], showsShares: Bool = false) -> Histogram {
            let classes = ["s1", "s2"]
            var histogram = Histogram(bins: bins, unit: unit, showsShares: showsShares)
            histogram.series = counts.indices.map { side in
                Histogram.Series(
                    name: side < names.count ? names[side] : "", counts: counts[side], overflow: overflow[side],
                    cssClass: counts.count == 1 ? "s2" : classes[side % classes.count])
            }
            return histogram
        }
    }

    var latency: Counts
    var tokens: Counts?

    init(latency: HistogramBins, tokens: HistogramBins? = nil, sides: Int) {
        self.latency = Counts(bins: latency, sides: sides)
        self.tokens = tokens.map { Counts(bins: $0, sides: sides) }
    }

    mutating func beginSkill(_ skillId: String) {}

    mutating func visit(_ run: RunSample) {
        latency.add(run.executionMs, side: run.side)
        // Unknown tokens are not 0 tokens: they have no bar of the histogram.
        guard run.tokensKnown else { return }
        let (total, overflow) = run.tokensIn.addingReportingOverflow(run.tokensOut)
        tokens?.add(overflow ? .max : total, side: run.side)
    }
}
