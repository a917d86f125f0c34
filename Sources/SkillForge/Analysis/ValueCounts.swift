/// An exact multiset of non-negative integers in bounded memory: how many
/// times each value occurred.
///
/// Values below ``denseLimit`` (65,536: milliseconds up to a minute, token
/// counts up to 64k) are counted in a flat array; larger values in a
/// dictionary of at most ``sparseValueLimit`` distinct values. Past that
/// the counts are no longer exact and ``isExact`` turns false, so the caller
/// can fall back to an ordered SQL query for that measure. Memory is at most
/// about 256 KiB for the array plus the dictionary's cap, however many values
/// are added.
///
/// Because every value is kept with its count, percentiles (numpy's linear
/// definition, see ``Percentile``) and rank statistics such as the
/// Mann-Whitney U test are exact, not estimates.
///
/// ```swift
/// var counts = ValueCounts()
/// for value in [10, 20, 20, 20, 90] { counts.add(value) }
/// counts.percentile(50)   // 20
/// counts.percentile(95)   // 76
/// ```
public struct ValueCounts: Sendable {
    /// Values below this are counted in a flat array.
    public static let denseLimit: Int64 = 1 << 16
    /// The default for the most distinct values of ``denseLimit`` or more that are counted exactly.
    public static let maximumSparseValues = 200_000

    /// The most distinct values of ``denseLimit`` or more that this multiset counts exactly.
    public let sparseValueLimit: Int

    private var dense: [UInt32]
    /// Occurrences of dense values past `UInt32.max` (4 billion of one value).
    private var denseOverflow: [Int64: Int] = [:]
    private var sparse: [Int64: Int] = [:]
    /// How many values were added.
    public private(set) var count = 0
    /// Whether every value added is counted exactly.
    public private(set) var isExact = true
    /// The smallest value added.
    public private(set) var minimum: Int64?
    /// The largest value added.
    public private(set) var maximum: Int64?

    /// Creates an empty multiset.
    ///
    /// - Parameter maximumSparseValues: The most distinct values of
    ///   ``denseLimit`` or more to count exactly (each costs about 40 bytes).
    public init(maximumSparseValues: Int = ValueCounts.maximumSparseValues) {
        dense = Array(repeating: 0, count: Int(Self.denseLimit))
        sparseValueLimit = maximumSparseValues
    }

    /// Adds one occurrence of `value` (negative values are counted as 0, which validation never lets in).
    public mutating func add(_ value: Int64) {
        let value = max(value, 0)
        count += 1
        minimum = Swift.min(minimum ?? value, value)
        maximum = Swift.max(maximum ?? value, value)
        if value < Self.denseLimit {
            let (sum, overflow) = dense[Int(value)].addingReportingOverflow(1)
            if overflow {
                denseOverflow[value, default: 0] += 1
            } else {
                dense[Int(value)] = sum
            }
        } else if isExact {
            sparse[value, default: 0] += 1
            if sparse.count > sparseValueLimit {
                isExact = false
                sparse = [:]
            }
        }
    }

    /// Removes every value, keeping the allocated memory.
    public mutating func removeAll() {
        if let minimum, minimum < Self.denseLimit, let maximum {
            for index in Int(minimum)...Int(Swift.min(maximum, Self.denseLimit - 1)) { dense[index] = 0 }
        }
        denseOverflow = [:]
        sparse = [:]
        count = 0
        isExact = true
        minimum = nil
        maximum = nil
    }

    /// Calls `body` with each distinct value and its count, in ascending order.
    ///
    /// Only meaningful while ``isExact``.
    public func forEachValue(_ body: (_ value: Int64, _ count: Int) throws -> Void) rethrows {
        guard let minimum, let maximum else { return }
        if minimum < Self.denseLimit {
            for value in Int(minimum)...Int(Swift.min(maximum, Self.denseLimit - 1)) where dense[value] > 0 {
                try body(Int64(value), Int(dense[value]) + (denseOverflow[Int64(value)] ?? 0))
            }
        }
        for value in sparse.keys.sorted() {
            try body(value, sparse[value] ?? 0)
        }
    }

    /// The `p`th percentile (0...100) by linear interpolation, or `nil` when
    /// empty, when `p` is out of range, or when the counts are not exact.
    public func percentile(_ p: Double) -> Double? {
        percentiles([p]).first ?? nil
    }

    /// Several percentiles in one ascending walk over the values.
    ///
    /// - Returns: One entry per requested percentile, `nil` where
    ///   ``percentile(_:)`` would be.
    public func percentiles(_ ps: [Double]) -> [Double?] {
        guard count > 0, isExact else { return ps.map { _ in nil } }
        // The 0-based ranks each percentile needs: its lower neighbour and the next.
        let positions = ps.map { p in (0...100).contains(p) ? Percentile.position(of: p, count: count) : nil }
        var wanted: [Int: Int64] = [:]
        for position in positions.compactMap({ $0 }) {
            wanted[position.lower] = 0
            wanted[Swift.min(position.lower + 1, count - 1)] = 0
        }
        let ranks = wanted.keys.sorted()
        var next = 0
        var seen = 0
        forEachValue { value, occurrences in
            seen += occurrences
            while next < ranks.count && ranks[next] < seen {
                wanted[ranks[next]] = value
                next += 1
            }
        }
        return positions.map { position in
            guard let position, let lower = wanted[position.lower],
                let upper = wanted[Swift.min(position.lower + 1, count - 1)]
            else { return nil }
            return Percentile.interpolate(lower: Double(lower), upper: Double(upper), fraction: position.fraction)
        }
    }

    /// Walks two multisets together: each value present in either, ascending,
    /// with its count in each. Both must be exact.
    static func forEachValue(
        in first: ValueCounts, and second: ValueCounts, _ body: (_ value: Int64, _ first: Int, _ second: Int) -> Void
    ) {
        let lowest = [first.minimum, second.minimum].compactMap { $0 }.min()
        let highest = [first.maximum, second.maximum].compactMap { $0 }.max()
        guard let lowest, let highest else { return }
        if lowest < denseLimit {
            for value in Int(lowest)...Int(Swift.min(highest, denseLimit - 1)) {
                let a = Int(first.dense[value]) + (first.denseOverflow[Int64(value)] ?? 0)
                let b = Int(second.dense[value]) + (second.denseOverflow[Int64(value)] ?? 0)
                if a + b > 0 { body(Int64(value), a, b) }
            }
        }
        for value in Set(first.sparse.keys).union(second.sparse.keys).sorted() {
            body(value, first.sparse[value] ?? 0, second.sparse[value] ?? 0)
        }
    }
}
