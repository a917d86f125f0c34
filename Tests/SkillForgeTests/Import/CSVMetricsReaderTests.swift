import Foundation
import Testing

@testable import SkillForge

/// Reads `text` as a CSV file named runs.csv.
private func readCSV(_ text: String) throws -> [ImportItem] {
    try readCSV(Array(text.utf8))
}

private func readCSV(_ bytes: [UInt8]) throws -> [ImportItem] {
    let directory = try TemporaryDirectory()
    return try readAll(CSVMetricsReader(), path: try writeFile("runs.csv", bytes, in: directory)).items
}

/// The import error reading `text` throws, if any.
private func csvError(_ text: String) throws -> ImportError? {
    do {
        _ = try readCSV(text)
        return nil
    } catch let error as ImportError {
        return error
    }
}

private let header = "skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,version,model,error"

/// A run at `day20` with these values.
private func row(_ skill: String, _ ms: Int64, success: Bool = true, version: String? = nil, model: String? = nil, error: String? = nil) -> SkillMetrics {
    SkillMetrics(
        skillId: skill, executionMs: ms, tokensIn: 10, tokensOut: 5, success: success, timestamp: day20, version: version,
        model: model, error: error)
}

@Suite("CSV reader")
struct CSVMetricsReaderTests {
    @Test("a header in snake_case or camelCase, then rows; unknown columns and the id are ignored")
    func namings() throws {
        let snake = try readCSV(
            "id,skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,version,unknown\n"
                + "41,summarise,840,10,5,1,1795132800000,2.0,whatever\n")
        let camel = try readCSV(
            " skillId , executionMs,tokensIn,tokensOut,success,timestamp,version,notAColumn\n"
                + "summarise,840,10,5,true,2026-11-20T00:00:00Z,2.0,x\n")
        let expected = row("summarise", 840, version: "2.0")
        #expect(snake.map(\.metricValue) == [expected])
        #expect(camel.map(\.metricValue) == [expected])
        #expect(snake.map(\.shape) == [.metric(2)])
    }

    @Test("every column, as export writes them, reads back")
    func everyColumn() throws {
        let items = try readCSV(
            MetricsWriter.csvHeader.joined(separator: ",") + "\n"
                + #"7,s,1,2,3,0,1795132800000,v,m,"boom, it said ""no""",1,4,5,sess,run,cli,"{""a"":[1,2]}",1e-05,1,1"# + "\n"
                + "8,t,1,2,3,1,1795132800000,,,,,,,,,,,,,\n")
        try #require(items.count == 2)
        #expect(items[0].metricValue == SkillMetrics(
            skillId: "s", executionMs: 1, tokensIn: 2, tokensOut: 3, success: false, timestamp: day20, version: "v", model: "m",
            error: #"boom, it said "no""#, tokensEstimated: true, cacheReadTokens: 4, cacheCreationTokens: 5, sessionId: "sess",
            runId: "run", source: "cli", metadata: #"{"a":[1,2]}"#, costUsd: 0.00001, tokensKnown: true, costEstimated: true))
        // Empty cells are NULLs.
        #expect(items[1].metricValue == SkillMetrics(skillId: "t", executionMs: 1, tokensIn: 2, tokensOut: 3, success: true, timestamp: day20))
    }

