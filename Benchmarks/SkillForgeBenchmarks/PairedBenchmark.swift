import Benchmark

/// Skill Forge doing some work next to baselines that do the same work,
/// measured in the same benchmark, alternately, so that every iteration
/// yields ratios of times taken under the same load of a shared machine.
///
/// Each iteration runs every side once, in an order that rotates from one
/// iteration to the next (so that no side always runs on the warmest cache),
/// and records as custom metrics the time of each side per operation and the
/// ratio of Skill Forge's time to each baseline's, times 1,000 (2,500: Skill
/// Forge takes 2.5 times as long; 500: it does the work at twice the rate):
///
/// ```swift
/// PairedBenchmark(
///     "2000-single-inserts", unit: .microseconds, per: "insert", operations: 2_000,
///     skillForge: Side("ProfilerDB.insert") { ... }, baselines: [Side("raw C, autocommit") { ... }]
/// ).register()
/// ```
///
/// The thresholds (`Thresholds/`, checked by `swift package benchmark
/// thresholds check`) hold the p90 of every metric; ``tolerances`` says how far
/// past them a run may go. Two limits of the benchmark plugin (1.38.1) shape
/// the metrics: a benchmark's name has no spaces or slashes (`thresholds update`
/// writes them as `_` in the file name, `thresholds check` looks for the name as
/// it is), and every metric is smaller-is-better (for a larger-is-better metric
/// `update` writes the p90 from one end of the samples and `check` reads it from
/// the other), so a rate is stated as its inverse, a time ratio.
struct PairedBenchmark {
    /// The unit of the time metrics.
    enum Unit {
        case nanoseconds, microseconds, milliseconds

        var symbol: String {
            switch self {
            case .nanoseconds: "ns"
            case .microseconds: "µs"
            case .milliseconds: "ms"
            }
        }

        /// `duration` in this unit, rounded.
        func value(of duration: Duration) -> Int {
            let seconds = duration.seconds
            switch self {
            case .nanoseconds: return Int((seconds * 1e9).rounded())
            case .microseconds: return Int((seconds * 1e6).rounded())
            case .milliseconds: return Int((seconds * 1e3).rounded())
            }
        }
    }

    let name: String
    let unit: Unit
    /// What one operation is ("insert", "call"), or `nil` when a side's run is the operation.
    let operationName: String?
    /// Operations in one run of a side: times are reported per operation.
    let operations: Int
    let skillForge: Side
    let baselines: [Side]
    let iterations: Int
    let maxDuration: Duration
    /// Runs once after the last iteration: releases what the sides share.
    let teardown: (@Sendable () async throws -> Void)?

    init(
        _ name: String, unit: Unit, per operationName: String? = nil, operations: Int = 1,
        skillForge: Side, baselines: [Side], iterations: Int = 20, maxDuration: Duration = .seconds(60),
        teardown: (@Sendable () async throws -> Void)? = nil
    ) {
        self.name = name
        self.unit = unit
        self.operationName = operationName
        self.operations = operations
        self.skillForge = skillForge
        self.baselines = baselines
        self.iterations = iterations
        self.maxDuration = maxDuration
        self.teardown = teardown
    }

    // MARK: - Metrics

    /// The time per operation of each side, Skill Forge's first.
    var timeMetrics: [BenchmarkMetric] {
        let per = operationName.map { " per \($0)" } ?? ""
        return ([skillForge] + baselines).map { side in .custom("\(side.name) (\(unit.symbol)\(per))", useScalingFactor: false) }
    }

    /// The ratio of Skill Forge's time to each baseline's, times 1,000.
    var ratioMetrics: [BenchmarkMetric] {
        baselines.map { baseline in .custom("time ratio ×1000 vs \(baseline.name)", useScalingFactor: false) }
    }

    /// How far past its threshold (in percent of it, at p50 and p90) a metric may go before a check fails.
    ///
    /// Ratios are what the checks are for: a ratio may double (twice as slow
    /// against the same baseline; the p90 of 10 to 100 iterations on a shared
    /// machine moves by half of that from run to run). Absolute times follow the
    /// machine's load, so they may triple. Smaller-is-better metrics never count
    /// as improved past these tolerances.
    var tolerances: [BenchmarkMetric: BenchmarkThresholds] {
        var tolerances: [BenchmarkMetric: BenchmarkThresholds] = [:]
        for metric in timeMetrics { tolerances[metric] = BenchmarkThresholds(relative: [.p50: 200, .p90: 200]) }
        for metric in ratioMetrics { tolerances[metric] = BenchmarkThresholds(relative: [.p50: 100, .p90: 100]) }
        return tolerances
    }

    // MARK: - Running

    /// Registers the benchmark with the framework.
    func register() {
        let metrics = timeMetrics + ratioMetrics
        let configuration = Benchmark.Configuration(
            metrics: metrics, units: Dictionary(uniqueKeysWithValues: metrics.map { ($0, .count) }),
            warmupIterations: 1, maxDuration: maxDuration, maxIterations: iterations, thresholds: tolerances)
        Benchmark(name, configuration: configuration, closure: { benchmark in
            try await runOnce(recordingInto: benchmark)
        }, teardown: teardown)
    }

    /// Runs every side once, in this iteration's order, and records the metrics.
    private func runOnce(recordingInto benchmark: Benchmark) async throws {
        let sides = [skillForge] + baselines
        let first = benchmark.currentIteration % sides.count
        var times = [Duration](repeating: .zero, count: sides.count)
        for offset in sides.indices {
            let index = (first + offset) % sides.count
            times[index] = try await sides[index].run()
        }
        for (metric, time) in zip(timeMetrics, times) {
            benchmark.measurement(metric, unit.value(of: time / operations))
        }
        for (metric, baselineTime) in zip(ratioMetrics, times.dropFirst()) where baselineTime > .zero {
            benchmark.measurement(metric, Int((times[0].seconds / baselineTime.seconds * 1_000).rounded()))
        }
    }
}

/// One side of a ``PairedBenchmark``: it prepares its work untimed (a new
/// database, a writer), then times the work alone and returns the time.
struct Side: Sendable {
    /// What the side does, in the names of its metrics.
    let name: String
    /// Runs the side once; returns the time its measured part took.
    let run: @Sendable () async throws -> Duration

    init(_ name: String, run: @escaping @Sendable () async throws -> Duration) {
        self.name = name
        self.run = run
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
