import Foundation
import Testing

@testable import SkillForge

/// A line as the tests compare them.
private enum ReadLine: Equatable, CustomStringConvertible {
    case text(String)
    case tooLong(Int)

    var description: String {
        switch self {
        case .text(let text): text.count > 20 ? "text(\(text.utf8.count) bytes)" : "text(\(text.debugDescription))"
        case .tooLong(let length): "tooLong(\(length))"
        }
    }
}

private struct ReadResult {
    var lines: [ReadLine] = []
    var numbers: [Int] = []
    var unterminated = false
    var bytesRead: Int64 = 0
}

/// Reads the whole file at `path`.
private func readLines(path: String, maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws -> ReadResult {
    var reader = try LineReader(path: path, maximumLineLength: maximumLineLength)
    var result = ReadResult()
    while let line = try reader.next() {
        switch line {
        case .text(let bytes): result.lines.append(.text(String(decoding: bytes, as: UTF8.self)))
        case .tooLong(let length): result.lines.append(.tooLong(length))
        }
        result.numbers.append(reader.lineNumber)
    }
    result.unterminated = reader.lastLineIsUnterminated
    result.bytesRead = reader.bytesRead
    return result
}

private func readLines(_ bytes: [UInt8], maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws -> ReadResult {
    let directory = try TemporaryDirectory()
    return try readLines(path: try writeFile("lines.txt", bytes, in: directory), maximumLineLength: maximumLineLength)
}

private func readLines(_ text: String, maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws -> ReadResult {
    try readLines(Array(text.utf8), maximumLineLength: maximumLineLength)
}

@Suite("LineReader")
struct LineReaderTests {
    @Test("LF and CRLF end lines; the CR is dropped; line numbers count from 1")
    func lineEnds() throws {
        let result = try readLines("alpha\nbeta\r\ngamma\n")
        #expect(result.lines == [.text("alpha"), .text("beta"), .text("gamma")])
        #expect(result.numbers == [1, 2, 3])
        #expect(!result.unterminated)
        #expect(result.bytesRead == 18)
        // A CR that ends no line stays.
        #expect(try readLines("a\rb\n").lines == [.text("a\rb")])
    }

    @Test("a last line without a newline is read and flagged")
    func unterminatedLastLine() throws {
        let result = try readLines("one\ntwo")
        #expect(result.lines == [.text("one"), .text("two")])
        #expect(result.numbers == [1, 2])
        #expect(result.unterminated)
        let single = try readLines("only")
        #expect(single.lines == [.text("only")] && single.unterminated)
        #expect(!(try readLines("one\ntwo\n")).unterminated)
    }

    @Test("empty lines are lines; an empty file has none")
    func emptyLines() throws {
        let result = try readLines("\n\nx\n\r\n\n")
        #expect(result.lines == [.text(""), .text(""), .text("x"), .text(""), .text("")])
        #expect(result.numbers == [1, 2, 3, 4, 5])
        let empty = try readLines("")
        #expect(empty.lines.isEmpty && !empty.unterminated && empty.bytesRead == 0)
    }

    @Test("a UTF-8 byte-order mark is skipped")
    func utf8BOM() throws {
        let result = try readLines([0xEF, 0xBB, 0xBF] + Array("a,b\nc\n".utf8))
        #expect(result.lines == [.text("a,b"), .text("c")])
        #expect(result.bytesRead == 9)
        #expect(try readLines([0xEF, 0xBB, 0xBF]).lines.isEmpty)
        #expect(try readLines([0xEF, 0xBB, 0xBF, 0x0A]).lines == [.text("")])
        // Only at the start: a BOM later on is text.
        #expect(try readLines(Array("a\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("b".utf8)).lines == [.text("a"), .text("\u{FEFF}b")])
    }

    @Test("UTF-16, with or without a byte-order mark, is refused with the iconv hint", arguments: [
        [0xFF, 0xFE] + Array("{}\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
        [0xFE, 0xFF] + Array("{}\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] },
        Array("skill_id\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
        Array("skill_id\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] },
    ] as [[UInt8]])
    func utf16Refused(_ bytes: [UInt8]) throws {
        let directory = try TemporaryDirectory()
        let path = try writeFile("utf16.txt", bytes, in: directory)
        let error = try #require(throws: ImportError.self) {
            var reader = try LineReader(path: path, displayName: "runs.csv")
            while try reader.next() != nil {}
        }
        guard error.code == .unreadableInput, let file = error.file, let problem = error.problem else {
            Issue.record("expected unreadableInput, got \(error)")
            return
        }
        #expect(file == "runs.csv")
        #expect(problem.contains("UTF-16") && problem.contains("iconv -f UTF-16 -t UTF-8"))
        #expect(error.description == "runs.csv: \(problem)")
    }

    @Test("a line longer than the limit is reported with its length, and reading goes on at the next line")
    func tooLongLines() throws {
        let limit = 100
        var text = "short\n"
        text += String(repeating: "x", count: 150) + "\n"  // in the buffer with its newline
        text += "after\n"
        text += String(repeating: "y", count: limit) + "\n"  // exactly the limit: a line
        text += String(repeating: "z", count: limit + 1) + "\n"  // one more: too long
        text += String(repeating: "w", count: 300_000) + "\n"  // across several buffers
        text += String(repeating: "c", count: 150) + "\r\n"  // the CR counts
        text += "end"
        let result = try readLines(text, maximumLineLength: limit)
        #expect(
            result.lines == [
                .text("short"), .tooLong(150), .text("after"), .text(String(repeating: "y", count: limit)),
                .tooLong(limit + 1), .tooLong(300_000), .tooLong(151), .text("end"),
            ])
        #expect(result.numbers == Array(1...8))
        #expect(result.unterminated)
        #expect(result.bytesRead == Int64(text.utf8.count))

        // An unterminated too-long last line.
        let last = try readLines("ok\n" + String(repeating: "q", count: 70_000), maximumLineLength: limit)
        #expect(last.lines == [.text("ok"), .tooLong(70_000)])
        #expect(last.unterminated)
    }

    @Test("with the default limit, a 20 MiB line is skipped, not held, and the next line reads")
    func defaultLimit() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("big.jsonl")
        let exact = directory.path("exact.jsonl")
        let (lines, exactLine) = try await offThePool { () throws -> ([ReadLine], ReadLine?) in
            guard FileManager.default.createFile(atPath: path, contents: Data("first\n".utf8)),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw CocoaError(.fileWriteUnknown) }
            try handle.seekToEnd()
            let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
            for _ in 0..<20 { try handle.write(contentsOf: chunk) }
            try handle.write(contentsOf: Data("\nlast\n".utf8))
            try handle.close()
            // Exactly the default limit is still a line.
            try (Data(repeating: UInt8(ascii: "b"), count: LineReader.defaultMaximumLineLength) + Data("\n".utf8))
                .write(to: URL(fileURLWithPath: exact))
            return (try readLines(path: path).lines, try readLines(path: exact).lines.first)
        }
        #expect(lines == [.text("first"), .tooLong(20 << 20), .text("last")])
        #expect(exactLine == .text(String(repeating: "b", count: LineReader.defaultMaximumLineLength)))
    }

    @Test("lines that span the 64 KiB buffer boundary read exactly")
    func bufferBoundaries() throws {
        var expected: [String] = []
        var text = ""
        // Lengths around the buffer size and its doublings, a CR just before a boundary, empty lines between.
        let lengths = [65_535, 1, 65_536, 0, 65_537, 131_072, 3, 65_534, 0, 200_000, 65_536 - 7, 12]
        for (index, length) in lengths.enumerated() {
            let letter = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(index % 26)))
            let line = String(repeating: letter, count: length)
            expected.append(line)
            text += line + (index % 3 == 1 ? "\r\n" : "\n")
        }
        let result = try readLines(text)
        #expect(result.lines == expected.map { .text($0) })
        #expect(result.numbers == Array(1...lengths.count))
        #expect(result.bytesRead == Int64(text.utf8.count))

        // Many short lines of varied lengths, some multi-byte characters cut by a boundary.
        var lines: [String] = []
        var seed: UInt64 = 42
        for _ in 0..<6_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(seed >> 55)  // 0...511
            lines.append(String(repeating: "é", count: length / 2) + String(repeating: "x", count: length % 2))
        }
        let many = try readLines(lines.joined(separator: "\n"))
        #expect(many.lines == lines.map { .text($0) })
        #expect(many.unterminated)
    }

    @Test("a directory and a missing file are unreadable inputs")
    func unreadable() throws {
        let directory = try TemporaryDirectory()
        let directoryError = try #require(throws: ImportError.self) { _ = try LineReader(path: directory.url.path, displayName: "logs") }
        #expect(directoryError == .unreadableInput(file: "logs", problem: "is a directory"))
        let missing = directory.path("missing.jsonl")
        let missingError = try #require(throws: ImportError.self) { _ = try LineReader(path: missing) }
        #expect(missingError == .unreadableInput(file: missing, problem: "no such file"))
        #expect(missingError.description == "\(missing): no such file")
    }

    @Test("utf8Text refuses NUL bytes and invalid UTF-8")
    func utf8Text() {
        #expect(ArraySlice(Array("héllo".utf8)).utf8Text == "héllo")
        #expect(ArraySlice<UInt8>([0x61, 0x00, 0x62]).utf8Text == nil)
        #expect(ArraySlice<UInt8>([0x61, 0xFF]).utf8Text == nil)
        #expect(ArraySlice<UInt8>([0xC3]).utf8Text == nil)
        #expect(ArraySlice<UInt8>([]).utf8Text == "")
    }

    @Test("ImportInput: size, lines, and the sorted *.jsonl files under a directory")
    func importInput() throws {
        let directory = try TemporaryDirectory()
        let path = try writeFile("a.jsonl", "x\ny\n", in: directory)
        let input = ImportInput(path: path)
        #expect(input.displayName == path && input.size == 4)
        var lines = try input.lines()
        #expect(try lines.next() != nil)
        #expect(ImportInput(path: directory.path("none")).size == 0)

        try FileManager.default.createDirectory(atPath: directory.path("sub/deeper"), withIntermediateDirectories: true)
        try writeFile("sub/deeper/c.jsonl", "", in: directory)
        try writeFile("sub/b.jsonl", "", in: directory)
        try writeFile("sub/notes.txt", "", in: directory)
        try writeFile("sub/b.jsonl.bak", "", in: directory)
        let found = try ImportInput.jsonlFiles(under: directory.url.path).map(\.displayName)
        #expect(found == [path, directory.path("sub/b.jsonl"), directory.path("sub/deeper/c.jsonl")])
        #expect(try ImportInput.jsonlFiles(under: directory.path("sub/deeper")).count == 1)
    }
}
