import Foundation
import Testing
@testable import SkillForgeServer

/// What the charts draw: one mark per value, at coordinates worked out by hand
/// from the frame (plot from x 46 to 550, y 206 up to 30), and escaped text.
@Suite("Dashboard charts: SVG")
struct ChartDrawingTests {
    /// How many times `needle` occurs in `text`.
    private func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test("attribute values and text are escaped, coordinates have one decimal")
    func escaping() {
        var svg = SVGDocument(width: 100, height: 50)
        svg.add("text", ["x": 1.25, "class": .text(#"a"b"#)], title: "<script>", text: "x & y")
        let markup = svg.markup(label: "it's", class: "chart")
        #expect(markup.contains(#"<text x="1.3" class="a&quot;b"><title>&lt;script&gt;</title>x &amp; y</text>"#))
        #expect(markup.hasPrefix(#"<svg class="chart" viewBox="0 0 100 50" preserveAspectRatio="xMidYMid meet" role="img" aria-label="it&#39;s">"#))
        #expect(SVGDocument.coordinate(12) == "12")
        #expect(SVGDocument.coordinate(-0.04) == "0")
        #expect(SVGDocument.coordinate(-3.26) == "-3.3")
        #expect(SVGDocument.coordinate(.nan) == "0")
        #expect(SVGDocument.path(through: [(0, 0), nil, (1, 1), (2, 2)]) == "M0 0M1 1L2 2")
    }

    @Test("a line chart has a point per value, the line lifted at a gap")
    func timeChart() {
        let chart = TimeChart(
            buckets: ["Nov 19", "Nov 20", "Nov 21"], notes: ["12 runs", "0 runs", "30 runs"],
            series: [.init(name: "p95", values: [100, nil, 300], style: .line, cssClass: "s2")],
            unit: .milliseconds)
        let svg = chart.svg(label: "p95")
        #expect(occurrences(of: #"class="pt""#, in: svg) == 2)
        // Three slots of 504 / 3 = 168 from x = 46: centres 130, 298, 466. The axis is
        // 0…300 (step 100), so 100 is 206 - 176 / 3 = 147.3 and 300 is the top, 30.
        #expect(svg.contains(#"d="M130 147.3M466 30""#))
        #expect(svg.contains(#"<circle class="pt" cx="130" cy="147.3" r="3"><title>Nov 19: p95 100 ms · 12 runs</title></circle>"#))
        #expect(svg.contains("<title>Nov 21: p95 300 ms · 30 runs</title>"))
        // Gridlines and labels at 0, 100, 200, 300, the unit above them.
        #expect(occurrences(of: "<line x1=\"46\" x2=\"550\"", in: svg) == 4 + 1)   // + the x axis
        #expect(svg.contains(#">ms</text>"#))
        #expect(svg.contains(#">300</text>"#))
    }

    @Test("bars: one per bucket with a value; an all-zero rate still has an axis up to 5%")
    func barChart() {
        let chart = TimeChart(
            buckets: ["a", "b", "c", "d"], notes: [],
            series: [.init(name: "failure rate", values: [0, nil, 0, 0], style: .bars, cssClass: "bad")],
            unit: .fraction, minimumUpper: 0.05)
        let svg = chart.svg(label: "failures")
        #expect(occurrences(of: #"class="bar""#, in: svg) == 3)
        // 0.05 / 4 = 0.0125 → step 0.02: 0, 2, 4, 6 %.
        #expect(svg.contains(#">6</text>"#))
        #expect(svg.contains(#">%</text>"#))
        #expect(svg.contains("<title>a: failure rate 0.0%</title>"))
    }

    @Test("a histogram has a bar per bin and one for the tail, each titled with its runs and share")
    func histogram() {
        var histogram = Histogram(bins: HistogramBins(covering: 0, 1_000, about: 10), unit: .milliseconds)
        histogram.series = [.init(name: "runs", counts: [3, 9, 4, 1, 0, 0, 0, 0, 0, 1], overflow: 2, cssClass: "s2")]
        let svg = histogram.svg(label: "latency")
        #expect(occurrences(of: #"class="bar""#, in: svg) == 10)
        #expect(occurrences(of: #"class="bar tail""#, in: svg) == 1)
        // 20 runs in all: 9 are 45%, the 2 above 1000 ms are 10%.
        #expect(svg.contains("<title>100 to 200 ms: 9 runs (45.0%)</title>"))
        #expect(svg.contains("<title>above 1000 ms: 2 runs (10.0%)</title>"))
        #expect(histogram.hasOverflow)
        // The y axis: 9 / 4 = 2.25 → step 5: 0, 5, 10 runs.
        #expect(svg.contains(#">10</text>"#))
        #expect(svg.contains(#">runs</text>"#))
    }

    @Test("two histograms side by side show each side's share of its own runs")
    func sharedHistogram() {
        var histogram = Histogram(bins: HistogramBins(covering: 0, 100, about: 2), unit: .milliseconds, showsShares: true)
        histogram.series = [
            .init(name: "1.0", counts: [1, 3], overflow: 0, cssClass: "s1"),
            .init(name: "2.0", counts: [30, 10], overflow: 0, cssClass: "s2"),
        ]
        let svg = histogram.svg(label: "both")
        #expect(occurrences(of: #"class="bar""#, in: svg) == 4)
        #expect(!svg.contains("tail"))
        #expect(!histogram.hasOverflow)
        #expect(svg.contains("<title>1.0, 50 to 100 ms: 3 runs (75.0%)</title>"))
        #expect(svg.contains("<title>2.0, 0 to 50 ms: 30 runs (75.0%)</title>"))
    }

    @Test("a sparkline: a point per value, the latest marked, scaled from its minimum to its maximum")
    func sparkline() {
        let svg = Sparkline(values: [410, nil, 452, 430], labels: ["a", "b", "c", "d"], unit: .milliseconds).svg(label: "p95")
        #expect(occurrences(of: "<circle", in: svg) == 3)
        #expect(occurrences(of: #"class="last""#, in: svg) == 1)
        // x from 3 in steps of 114 / 3 = 38; y from 24 (410) to 4 (452): 430 is 24 - 20 × 20 / 42 = 14.5.
        #expect(svg.contains(#"d="M3 24M79 4L117 14.5""#))
        #expect(svg.contains("<title>d: 430 ms</title>"))
        #expect(svg.contains(#"aria-label="p95: 410 ms to 452 ms""#))
        let empty = Sparkline(values: [nil, nil], labels: [], unit: .milliseconds).svg(label: "p95")
        #expect(empty.contains("<title>no runs</title>"))
        #expect(!empty.contains("<circle"))
    }
}
