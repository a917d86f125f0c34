import Foundation
import Testing

@testable import SkillForge

extension AnalysisTests {
    @Suite("Analyzer time series")
    struct TimeSeriesTests {
        /// Unix milliseconds of an ISO 8601 time with an offset (checked against Python's
        /// `datetime.fromisoformat(text).timestamp() * 1000` where the value is spelled out).
        static func ms(_ text: String) throws -> Int64 {
            try TimestampParser.unixMilliseconds(from: text)
        }

        // MARK: - UTC

        /// 2026-11-20: 100, 300, 200 ms (one failed), 15 tokens each; 2026-11-21: nothing; 2026-11-22: 50, 70 ms.
        /// `np.percentile([100, 300, 200], [50, 95])` -> [200.0, 290.0]; `np.percentile([50, 70], [50, 95])` -> [60.0, 69.0].
        @Test("day buckets in UTC, an empty day included with runs 0 and nil values")
        func utcDays() async throws {
            let db = try database([
                sample(ms: 100, at: day20 + 1 * hour), sample(ms: 300, success: false, at: day20 + 2 * hour),
                sample(ms: 200, at: day20 + 3 * hour),
                sample(ms: 50, tokensIn: 1, tokensOut: 1, at: day20 + 2 * day + hour),
                sample(ms: 70, tokensIn: 3, tokensOut: 1, at: day20 + 3 * day - 1),
                sample("other", ms: 9_999, at: day20 + day),
            ])
            let points = try await Analyzer(store: db).timeSeries(forSkill: "s", bucket: .day, window: window(day20, day20 + 3 * day))
            try #require(points.count == 3)
            #expect(points.map(\.label) == ["2026-11-20", "2026-11-21", "2026-11-22"])
            #expect(points.map(\.start) == [day20, day20 + day, day20 + 2 * day])
            #expect(points.map(\.runs) == [3, 0, 2])
            #expect(points.map(\.failures) == [1, 0, 0])
            #expect(points.map(\.failureRate) == [1.0 / 3, nil, 0])
            #expect(points.map(\.p50) == [200, nil, 60])
            #expect(approximately([points[0].p95, points[2].p95], [290, 69]))
            #expect(points[1].p95 == nil)
            #expect(points.map(\.meanTokens) == [15, nil, 3])  // (2 + 4) / 2

            // JSON keeps every key of an empty bucket, as null.
            let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(points[1])) as? [String: Any])
            #expect(
                Set(json.keys) == [
                    "start", "label", "runs", "failures", "failureRate", "p50", "p95", "tokenRuns", "meanTokens", "costRuns",
                    "meanCostUsd", "totalCostUsd",
                ])
            #expect(json["p95"] is NSNull && json["failureRate"] is NSNull && json["meanTokens"] is NSNull)
            #expect(json["meanCostUsd"] is NSNull && json["totalCostUsd"] is NSNull && json["costRuns"] as? Int == 0)
        }

        /// `a = [(i * 37) % 100 + 1 for i in range(20)]` on one day, `b = [(i * 11) % 50 for i in range(15)]` the next:
        /// `np.percentile(a, [50, 95])` -> [47.0, 93.2]; `np.percentile(b, [50, 95])` -> [22.0, 45.49999999999999].
        @Test("per-bucket percentiles equal numpy on each bucket's values")
        func bucketPercentiles() async throws {
            let first = (0..<20).map { i in sample(ms: Int64((i * 37) % 100 + 1), at: day20 + Int64(i) * hour) }
            let second = (0..<15).map { i in sample(ms: Int64((i * 11) % 50), at: day20 + day + Int64(i) * minute) }
            let analyzer = Analyzer(store: try database(second + first))
            let points = try await analyzer.timeSeries(forSkill: "s", bucket: .day, window: window(day20, day20 + 2 * day))
            #expect(points.map(\.runs) == [20, 15])
            #expect(approximately(points.map(\.p50), [47, 22]))
            #expect(approximately(points.map(\.p95), [93.2, 45.5]))
        }

        @Test("hour buckets are labelled with the hour")
        func hours() async throws {
            let db = try database([
                sample(ms: 1, at: day20 + 14 * hour + 5 * minute), sample(ms: 3, at: day20 + 15 * hour - 1),
                sample(ms: 5, at: day20 + 16 * hour),
            ])
            let points = try await Analyzer(store: db).timeSeries(
                forSkill: "s", bucket: .hour, window: window(day20 + 14 * hour, day20 + 17 * hour))
            #expect(points.map(\.label) == ["2026-11-20 14:00", "2026-11-20 15:00", "2026-11-20 16:00"])
            #expect(points.map(\.start) == [day20 + 14 * hour, day20 + 15 * hour, day20 + 16 * hour])
            #expect(points.map(\.runs) == [2, 0, 1])
            #expect(points.map(\.p50) == [2, nil, 5])
        }

        /// 2026-11-20 is a Friday (`datetime(2026, 11, 20).strftime('%A')`); its week starts on Monday 2026-11-16
        /// (1794787200000 ms). Sunday 23:00 still belongs to that week; Monday 00:00 starts the next.
        @Test("weeks start on Monday")
        func weeks() async throws {
            let monday16: Int64 = 1_794_787_200_000
            #expect(monday16 == day20 - 4 * day)
            let db = try database([
                sample(ms: 10, at: day20), sample(ms: 20, at: day20 + 3 * day - 1), sample(ms: 30, at: day20 + 3 * day),
            ])
            let points = try await Analyzer(store: db).timeSeries(forSkill: "s", bucket: .week, window: window(day20, day20 + 4 * day))
            #expect(points.map(\.label) == ["2026-11-16", "2026-11-23"])
            #expect(points.map(\.start) == [monday16, monday16 + 7 * day])
            #expect(points.map(\.runs) == [2, 1])
        }

        // MARK: - Other time zones

        /// New York leaves daylight saving time at 2:00 EDT on 2026-11-01 (06:00 UTC), so that day lasts 25 hours.
        /// Local midnights (Python: `int(datetime(2026, m, d, tzinfo=ZoneInfo('America/New_York')).timestamp() * 1000)`):
        /// Oct 31 1793419200000, Nov 1 1793505600000, Nov 2 1793595600000, Nov 3 1793682000000.
        /// Runs on Nov 1 local: 00:30 EDT, 01:30 EDT, 01:30 EST (an hour later), 23:30 EST (04:30 UTC on Nov 2) with
        /// 10, 20, 30, 40 ms: `np.percentile([10, 20, 30, 40], [50, 95])` -> [25.0, 38.5].
        @Test("New York days across the end of daylight saving time")
        func newYorkDays() async throws {
            let newYork = try zone("America/New_York")
            let db = try database([
                sample(ms: 5, at: try Self.ms("2026-10-31T23:59:00-04:00")),
                sample(ms: 10, at: try Self.ms("2026-11-01T00:30:00-04:00")),
                sample(ms: 20, at: try Self.ms("2026-11-01T01:30:00-04:00")),
                sample(ms: 30, at: try Self.ms("2026-11-01T01:30:00-05:00")),
                sample(ms: 40, at: try Self.ms("2026-11-01T23:30:00-05:00")),
                sample(ms: 50, at: try Self.ms("2026-11-02T00:30:00-05:00")),
            ])
            #expect(try Self.ms("2026-11-01T23:30:00-05:00") == 1_793_593_800_000)
            let points = try await Analyzer(store: db).timeSeries(
                forSkill: "s", bucket: .day, window: window(1_793_419_200_000, 1_793_682_000_000), timeZone: newYork)
            try #require(points.count == 3)
            #expect(points.map(\.label) == ["2026-10-31", "2026-11-01", "2026-11-02"])
            #expect(points.map(\.start) == [1_793_419_200_000, 1_793_505_600_000, 1_793_595_600_000])
            #expect(points[2].start - points[1].start == 25 * hour)
            #expect(points.map(\.runs) == [1, 4, 1])
            #expect(points[1].p50 == 25)
            #expect(points[1].p95?.isApproximately(38.5) == true)

            // The same runs in UTC days: the 23:59 EDT run is already Nov 1, the 23:30 EST one Nov 2.
            let utc = try await Analyzer(store: db).timeSeries(
                forSkill: "s", bucket: .day, window: window(1_793_419_200_000, 1_793_682_000_000))
            // The window now covers four UTC days, from 04:00 on Oct 31 to 05:00 on Nov 3.
            #expect(utc.map(\.label) == ["2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"])
            #expect(utc.map(\.runs) == [0, 4, 2, 0])
        }

        /// Hours follow the wall clock: 01:00–02:00 happens twice on 2026-11-01 in New York (EDT, then EST), and
        /// both hours of runs share the local bucket "01:00", which starts at its first occurrence (05:00 UTC).
        @Test("New York hours across the end of daylight saving time follow the wall clock")
        func newYorkHours() async throws {
            let newYork = try zone("America/New_York")
            let midnight: Int64 = 1_793_505_600_000  // 2026-11-01 00:00 EDT = 04:00 UTC
            let db = try database([
                sample(ms: 1, at: midnight + 30 * minute),  // 00:30 EDT
                sample(ms: 2, at: midnight + 90 * minute),  // 01:30 EDT
                sample(ms: 3, at: midnight + 150 * minute),  // 01:30 EST
                sample(ms: 4, at: midnight + 210 * minute),  // 02:30 EST
            ])
            let points = try await Analyzer(store: db).timeSeries(
                forSkill: "s", bucket: .hour, window: window(midnight, midnight + 4 * hour), timeZone: newYork)
            try #require(points.count == 3)
            #expect(points.map(\.label) == ["2026-11-01 00:00", "2026-11-01 01:00", "2026-11-01 02:00"])
            #expect(points.map(\.start) == [midnight, midnight + hour, midnight + 3 * hour])
            #expect(points.map(\.runs) == [1, 2, 1])
            #expect(points[1].p50 == 2.5)
        }

        /// New York starts daylight saving time at 2:00 EST on 2026-03-08 (07:00 UTC): clocks jump to 3:00, so the
        /// local hour 02:00 never happens. Python: 05:00Z → 00:00 EST, 06:00Z → 01:00 EST, 07:00Z → 03:00 EDT
        /// (`datetime(2026, 3, 8, h, tzinfo=timezone.utc).astimezone(ZoneInfo('America/New_York'))`).
        /// A bucket for 02:00 would be a gap in the data that is not one, with the start of the 01:00 bucket.
        @Test("New York hours across the start of daylight saving time skip the hour that never happens")
        func newYorkSpringForward() async throws {
            let newYork = try zone("America/New_York")
            let midnight: Int64 = 1_772_946_000_000  // 2026-03-08 00:00 EST = 05:00 UTC
            let db = try database([
                sample(ms: 1, at: midnight + 30 * minute), sample(ms: 2, at: midnight + 90 * minute),
                sample(ms: 3, at: midnight + 150 * minute),
            ])
            let points = try await Analyzer(store: db).timeSeries(
                forSkill: "s", bucket: .hour, window: window(midnight, midnight + 3 * hour), timeZone: newYork)
            #expect(points.map(\.label) == ["2026-03-08 00:00", "2026-03-08 01:00", "2026-03-08 03:00"])
            #expect(points.map(\.start) == [midnight, midnight + hour, midnight + 2 * hour])
            #expect(points.map(\.runs) == [1, 1, 1])
        }

        /// Chile starts daylight saving time at 24:00 on 2026-09-05: local midnight of Sep 6 never happens, and that
        /// day starts at 01:00 −03:00 = 04:00 UTC (Python: `datetime(2026, 9, 6, 4, tzinfo=timezone.utc)
        /// .astimezone(ZoneInfo('America/Santiago'))` -> 2026-09-06T01:00:00-03:00; 03:00Z is Sep 5 23:00 −04:00).
        /// Midnights: Sep 5 1788580800000, Sep 7 1788750000000.
        @Test("a day whose midnight is skipped starts at the clock change (America/Santiago)")
        func santiagoMidnightChange() async throws {
            let santiago = try zone("America/Santiago")
            let db = try database([
                sample(ms: 1, at: 1_788_663_600_000 + 30 * minute),  // Sep 5 23:30 −04:00
                sample(ms: 2, at: 1_788_667_200_000 + 30 * minute),  // Sep 6 01:30 −03:00
            ])
            let analyzer = Analyzer(store: db)
            let days = try await analyzer.timeSeries(
                forSkill: "s", bucket: .day, window: window(1_788_580_800_000, 1_788_750_000_000), timeZone: santiago)
            #expect(days.map(\.label) == ["2026-09-05", "2026-09-06"])
            #expect(days.map(\.start) == [1_788_580_800_000, 1_788_667_200_000])
            #expect(days.map(\.runs) == [1, 1])

            let hours = try await analyzer.timeSeries(
                forSkill: "s", bucket: .hour, window: window(1_788_663_600_000, 1_788_667_200_000 + hour), timeZone: santiago)
            #expect(hours.map(\.label) == ["2026-09-05 23:00", "2026-09-06 01:00"])
            #expect(hours.map(\.start) == [1_788_663_600_000, 1_788_667_200_000])
            #expect(hours.map(\.runs) == [1, 1])
        }

        /// India is UTC+05:30 all year: local midnight of 2026-11-21 is 18:30 UTC on the 20th (1795199400000).
        @Test("Asia/Kolkata days and hours, half an hour off UTC")
        func kolkata() async throws {
            let kolkata = try zone("Asia/Kolkata")
            let midnight21: Int64 = 1_795_199_400_000
            #expect(midnight21 == day20 + 18 * hour + 30 * minute)
            let db = try database([
                sample(ms: 1, at: day20 + minute),  // 05:31 local on the 20th
                sample(ms: 2, at: midnight21 - 1),  // 23:59:59.999 on the 20th
                sample(ms: 3, at: midnight21),  // 00:00 on the 21st
            ])
            let analyzer = Analyzer(store: db)
            let days = try await analyzer.timeSeries(
                forSkill: "s", bucket: .day, window: window(midnight21 - day, midnight21 + day), timeZone: kolkata)
            #expect(days.map(\.label) == ["2026-11-20", "2026-11-21"])
            #expect(days.map(\.start) == [midnight21 - day, midnight21])
            #expect(days.map(\.runs) == [2, 1])

            let hours = try await analyzer.timeSeries(
                forSkill: "s", bucket: .hour, window: window(day20, day20 + hour), timeZone: kolkata)
            // 00:00–01:00 UTC is 05:30–06:30 local: two local hours, 05:00 (from 23:30 UTC) and 06:00.
            #expect(hours.map(\.label) == ["2026-11-20 05:00", "2026-11-20 06:00"])
            #expect(hours.map(\.start) == [day20 - 30 * minute, day20 + 30 * minute])
            #expect(hours.map(\.runs) == [1, 0])
        }

        // MARK: - The window

        @Test("without a start the series starts at the skill's first run; without an end, at now or after the last run")
        func defaultWindow() async throws {
            let db = try database([
                sample(ms: 1, at: day20 + 5 * hour), sample(ms: 2, at: day20 + 2 * day + hour),
                sample("early", ms: 3, at: day20 - 10 * day),
            ])
            let analyzer = Analyzer(store: db)
            let toNow = try await analyzer.timeSeries(forSkill: "s", bucket: .day, now: Date(unixMilliseconds: day20 + 3 * day + 12 * hour))
            #expect(toNow.map(\.label) == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"])
            #expect(toNow.map(\.runs) == [1, 0, 1, 0])

            // "now" before the last run: the series still reaches it.
            let past = try await analyzer.timeSeries(forSkill: "s", bucket: .day, now: Date(unixMilliseconds: day20))
            #expect(past.map(\.runs) == [1, 0, 1])

            // An explicit start, an open end.
            let fromStart = try await analyzer.timeSeries(
                forSkill: "s", bucket: .day, window: window(day20 - day, nil), now: Date(unixMilliseconds: day20 + 12 * hour))
            #expect(fromStart.map(\.label) == ["2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22"])

            // An explicit end, an open start: from the first run to the end (exclusive).
            let toEnd = try await analyzer.timeSeries(forSkill: "s", bucket: .hour, window: window(nil, day20 + 7 * hour))
            #expect(toEnd.map(\.label) == ["2026-11-20 05:00", "2026-11-20 06:00"])
            #expect(toEnd.map(\.runs) == [1, 0])
        }

        @Test("a skill without runs, or a filter matching none, gives no buckets")
        func noRuns() async throws {
            let analyzer = Analyzer(store: try database([sample(ms: 1, version: "1")]))
            #expect(try await analyzer.timeSeries(forSkill: "unknown", bucket: .day).isEmpty)
            #expect(try await analyzer.timeSeries(forSkill: "s", bucket: .day, version: "2").isEmpty)
            #expect(try await analyzer.timeSeries(forSkill: "s", bucket: .day, window: window(day20 + 1, nil)).isEmpty)
            // A closed window shows its buckets even when empty.
            let closed = try await analyzer.timeSeries(forSkill: "s", bucket: .day, window: window(day20 + day, day20 + 2 * day))
            #expect(closed.map(\.runs) == [0])
            #expect(closed.first?.p50 == nil)
        }

        @Test("version and model filters")
        func filters() async throws {
            let db = try database([
                sample(ms: 10, version: "1", model: "a"), sample(ms: 20, version: "2", model: "a"),
                sample(ms: 40, version: "2", model: "b"),
            ])
            let analyzer = Analyzer(store: db)
            let closed = window(day20, day20 + day)
            #expect(try await analyzer.timeSeries(forSkill: "s", bucket: .day, window: closed, version: "2").first?.p50 == 30)
            #expect(try await analyzer.timeSeries(forSkill: "s", bucket: .day, window: closed, model: "a").first?.p50 == 15)
            #expect(try await analyzer.timeSeries(forSkill: "s", bucket: .day, window: closed, version: "2", model: "a").first?.runs == 1)
        }

        @Test("10,000 buckets are fine; 10,001 throw tooManyBuckets")
        func tooManyBuckets() async throws {
            let analyzer = Analyzer(store: try database([sample(ms: 7, at: day20 + 30 * minute)]))
            let most = try await analyzer.timeSeries(forSkill: "s", bucket: .hour, window: window(day20, day20 + 10_000 * hour))
            #expect(most.count == TimeBucket.maximumCount)
            #expect(most.first?.runs == 1)
            #expect(most.last?.start == day20 + 9_999 * hour)

            await #expect(throws: ProfilerError.tooManyBuckets(count: 10_001, bucket: .hour)) {
                try await analyzer.timeSeries(forSkill: "s", bucket: .hour, window: window(day20, day20 + 10_000 * hour + 1))
            }
            // Open windows are measured the same way: from the first run's hour to now's.
            #expect(try await analyzer.timeSeries(forSkill: "s", bucket: .hour, now: Date(unixMilliseconds: day20 + 10_000 * hour)).count == 10_000)
            await #expect(throws: ProfilerError.tooManyBuckets(count: 10_001, bucket: .hour)) {
                try await analyzer.timeSeries(forSkill: "s", bucket: .hour, now: Date(unixMilliseconds: day20 + 10_000 * hour + 1))
            }
            #expect(
                ProfilerError.tooManyBuckets(count: 10_001, bucket: .hour).description
                    == "the window holds 10001 hours, more than the 10000 a time series can show; use a wider bucket or a shorter window")
        }
    }
}
