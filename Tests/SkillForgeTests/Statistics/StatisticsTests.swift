import Testing

/// Groups the tests of `Analysis/Statistics` so that `swift test --filter Statistics` runs them all.
@Suite("Statistics")
enum StatisticsTests {}

extension Double {
    /// Whether this value lies within `relative` times the magnitude of `expected` of it.
    ///
    /// Reference values are printed to 16 or 17 significant digits, so the
    /// default allows for rounding in the last few of them and nothing more.
    func isApproximately(_ expected: Double, relative: Double = 1e-12) -> Bool {
        abs(self - expected) <= relative * abs(expected)
    }
}
