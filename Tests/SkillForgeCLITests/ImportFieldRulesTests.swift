import Foundation
import Testing

/// A JSONL line of the required fields with `timestamp` and `execution_ms` written as given.
private func line(timestamp: String = "1795132800000", executionMs: String = "100", extra: String = "") -> String {
    #"{"skill_id":"s","execution_ms":\#(executionMs),"tokens_in":1,"tokens_out":1,"success":true,"timestamp":\#(timestamp)\#(extra)}"#
        + "\n"
}

/// A CSV file of the required columns and one row with `timestamp` and `execution_ms` written as given.
private func csv(timestamp: String = "1795132800000", executionMs: String = "100") -> String {
    "skill_id,execution_ms,tokens_in,tokens_out,success,timestamp\ns,\(executionMs),1,1,1,\(timestamp)\n"
}

/// Imports `text` written to `name`: the result, and the rows stored.
private func importing(_ text: String, named name: String) async throws -> (result: ProcessResult, file: String, rows: [String]) {
    let directory = try TemporaryDirectory()
    let file = directory.path(name)
    try write(text, to: file)
    let db = directory.path("data.db")
    let result = try await skillForge("import", "--db", db, file)
    return (result, file, FileManager.default.fileExists(atPath: db) ? try await exportedRows(db) : [])
}

/// How `import` reads the text of fields: dates that exist, numbers in decimal digits, each field once.
@Suite("import: dates, numbers and repeated fields")
struct ImportFieldRulesTests {
    // MARK: - Dates

    /// Impossible dates and times, in JSONL and CSV, with the problem named (the calendar facts checked
    /// with Python: `datetime.fromisoformat` refuses each with "day is out of range for month" or the like).
    static let impossibleTimes: [(String, String)] = [
        ("2026-02-30T10:00:00Z", "February 2026 has 28 days, not 30"),
        ("2026-02-31T25:61:61Z", "February 2026 has 28 days, not 31"),
        ("2026-04-31T10:00:00Z", "April 2026 has 30 days, not 31"),
        ("2026-02-29T10:00:00Z", "February 2026 has 28 days, not 29"),
        ("2100-02-29T10:00:00Z", "February 2100 has 28 days, not 29"),
        ("2026-04-31", "April 2026 has 30 days, not 31"),
        ("2026-11-20T25:00:00Z", "hour 25 is out of range (00 to 23)"),
        ("2026-11-20T10:61:00Z", "minute 61 is out of range (00 to 59)"),
        ("2026-11-20T10:00:60Z", "second 60 is out of range (00 to 59)"),
        ("2026-13-01T10:00:00Z", "there is no month 13"),
        ("2026-11-20T10:00:00+24:00", "the zone offset is out of range (at most 23:59 either way)"),
    ]

    @Test("an impossible date or time is refused, naming field, value, file and line; nothing is stored", arguments: impossibleTimes)
    func impossibleTime(_ testCase: (String, String)) async throws {
        let (time, problem) = testCase
        let json = try await importing(jsonl("a") + line(timestamp: "\"\(time)\""), named: "runs.jsonl")
        #expect(json.result.status == 1)
        #expect(json.result.stderr == "Error: \(json.file):2: timestamp \"\(time)\": \(problem)\n")
        #expect(json.rows.isEmpty)
        let table = try await importing(csv(timestamp: time), named: "runs.csv")
        #expect(table.result.status == 1)
        #expect(table.result.stderr == "Error: \(table.file):2: timestamp \"\(time)\": \(problem)\n")
        #expect(table.rows.isEmpty)
    }

    @Test("record --timestamp refuses an impossible date too")
    func recordImpossibleTime() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let result = try await skillForge(
            "record", "--db", db, "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1",
            "--timestamp", "2026-02-30T10:00:00Z")
        #expect(result.status == 64)
        #expect(result.stderr.contains("'2026-02-30T10:00:00Z' is not a valid time: February 2026 has 28 days, not 30"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    /// Leap days that exist, and the Unix milliseconds Python gives for them:
    /// `int(datetime.fromisoformat("2024-02-29T10:00:00+00:00").timestamp() * 1000)`.
    static let leapDays: [(String, Int64)] = [
        ("2024-02-29T10:00:00Z", 1_709_200_800_000),
        ("2000-02-29T12:00:00Z", 951_825_600_000),
        ("2028-02-29", 1_835_395_200_000),
        ("2026-11-20T10:00:00.250+01:30", 1_795_163_400_250),
    ]

