import Benchmark

// Every Skill Forge benchmark runs next to a baseline doing the same work in
// the same run, alternately, and reports the ratio (absolute times on a shared
// machine are noise): see PairedBenchmark. docs/PERFORMANCE.md says how to run
// them, how the thresholds in Thresholds/ are checked, and the numbers measured.
//
// Reads use the database named by SKILL_FORGE_BENCH_DB, or a 200,000-row one
// generated on first use (ReadDatabase).

let benchmarks: @Sendable () -> Void = {
    ReadBenchmarks.register()
    InsertBenchmarks.register()
    RecordingBenchmarks.register()
}
