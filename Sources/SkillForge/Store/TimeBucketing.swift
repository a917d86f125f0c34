import Foundation

/// How a run's timestamp maps to a time bucket: its local wall-clock time,
/// shifted, divided by the bucket width.
///
/// Local time is the timestamp plus the zone's UTC offset, which changes at
/// daylight-saving transitions; `offsets` lists each offset with the instant
/// it stops applying, so the mapping is exact across transitions. Every store
/// buckets with ``key(of:)``: the arithmetic is written here only.
public struct TimeBucketing: Sendable, Hashable {
    /// One UTC offset of the zone and the instant it stops applying.
    package struct Offset: Sendable, Hashable {
        /// The first instant (Unix milliseconds) the offset no longer applies to; `nil` for the last one.
        package var until: Int64?
        /// The offset, in milliseconds.
        package var milliseconds: Int64
    }

    /// Bucket width in milliseconds.
    package var width: Int64
    /// Added to local time before dividing (weeks start on Monday).
    package var shift: Int64
    /// The zone's offsets over the window, in time order; the last applies onwards.
    package var offsets: [Offset]

    /// Buckets of `bucket` in `timeZone`, valid from `since` to `until` (Unix milliseconds).
    public init(bucket: TimeBucket, timeZone: TimeZone, from since: Int64, to until: Int64) {
        var offsets: [Offset] = []
        var instant = Date(unixMilliseconds: since)
        while let transition = timeZone.nextDaylightSavingTimeTransition(after: instant),
            transition.unixMilliseconds < until
        {
            offsets.append(Offset(until: transition.unixMilliseconds, milliseconds: Self.offset(of: timeZone, at: instant)))
            instant = transition
        }
        offsets.append(Offset(until: nil, milliseconds: Self.offset(of: timeZone, at: instant)))
        self.init(width: bucket.milliseconds, shift: bucket.shift, offsets: offsets)
    }

    init(width: Int64, shift: Int64, offsets: [Offset]) {
        self.width = width
        self.shift = shift
        self.offsets = offsets
    }

    /// The bucket of an instant (Unix milliseconds).
    public func key(of timestamp: Int64) -> Int64 {
        let offset = offsets.first { $0.until.map { timestamp < $0 } ?? true }?.milliseconds ?? 0
        return (timestamp + offset + shift) / width
    }

    /// The local wall-clock time at which a bucket starts (milliseconds, read as if UTC).
    func localTime(ofKey key: Int64) -> Int64 {
        key * width - shift
    }

    /// The first instant of a bucket, or `nil` when a daylight-saving change skips all of its local times.
    ///
    /// A bucket whose local start is skipped (midnight, when clocks jump from 24:00 to 01:00) starts at
    /// the change; one that lies wholly in the skipped span (02:00–03:00 when clocks jump from 02:00 to
    /// 03:00) never happens.
    func start(ofKey key: Int64, in timeZone: TimeZone) -> Int64? {
        let local = localTime(ofKey: key)
        var start = local - offset(atLocalTime: local, in: timeZone)
        if self.key(of: start, in: timeZone) < key,
            let change = timeZone.nextDaylightSavingTimeTransition(after: Date(unixMilliseconds: start))
        {
            start = change.unixMilliseconds
        }
        return self.key(of: start, in: timeZone) == key ? start : nil
    }

    /// The bucket of an instant by the zone's own offset then (``key(of:)`` knows only the window's offsets).
    private func key(of timestamp: Int64, in timeZone: TimeZone) -> Int64 {
        (timestamp + Self.offset(of: timeZone, at: Date(unixMilliseconds: timestamp)) + shift) / width
    }

    /// The zone's UTC offset at a local wall-clock time, in milliseconds.
    func offset(atLocalTime local: Int64, in timeZone: TimeZone) -> Int64 {
        let guess = Self.offset(of: timeZone, at: Date(unixMilliseconds: local))
        return Self.offset(of: timeZone, at: Date(unixMilliseconds: local - guess))
    }

    private static func offset(of timeZone: TimeZone, at instant: Date) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: instant)) * 1000
    }
}