    @Test("leap days that exist are read exactly, in JSONL, CSV and record --timestamp", arguments: leapDays)
    func leapDay(_ testCase: (String, Int64)) async throws {
        let (time, expected) = testCase
        let json = try await importing(line(timestamp: "\"\(time)\""), named: "runs.jsonl")
        #expect(json.result.status == 0, "\(json.result.stderr)")
        #expect(json.rows.first?.contains(#""timestamp":\#(expected),"#) == true, "\(json.rows)")
        let table = try await importing(csv(timestamp: time), named: "runs.csv")
        #expect(table.result.status == 0, "\(table.result.stderr)")
        #expect(table.rows.first?.contains(#""timestamp":\#(expected),"#) == true, "\(table.rows)")
        let directory = try TemporaryDirectory()
        let db = directory.path("data.db")
        let recorded = try await skillForge(
            "record", "--db", db, "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1", "--timestamp", time)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(try await exportedRows(db).first?.contains(#""timestamp":\#(expected),"#) == true)
    }

    // MARK: - Numbers

    /// Numbers not written as plain decimal whole numbers: hex, exponents, fractions, a `+`.
    static let notDecimal = ["0x10", "0X1F", "1e3", "1.0", "+5", "1_000"]

    @Test("a count in hex, with an exponent or a fraction is refused, not read as a number", arguments: notDecimal)
    func notDecimalNumber(_ text: String) async throws {
        let table = try await importing(csv(executionMs: text), named: "runs.csv")
        #expect(table.result.status == 1)
        #expect(table.result.stderr == "Error: \(table.file):2: execution_ms \"\(text)\": not a whole number in decimal digits\n")
        #expect(table.rows.isEmpty)
        let quoted = try await importing(line(executionMs: "\"\(text)\""), named: "runs.jsonl")
        #expect(quoted.result.status == 1)
        #expect(quoted.result.stderr == "Error: \(quoted.file):1: execution_ms \"\(text)\": not a whole number in decimal digits\n")
        #expect(quoted.rows.isEmpty)
    }

    @Test("JSON numbers with an exponent or a fraction are refused; digits as a number or as text are read")
    func jsonNumbers() async throws {
        for number in ["1e3", "1.0", "1E+3"] {
            let result = try await importing(line(executionMs: number), named: "runs.jsonl")
            #expect(result.result.status == 1)
            #expect(result.result.stderr == "Error: \(result.file):1: execution_ms \(number): not a whole number in decimal digits\n")
        }
        let read = try await importing(line(executionMs: #""12""#) + line(executionMs: "13"), named: "runs.jsonl")
        #expect(read.result.status == 0, "\(read.result.stderr)")
        #expect(read.rows.map { $0.contains(#""executionMs":12,"#) || $0.contains(#""executionMs":13,"#) } == [true, true])
    }

    // MARK: - Fields given twice

    @Test("a JSON key given twice, or a field under both its names, is refused naming the keys and the line")
    func duplicateKeys() async throws {
        let same = try await importing(
            jsonl("a") + #"{"executionMs":-1,"executionMs":1,"skillId":"s","tokensIn":1,"tokensOut":1,"success":true,"timestamp":1795132800000}"# + "\n",
            named: "runs.jsonl")
        #expect(same.result.status == 1)
        #expect(same.result.stderr == "Error: \(same.file):2: key \"executionMs\" appears twice\n")
        #expect(same.rows.isEmpty)
        let aliases = try await importing(line(extra: #","executionMs":5"#), named: "runs.jsonl")
        #expect(aliases.result.status == 1)
        #expect(aliases.result.stderr == "Error: \(aliases.file):1: keys \"execution_ms\" and \"executionMs\" both give execution_ms\n")
        #expect(aliases.rows.isEmpty)
    }

    @Test("a CSV header naming a column twice, or under both its names, is refused")
    func duplicateColumns() async throws {
        let same = try await importing(
            "skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,execution_ms\ns,100,1,1,1,1795132800000,7\n", named: "runs.csv")
        #expect(same.result.status == 1)
        #expect(same.result.stderr == "Error: \(same.file):1: the header has the column \"execution_ms\" twice\n")
        #expect(same.rows.isEmpty)
        let aliases = try await importing(
            "skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,executionMs\ns,100,1,1,1,1795132800000,7\n", named: "runs.csv")
        #expect(aliases.result.status == 1)
        #expect(aliases.result.stderr == "Error: \(aliases.file):1: the header columns \"execution_ms\" and \"executionMs\" both give execution_ms\n")
        #expect(aliases.rows.isEmpty)
    }
}
