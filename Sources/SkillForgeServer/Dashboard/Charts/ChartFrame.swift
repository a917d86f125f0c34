/// The plot area of a chart inside its view box, its vertical scale, and the
/// axes drawn around it: gridlines with labels on the left, the unit above
/// them (with room for the larger text of phones), labels along the bottom.
///
/// Every chart of the dashboard is drawn in the same view box, so that charts
/// side by side have the same proportions and text size.
struct ChartFrame {
    /// The view box's width; the SVG scales to its container.
    static let width = 560.0
    /// The view box's height.
    static let height = 230.0

    let plotLeft = 46.0
    let plotRight = width - 10
    let plotTop = 30.0
    let plotBottom = height - 24
    /// The ticks of the vertical axis, from zero (or the data's lowest tick) up.
    let yTicks: Ticks
    /// What the vertical axis measures.
    let yUnit: AxisUnit

    /// A frame whose vertical axis covers `0...maximum` (at least `0...minimumUpper`).
    init(maximum: Double, minimumUpper: Double, unit: AxisUnit) {
        yTicks = Ticks(covering: 0, max(maximum, minimumUpper, 0), maximumCount: 4)
        yUnit = unit
    }

    var plotWidth: Double { plotRight - plotLeft }

    /// The vertical coordinate of a value.
    var y: LinearScale {
        LinearScale(domain: (yTicks.lower, yTicks.upper), range: (plotBottom, plotTop))
    }

    /// A new document with the horizontal gridlines, their labels and the unit.
    func document() -> SVGDocument {
        var svg = SVGDocument(width: Self.width, height: Self.height)
        svg.beginGroup(class: "grid")
        for tick in yTicks.values {
            let position = y(tick)
            svg.add("line", ["x1": .number(plotLeft), "x2": .number(plotRight), "y1": .number(position), "y2": .number(position)])
        }
        svg.endGroup()
        svg.beginGroup(class: "axis y")
        for tick in yTicks.values {
            svg.add(
                "text", ["x": .number(plotLeft - 6), "y": .number(y(tick) + 4), "text-anchor": "end"],
                text: yUnit.label(tick, ticks: yTicks))
        }
        svg.add("text", ["x": .number(plotLeft - 6), "y": 13, "text-anchor": "end", "class": "unit"], text: yUnit.title(for: yTicks))
        svg.endGroup()
        return svg
    }

    /// Labels under the plot, centred on their positions (the first and last kept inside the view box).
    func addXLabels(_ labels: [(x: Double, text: String)], to svg: inout SVGDocument) {
        svg.beginGroup(class: "axis x")
        svg.add("line", ["x1": .number(plotLeft), "x2": .number(plotRight), "y1": .number(plotBottom), "y2": .number(plotBottom)])
        for label in labels {
            let anchor: SVGDocument.Value =
                label.x < plotLeft + 30 ? "start" : label.x > plotRight - 30 ? "end" : "middle"
            svg.add("text", ["x": .number(label.x), "y": .number(Self.height - 6), "text-anchor": anchor], text: label.text)
        }
        svg.endGroup()
    }
}
