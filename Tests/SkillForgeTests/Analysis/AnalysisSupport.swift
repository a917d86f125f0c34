import Foundation
import Testing

@testable import SkillForge

/// Groups the tests of `Analysis/` (outside `Statistics/`) so that `swift test --filter Analysis` runs them all.
@Suite("Analysis")
enum AnalysisTests {}

let day: Int64 = 86_400_000
let minute: Int64 = 60_000

/// A run with every field the analysis reads; everything else defaults to a success at `day20`.
func sample(
    _ skillId: String = "s", ms: Int64, tokensIn: Int64 = 10, tokensOut: Int64 = 5, success: Bool = true,
    at timestamp: Int64 = day20, version: String? = nil, model: String? = nil, estimated: Bool? = nil,
    cacheRead: Int64? = nil, cacheCreation: Int64? = nil
) -> SkillMetrics {
    SkillMetrics(
        skillId: skillId, executionMs: ms, tokensIn: tokensIn, tokensOut: tokensOut, success: success,
        timestamp: timestamp, version: version, model: model, tokensEstimated: estimated,
        cacheReadTokens: cacheRead, cacheCreationTokens: cacheCreation)
}

/// The window `since ..< until`, in Unix milliseconds; `nil` leaves an end open.
func window(_ since: Int64?, _ until: Int64?) -> TimeWindow {
    TimeWindow(since: since.map(Date.init(unixMilliseconds:)), until: until.map(Date.init(unixMilliseconds:)))
}

/// An in-memory database holding `runs`.
func database(_ runs: [SkillMetrics]) throws -> ProfilerDB {
    let db = try ProfilerDB.inMemory()
    try db.insert(contentsOf: runs)
    return db
}

/// A multiset holding `values`.
func counts(_ values: [Int64], maximumSparseValues: Int = ValueCounts.maximumSparseValues) -> ValueCounts {
    var counts = ValueCounts(maximumSparseValues: maximumSparseValues)
    for value in values { counts.add(value) }
    return counts
}

/// Whether every element of `values` is within `relative` of the matching `expected` (and the counts match).
func approximately(_ values: [Double?], _ expected: [Double], relative: Double = 1e-12) -> Bool {
    values.count == expected.count
        && zip(values, expected).allSatisfy { value, expected in value?.isApproximately(expected, relative: relative) ?? false }
}

/// The time zone `identifier`, which every test platform has.
func zone(_ identifier: String) throws -> TimeZone {
    try #require(TimeZone(identifier: identifier))
}
