import Foundation

/// The fields of an ISO 8601 date (`2026-11-20`) or date-time with a zone
/// (`2026-11-20T10:00:00Z`, `2026-11-20 10:00:00.250+01:00`), read from its bytes
/// and checked: a field out of range (February 30, hour 25) is an error, never
/// carried into the next field as calendars do.
struct ISO8601Fields {
    var year: Int64
    var month: Int64
    var day: Int64
    var hour: Int64 = 0
    var minute: Int64 = 0
    var second: Int64 = 0
    /// The fraction of a second, in milliseconds (digits past the third are dropped).
    var millisecond: Int64 = 0
    /// The zone's offset east of UTC, in minutes; `nil` for a bare date.
    var offsetMinutes: Int64?

    /// Bytes that are not a valid date or date-time.
    struct Invalid: Error {
        /// What is wrong (`February 2026 has 28 days, not 30`) when the text has the
        /// shape of a date or date-time; `nil` when it does not.
        var problem: String?
    }

    /// Reads `YYYY-MM-DD`, optionally followed by `T` (or a space), `HH:MM:SS`, an
    /// optional fraction (`.250`) and a zone (`Z`, `+01:00`, `-0500`).
    ///
    /// - Throws: ``Invalid``, with a problem when a field is out of range.
    init(_ bytes: ArraySlice<UInt8>) throws(Invalid) {
        var scanner = Scanner(bytes: bytes)
        year = try scanner.digits(4)
        try scanner.expect("-")
        month = try scanner.digits(2)
        try scanner.expect("-")
        day = try scanner.digits(2)
        if !scanner.isAtEnd {
            guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" ") else { throw Invalid() }
            hour = try scanner.digits(2)
            try scanner.expect(":")
            minute = try scanner.digits(2)
            try scanner.expect(":")
            second = try scanner.digits(2)
            if scanner.skip(".") || scanner.skip(",") {
                millisecond = try scanner.fractionInMilliseconds()
            }
            offsetMinutes = try scanner.zoneOffsetMinutes()
            guard scanner.isAtEnd else { throw Invalid() }
        }
        try checkRanges()
    }

    /// The instant in Unix milliseconds; a bare date is midnight in `timeZone`.
    func unixMilliseconds(bareDateIn timeZone: TimeZone) -> Int64 {
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        guard let offsetMinutes else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let components = DateComponents(year: Int(year), month: Int(month), day: Int(day))
            return calendar.date(from: components)?.unixMilliseconds ?? days * 86_400_000
        }
        return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1_000 + millisecond
    }

    // MARK: - Ranges

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    private func checkRanges() throws(Invalid) {
        guard (1...12).contains(month) else { throw Invalid(problem: "there is no month \(month)") }
        let days = Self.daysIn(month: month, year: year)
        guard (1...days).contains(day) else {
            throw Invalid(problem: "\(Self.monthNames[Int(month) - 1]) \(year) has \(days) days, not \(day)")
        }
        guard hour < 24 else { throw Invalid(problem: "hour \(hour) is out of range (00 to 23)") }
        guard minute < 60 else { throw Invalid(problem: "minute \(minute) is out of range (00 to 59)") }
        guard second < 60 else { throw Invalid(problem: "second \(second) is out of range (00 to 59)") }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The days of a month, February of leap years included.
    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

// MARK: - Scanning

extension ISO8601Fields {
    /// Reads the bytes of a date-time from left to right.
    private struct Scanner {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        var isAtEnd: Bool { index == bytes.endIndex }

        /// Moves past `expected` if it is next.
        mutating func skip(_ expected: Unicode.Scalar) -> Bool {
            guard !isAtEnd, bytes[index] == UInt8(ascii: expected) else { return false }
            index += 1
            return true
        }

        mutating func expect(_ expected: Unicode.Scalar) throws(Invalid) {
            guard skip(expected) else { throw Invalid() }
        }

        /// Exactly `count` decimal digits, as a number.
        mutating func digits(_ count: Int) throws(Invalid) -> Int64 {
            guard bytes.endIndex - index >= count else { throw Invalid() }
            var value: Int64 = 0
            for _ in 0..<count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { throw Invalid() }
                value = value * 10 + Int64(digit)
                index += 1
            }
            return value
        }

        /// One or more digits after a decimal point, as milliseconds (truncated).
        mutating func fractionInMilliseconds() throws(Invalid) -> Int64 {
            var value: Int64 = 0
            var count = 0
            while !isAtEnd, bytes[index] &- UInt8(ascii: "0") < 10 {
                if count < 3 { value = value * 10 + Int64(bytes[index] &- UInt8(ascii: "0")) }
                count += 1
                index += 1
            }
            guard count > 0 else { throw Invalid() }
            for _ in count..<max(count, 3) { value *= 10 }
            return value
        }

        /// `Z`, or `+HH:MM` / `-HH:MM` (the colon optional), as minutes east of UTC.
        mutating func zoneOffsetMinutes() throws(Invalid) -> Int64 {
            if skip("Z") || skip("z") { return 0 }
            let sign: Int64
            if skip("+") {
                sign = 1
            } else if skip("-") {
                sign = -1
            } else {
                throw Invalid()
            }
            let hours = try digits(2)
            _ = skip(":")
            let minutes = try digits(2)
            guard hours < 24, minutes < 60 else {
                throw Invalid(problem: "the zone offset is out of range (at most 23:59 either way)")
            }
            return sign * (hours * 60 + minutes)
        }
    }
}
