/// The mean and sample standard deviation of whole numbers, from exact sums of
/// the values and their squares: the same figures whatever order the values
/// arrive in, so every store gives the same numbers although each scans in its
/// own order (Welford's running mean differs in the last bits).
///
/// ```swift
/// var moments = ExactMoments()
/// for ms in [100, 200, 600] { moments.add(ms) }
/// moments.mean                // 300.0
/// moments.standardDeviation   // 264.575…, as numpy.std(x, ddof=1)
/// ```
struct ExactMoments {
    private(set) var count = 0
    private var sum: Int128 = 0
    private var squares: Int128 = 0
    /// Whether the exact sums outgrew 128 bits (values near `Int64.max`): the figures then come from the
    /// floating-point sums.
    private var overflowed = false
    private var approximateSum = 0.0
    private var approximateSquares = 0.0

    mutating func add(_ value: Int64) {
        count += 1
        let double = Double(value)
        approximateSum += double
        approximateSquares += double * double
        guard !overflowed else { return }
        let wide = Int128(value)
        // |value| ≤ 2⁶³, so its square (≤ 2¹²⁶) fits; only the sums can overflow.
        let (newSum, sumOverflowed) = sum.addingReportingOverflow(wide)
        let (newSquares, squaresOverflowed) = squares.addingReportingOverflow(wide * wide)
        if sumOverflowed || squaresOverflowed {
            overflowed = true
        } else {
            (sum, squares) = (newSum, newSquares)
        }
    }

    /// The mean, or 0 without values.
    var mean: Double {
        guard count > 0 else { return 0 }
        return overflowed ? approximateSum / Double(count) : Double(sum) / Double(count)
    }

    /// The sample standard deviation (n − 1 in the denominator), or `nil` below two values.
    var standardDeviation: Double? {
        guard count > 1 else { return nil }
        let n = Double(count)
        if !overflowed {
            // n·Σx² − (Σx)² is n² times the population variance: exact, and never negative.
            let (scaled, scaledOverflowed) = squares.multipliedReportingOverflow(by: Int128(count))
            let (squaredSum, squaredSumOverflowed) = sum.multipliedReportingOverflow(by: sum)
            if !scaledOverflowed && !squaredSumOverflowed {
                return (Double(scaled - squaredSum) / n / (n - 1)).squareRoot()
            }
        }
        return (max(0, approximateSquares - approximateSum * approximateSum / n) / (n - 1)).squareRoot()
    }
}
