/// Maps a range of data values onto a range of coordinates, linearly:
/// `domain.lower` to `range.start`, `domain.upper` to `range.end`.
///
/// ```swift
/// let y = LinearScale(domain: (0, 1000), range: (200, 0))   // SVG's y grows downwards
/// y(250)   // 150
/// ```
struct LinearScale {
    var domain: (lower: Double, upper: Double)
    var range: (start: Double, end: Double)

    /// The coordinate of `value`; the start of the range when the domain is empty.
    func callAsFunction(_ value: Double) -> Double {
        let width = domain.upper - domain.lower
        guard width != 0, width.isFinite else { return range.start }
        return range.start + (value - domain.lower) / width * (range.end - range.start)
    }
}
