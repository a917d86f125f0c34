/// A one-line chart of a series: `▁▂▃▅▇█`, a blank where there is no value.
enum Sparkline {
    private static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The bars of `values`, scaled from their minimum to their maximum.
    static func bars(_ values: [Double?]) -> String {
        let present = values.compactMap { $0 }
        guard let low = present.min(), let high = present.max() else {
            return String(repeating: " ", count: values.count)
        }
        return String(values.map { value in
            guard let value else { return " " }
            guard high > low else { return levels[0] }
            let level = Int(((value - low) / (high - low) * Double(levels.count - 1)).rounded())
            return levels[min(max(level, 0), levels.count - 1)]
        })
    }

    /// `label  ▁▂▅█  (min … max)`.
    static func line(_ label: String, _ values: [Double?], format: (Double) -> String) -> String {
        let present = values.compactMap { $0 }
        let range = present.min().map { low in " (\(format(low)) … \(format(present.max() ?? low)))" } ?? ""
        return "\(label)  \(bars(values))\(range)"
    }
}