    @Test("quoted fields with commas, doubled quotes and newlines; records keep the line where they start")
    func quotedFields() throws {
        let text = #"""
            \#(header)
            "a, b",1,10,5,0,1795132800000,,,"line one
            line two

            line ""three"""
            plain,2,10,5,1,1795132800000,"",,
            "q",3,10,5,0,1795132800000,"v ""1""",m,"a,""b"",c"
            multi,4,10,5,0,1795132800000,,,"
            "
            last,5,10,5,1,1795132800000,,,

            """#
        let items = try readCSV(text)
        #expect(items.map(\.shape) == [.metric(2), .metric(6), .metric(7), .metric(8), .metric(10)])
        #expect(items.map(\.metricValue) == [
            row("a, b", 1, success: false, error: "line one\nline two\n\nline \"three\""),
            row("plain", 2),
            row("q", 3, success: false, version: #"v "1""#, model: "m", error: #"a,"b",c"#),
            row("multi", 4, success: false, error: "\n"),
            row("last", 5),
        ])
    }

    @Test("CRLF files read like LF files; a line break inside quotes is kept as written")
    func crlf() throws {
        let text = header + "\r\n" + "s,1,10,5,0,1795132800000,,,\"two\r\nlines\"\r\n" + "t,2,10,5,1,1795132800000,,,\r\n"
        let items = try readCSV(text)
        #expect(items.map(\.shape) == [.metric(2), .metric(4)])
        #expect(items.map(\.metricValue) == [row("s", 1, success: false, error: "two\r\nlines"), row("t", 2)])
        // A UTF-8 byte-order mark before the header is skipped.
        let bom = try readCSV([0xEF, 0xBB, 0xBF] + Array((header + "\nu,3,10,5,1,1795132800000,,,\n").utf8))
        #expect(bom.map(\.metricValue) == [row("u", 3)])
    }

    @Test("blank lines between records are skipped, line numbers stay exact")
    func blankLines() throws {
        let items = try readCSV("\n\(header)\n\n  \ns,1,10,5,1,1795132800000,,,\n\n\nt,2,10,5,1,1795132800000,,,")
        #expect(items.map(\.shape) == [.metric(5), .metric(8)])
    }

    @Test("a header lacking required columns is refused, naming them")
    func missingColumns() throws {
        let error = try csvError("skill_id,tokens_in,success,notes\ns,1,1,x\n")
        guard error?.code == .invalidRecord, let headerLocation = error?.location, let headerProblem = error?.problem else {
            Issue.record("expected an invalid header, got \(String(describing: error))")
            return
        }
        #expect(headerLocation.line == 1 && headerLocation.file.hasSuffix("runs.csv"))
        #expect(headerProblem == "the header row lacks execution_ms, tokens_out, timestamp (found: skill_id,tokens_in,success,notes)")
        // A JSON line read as CSV: its "header" has none of them.
        let json = try csvError(#"{"skill_id":"s"}"# + "\n")
        guard json?.code == .invalidRecord, let location = json?.location, let problem = json?.problem else {
            Issue.record("expected an invalid header, got \(String(describing: json))")
            return
        }
        #expect(location.line == 1)
        #expect(problem.hasPrefix("the header row lacks skill_id, execution_ms, tokens_in, tokens_out, success, timestamp"))
    }

    @Test("a row with too few or too many fields is invalid, the others read")
    func fieldCounts() throws {
        let items = try readCSV("\(header)\ns,1,10,5,1,1795132800000,,\nt,2,10,5,1,1795132800000,,,\nu,3,10,5,1,1795132800000,,,,extra\n")
        #expect(items.map(\.shape) == [.invalid(2), .metric(3), .invalid(4)])
        #expect(items[0].problemText == "expected 9 fields as in the header, found 8")
        #expect(items[2].problemText == "expected 9 fields as in the header, found 10")
    }

    @Test("bad values name the field and the value")
    func badValues() throws {
        let items = try readCSV(
            "\(header)\ns,1x,10,5,1,1795132800000,,,\ns,1,10,5,maybe,1795132800000,,,\ns,1,10,5,1,soon,,,\n,1,10,5,1,1795132800000,,,\n")
        #expect(items.map(\.problemText) == [
            #"execution_ms "1x": not a whole number in decimal digits"#,
            #"success "maybe": should be true or false (or 1 or 0)"#,
            #"timestamp "soon": not Unix milliseconds or an ISO 8601 time"#,
            "missing skill_id",
        ])
        #expect(items.map(\.shape) == [.invalid(2), .invalid(3), .invalid(4), .invalid(5)])
    }

    @Test("a quote never closed is reported at the line where its record starts")
    func unclosedQuote() throws {
        let items = try readCSV("\(header)\ns,1,10,5,1,1795132800000,,,\nt,2,10,5,0,1795132800000,,,\"cut short\nand more\n")
        #expect(items.map(\.shape) == [.metric(2), .invalid(3)])
        #expect(items[1].problemText == "a quoted field is never closed (the file may be truncated)")
    }

    @Test("an empty file, or one of blank lines, is refused: CSV needs a header; a header alone reads nothing")
    func emptyFiles() throws {
        for text in ["", "\n\n", " \r\n"] {
            let error = try csvError(text)
            guard error?.code == .unreadableInput, let problem = error?.problem else {
                Issue.record("\(text.debugDescription): expected unreadableInput, got \(String(describing: error))")
                continue
            }
            #expect(problem == "is empty: CSV needs a header row")
        }
        #expect(try readCSV(header + "\n").isEmpty)
    }

    @Test("a line that is not UTF-8 is invalid; inside a quoted field it spoils that record only")
    func binaryLines() throws {
        let bad: [UInt8] = [0x62, 0x61, 0x64, 0xFF, 0xFE]
        let bytes = Array("\(header)\n".utf8) + bad + Array("\ns,1,10,5,1,1795132800000,,,\n".utf8)
        let items = try readCSV(bytes)
        #expect(items.map(\.shape) == [.invalid(2), .metric(3)])
        #expect(items[0].problemText == "the line is not UTF-8 text (binary data?)")

        // The record starting on line 2 holds a bad line 3: it is reported once, and not read as a metric.
        let inside = Array("\(header)\ns,1,10,5,0,1795132800000,,,\"start\n".utf8) + bad
            + Array("\nend\"\nt,2,10,5,1,1795132800000,,,\n".utf8)
        let insideItems = try readCSV(inside)
        #expect(insideItems.map(\.shape) == [.invalid(2), .metric(5)])
        #expect(insideItems.last?.metricValue == row("t", 2))
        // A NUL byte is binary too.
        let nul = try readCSV(Array("\(header)\n".utf8) + [0x61, 0x00, 0x62] + Array("\n".utf8))
        #expect(nul.map(\.shape) == [.invalid(2)])
    }
}
