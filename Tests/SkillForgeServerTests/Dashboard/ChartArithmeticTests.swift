import Testing
@testable import SkillForgeServer

/// The arithmetic under every chart, against values worked out by hand.
@Suite("Dashboard charts: ticks, scales, bins and labels")
struct ChartArithmeticTests {
    /// Each tick within a millionth of the hand-worked value (floating point).
    private func expectTicks(_ ticks: Ticks, _ expected: [Double], step: Double) {
        #expect(ticks.values.count == expected.count, "\(ticks.values)")
        for (value, wanted) in zip(ticks.values, expected) {
            #expect(abs(value - wanted) < 1e-6, "\(ticks.values)")
        }
        #expect(abs(ticks.step - step) < 1e-9)
    }

    @Test("ticks: 1, 2 or 5 times a power of ten, ends rounded outwards")
    func niceTicks() {
        // 812 / 5 = 162.4: 100 and 200 are the powers around it, 200 is the first multiple ≥ 162.4.
        expectTicks(Ticks(covering: 0, 812), [0, 200, 400, 600, 800, 1000], step: 200)
        // 0.034 / 5 = 0.0068: 0.001, 0.002, 0.005 are too small, so 0.01.
        expectTicks(Ticks(covering: 0, 0.034), [0, 0.01, 0.02, 0.03, 0.04], step: 0.01)
        // (2380 - 120) / 24 = 94.2 → 100; 120 rounds down to 100, 2380 up to 2400: 23 intervals.
        expectTicks(Ticks(covering: 120, 2_380, maximumCount: 24), (1...24).map { Double($0) * 100 }, step: 100)
        // (1010 - 190) / 5 = 164 → 200; 0 to 1200 is one interval more than asked.
        expectTicks(Ticks(covering: 190, 1_010), [0, 200, 400, 600, 800, 1000, 1200], step: 200)
        // Exactly 1000 / 5 = 200 is a nice step itself.
        expectTicks(Ticks(covering: 0, 1_000), [0, 200, 400, 600, 800, 1000], step: 200)
    }

    @Test("ticks of an empty or infinite range are those of one unit")
    func degenerateTicks() {
        // 0...0 widens to 0...1: 1 / 5 = 0.2.
        let unit: [Double] = [0, 0.2, 0.4, 0.6, 0.8, 1]
        expectTicks(Ticks(covering: 0, 0), unit, step: 0.2)
        expectTicks(Ticks(covering: 0, .infinity), unit, step: 0.2)
        expectTicks(Ticks(covering: .nan, 3), unit, step: 0.2)
        // Reversed ends are the same range.
        #expect(Ticks(covering: 812, 0) == Ticks(covering: 0, 812))
    }

    @Test("labels take as many decimals as the step needs, in the unit shown")
    func decimals() {
        #expect(Ticks(covering: 0, 812).decimals() == 0)                    // step 200
        #expect(Ticks(covering: 0, 1).decimals() == 1)                      // step 0.2
        #expect(Ticks(covering: 0, 0.034).decimals() == 2)                  // step 0.01
        #expect(Ticks(covering: 0, 812).decimals(scaledBy: 1_000) == 1)     // 0.2 s
        #expect(Ticks(covering: 0, 4_600).decimals(scaledBy: 1_000) == 0)   // step 1000: 1 s
        #expect(Ticks(covering: 0, 0.034).decimals(scaledBy: 0.01) == 0)    // 1 percentage point
        #expect(Ticks(covering: 0, 0.012).decimals(scaledBy: 0.01) == 1)    // 0.012 / 5 = 0.0024 → step 0.005: half a point
    }

    @Test("a linear scale maps the domain's ends to the range's, inverted for SVG's y")
    func linearScale() {
        let y = LinearScale(domain: (0, 1_000), range: (200, 0))
        #expect(y(0) == 200)
        #expect(y(250) == 150)
        #expect(y(1_000) == 0)
        #expect(y(1_500) == -100)
        let x = LinearScale(domain: (100, 300), range: (46, 550))
        #expect(x(200) == 298)   // halfway: (46 + 550) / 2
        #expect(LinearScale(domain: (5, 5), range: (10, 20))(5) == 10)
    }

    @Test("axis units: ms become s past 1 s, tokens k from 10,000, fractions percent")
    func axisUnits() {
        let short = Ticks(covering: 0, 812)   // 0 … 1000: still ms
        #expect(AxisUnit.milliseconds.title(for: short) == "ms")
        #expect(AxisUnit.milliseconds.label(400, ticks: short) == "400")
        #expect(AxisUnit.milliseconds.tickText(400, ticks: short) == "400 ms")
        let long = Ticks(covering: 0, 2_400)   // step 500: 0 … 2500
        #expect(AxisUnit.milliseconds.title(for: long) == "s")
        #expect(AxisUnit.milliseconds.label(1_500, ticks: long) == "1.5")
        #expect(AxisUnit.milliseconds.tickText(2_000, ticks: long) == "2.0 s")
        let tokens = Ticks(covering: 0, 18_000)   // step 5000: 0 … 20000
        #expect(AxisUnit.tokens.label(15_000, ticks: tokens) == "15k")
        #expect(AxisUnit.tokens.label(1_500, ticks: Ticks(covering: 0, 1_800)) == "1500")
        let rates = Ticks(covering: 0, 0.034)
        #expect(AxisUnit.fraction.title(for: rates) == "%")
        #expect(AxisUnit.fraction.label(0.03, ticks: rates) == "3")
        #expect(AxisUnit.fraction.label(0.005, ticks: Ticks(covering: 0, 0.012)) == "0.5")
        #expect(AxisUnit.milliseconds.readable(812) == "812 ms")
        #expect(AxisUnit.tokens.readable(1_250) == "1,250 tokens")
        #expect(AxisUnit.fraction.readable(0.042) == "4.2%")
        #expect(AxisUnit.runs.readable(1) == "1 run")
        #expect(AxisUnit.runs.readable(12) == "12 runs")
    }

    @Test("histogram bins: round width, the last bin holds its upper edge, above it the overflow")
    func histogramBins() {
        // As the 24-tick case above: 100 ms wide from 100 to 2400.
        let bins = HistogramBins(covering: 120, 2_380, about: 24)
        #expect(bins.lower == 100)
        #expect(bins.width == 100)
        #expect(bins.count == 23)
        #expect(bins.upper == 2_400)
        #expect(bins.index(of: 100) == 0)
        #expect(bins.index(of: 199.9) == 0)
        #expect(bins.index(of: 200) == 1)
        #expect(bins.index(of: 250) == 1)
        #expect(bins.index(of: 2_400) == 22)
        #expect(bins.index(of: 2_400.5) == nil)
        #expect(bins.index(of: 50) == 0)
        #expect(bins.edges(of: 1) == (200, 300))
        // One value: 7...7 widens to 7...8; 1 / 24 = 0.042 → bins 0.05 wide, the value in one of them.
        let single = HistogramBins(covering: 7, 7, about: 24)
        #expect(abs(single.width - 0.05) < 1e-12)
        #expect(single.index(of: 7) != nil)
    }
}
