import Foundation

/// SVG markup written element by element. Every attribute value and every
/// text is escaped, so labels that come from stored runs (versions, dates)
/// cannot break out of the chart; coordinates are written with one decimal.
///
/// ```swift
/// var svg = SVGDocument(width: 400, height: 200)
/// svg.add("rect", ["x": 10, "y": 20, "width": 30, "height": 40, "class": "bar"], title: "1.0: 12 runs")
/// let markup = svg.markup(label: "Runs per version", class: "chart")
/// ```
struct SVGDocument {
    /// An attribute value: a number (written with at most one decimal) or text (escaped).
    enum Value: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
        case number(Double)
        case text(String)

        init(stringLiteral value: String) { self = .text(value) }
        init(floatLiteral value: Double) { self = .number(value) }
        init(integerLiteral value: Int) { self = .number(Double(value)) }

        var written: String {
            switch self {
            case .number(let number): SVGDocument.coordinate(number)
            case .text(let text): HTMLEscaping.escape(text)
            }
        }
    }

    /// The width of the view box: the coordinate system the elements are drawn in.
    let width: Double
    /// The height of the view box.
    let height: Double
    private var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Adds an element with its attributes (in the order given), a hover title and text content.
    mutating func add(_ name: String, _ attributes: KeyValuePairs<String, Value>, title: String? = nil, text: String? = nil) {
        body += "<\(name)"
        for (attribute, value) in attributes {
            body += " \(attribute)=\"\(value.written)\""
        }
        guard title != nil || text != nil else {
            body += "/>"
            return
        }
        body += ">"
        if let title { body += "<title>\(HTMLEscaping.escape(title))</title>" }
        if let text { body += HTMLEscaping.escape(text) }
        body += "</\(name)>"
    }

    /// Opens a group (`<g>`) with a class; close it with ``endGroup()``.
    mutating func beginGroup(class name: String) {
        body += "<g class=\"\(HTMLEscaping.escape(name))\">"
    }

    /// Closes the group ``beginGroup(class:)`` opened.
    mutating func endGroup() {
        body += "</g>"
    }

    /// The whole `<svg>` element: it scales to the width of its container, and
    /// `label` names it for screen readers.
    func markup(label: String, class name: String) -> String {
        "<svg class=\"\(HTMLEscaping.escape(name))\" viewBox=\"0 0 \(Self.coordinate(width)) \(Self.coordinate(height))\" "
            + "preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"\(HTMLEscaping.escape(label))\">"
            + body + "</svg>"
    }

    /// The path data (`d`) of a line through the points, lifted where a point is missing.
    static func path(through points: [(x: Double, y: Double)?]) -> String {
        var d = ""
        var drawing = false
        for point in points {
            guard let point else {
                drawing = false
                continue
            }
            d += (drawing ? "L" : "M") + coordinate(point.x) + " " + coordinate(point.y)
            drawing = true
        }
        return d
    }

    /// A coordinate with at most one decimal: `12`, `12.5`, `-3.2`.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        if tenths == 0 { return "0" }
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(format: "%.0f", tenths / 10) }
        return String(format: "%.1f", tenths / 10)
    }
}
