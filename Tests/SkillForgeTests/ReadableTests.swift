import Testing

@testable import SkillForge

/// Every formatter gives text for any value, the values written by hand.
@Suite("Readable")
struct ReadableTests {
    @Test("huge values: Int64.max as a Double is 9.223372036854775807e18, shown with 3 significant digits")
    func hugeValues() {
        #expect(Readable.amount(Double(Int64.max)) == "9.22e+18")
        #expect(Readable.amount(1e15) == "1e+15")
        #expect(Readable.amount(999_999_999_999_999) == "999,999,999,999,999")
        // 9.22e18 ms = 9.22e15 s.
        #expect(Readable.milliseconds(Double(Int64.max)) == "9.22e+15 s")
        #expect(Readable.milliseconds(1e22) == "1e+19 s")
        #expect(Readable.count(UInt64.max) == "18446744073709551615")
        #expect(Readable.count(Int64.min) == "-9,223,372,036,854,775,808")
    }

    @Test("negative values keep their sign and their unit")
    func negativeValues() {
        #expect(Readable.milliseconds(-5.0) == "-5.00 ms")
        #expect(Readable.milliseconds(-1_500.0) == "-1.50 s")
        #expect(Readable.milliseconds(Int64(-5)) == "-5 ms")
        #expect(Readable.amount(-5.5) == "-5.5")
        #expect(Readable.amount(-1_234) == "-1,234")
        #expect(Readable.percent(-0.5) == "-50.0%")
    }

    @Test("NaN and infinities are words, never a crash")
    func nonFiniteValues() {
        for format in [Readable.milliseconds(_:) as (Double) -> String, Readable.amount, Readable.percent, Readable.ratio] {
            #expect(format(.nan) == "n/a")
            #expect(format(.infinity) == "∞")
            #expect(format(-.infinity) == "-∞")
        }
        #expect(Readable.pValue(.nan) == "p = n/a")
        #expect(Readable.change(.nan) == "n/a")
        #expect(Readable.change(.infinity) == "from zero")
    }

    @Test("ordinary values keep their forms")
    func ordinaryValues() {
        #expect(Readable.milliseconds(8_200.0) == "8.20 s")
        #expect(Readable.milliseconds(125_000.0) == "2 min 5 s")
        #expect(Readable.milliseconds(2_592_000_000.0) == "43200 min 0 s")
        #expect(Readable.amount(12.5) == "12.5")
        #expect(Readable.amount(1_234.4) == "1,234")
        #expect(Readable.percent(0.142) == "14.2%")
    }
}
