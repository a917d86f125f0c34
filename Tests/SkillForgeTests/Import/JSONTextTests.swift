import Foundation
import Testing

@testable import SkillForge

// MARK: - A decoded JSON value, from either reader

/// A JSON value as both readers can give it, for comparing them.
private indirect enum Decoded: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Decoded])
    case object([String: Decoded])

    static func == (lhs: Decoded, rhs: Decoded) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)):
            // Foundation turns very long numbers into NSDecimalNumber, whose double may differ in the last bit.
            a == b || abs(a - b) <= abs(a) * 1e-14
        case (.string(let a), .string(let b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): value.debugDescription
        case .array(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription):\($0.value)" }.joined(separator: ",") + "}"
        }
    }

    /// Whether some number in the value is infinite (a literal too large for a Double).
    var hasInfiniteNumber: Bool {
        switch self {
        case .number(let value): !value.isFinite
        case .array(let items): items.contains(where: \.hasInfiniteNumber)
        case .object(let members): members.values.contains(where: \.hasInfiniteNumber)
        default: false
        }
    }

    /// Whether some string (or member name) in the value holds U+FFFD.
    var hasReplacementCharacter: Bool {
        switch self {
        case .string(let value): value.unicodeScalars.contains("\u{FFFD}")
        case .array(let items): items.contains(where: \.hasReplacementCharacter)
        case .object(let members):
            members.keys.contains { $0.unicodeScalars.contains("\u{FFFD}") }
                || members.values.contains(where: \.hasReplacementCharacter)
        default: false
        }
    }
}

/// Reads `bytes` with `JSONText` the way the importers do, decoding every string (member names too).
private func decodeWithJSONText(_ bytes: [UInt8]) throws -> Decoded {
    let text = JSONText(bytes)
    func decode(_ value: JSONText.Value) throws -> Decoded {
        switch value.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(try #require(text.double(value)))
        case .string: return .string(try text.string(value))
        case .array:
            var items: [Decoded] = []
            try text.elements(of: value) { items.append(try decode($0)) }
            return .array(items)
        case .object:
            var members: [String: Decoded] = [:]
            try text.members(of: value) { key, member in members[try text.string(key)] = try decode(member) }
            return .object(members)
        }
    }
    return try decode(try text.root())
}

/// Reads `bytes` with Foundation, the reference.
private func decodeWithFoundation(_ bytes: [UInt8]) -> Decoded? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else {
        return nil
    }
    func convert(_ any: Any) -> Decoded {
        switch any {
        case is NSNull: return .null
        case let string as String: return .string(string)
        case let number as NSNumber:
            // Booleans are NSNumbers of ObjC type "c" (__NSCFBoolean).
            return String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let array as [Any]: return .array(array.map(convert))
        case let dictionary as [String: Any]: return .object(dictionary.mapValues(convert))
        default: return .string("<unexpected \(type(of: any))>")
        }
    }
    return convert(object)
}

/// The text with every comma that directly precedes a `]` or `}` (outside strings) removed,
/// or `nil` when it has none. Foundation on Linux accepts such trailing commas; RFC 8259 does not.
private func removingTrailingCommas(_ bytes: [UInt8]) -> [UInt8]? {
    var result: [UInt8] = []
    var inString = false
    var escaped = false
    var found = false
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
        } else if byte == UInt8(ascii: "\"") {
            inString = true
        } else if byte == UInt8(ascii: ",") {
            var next = index + 1
            while next < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[next]) { next += 1 }
            if next < bytes.count, bytes[next] == UInt8(ascii: "]") || bytes[next] == UInt8(ascii: "}") {
                found = true
                index += 1
                continue
            }
        }
        result.append(byte)
        index += 1
    }
    return found ? result : nil
}

/// Whether the text holds a `\u` escape of a UTF-16 surrogate (`\uD800`…`\uDFFF`).
private func hasSurrogateEscape(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 4 else { return false }
    return (0..<(bytes.count - 3)).contains { index in
        bytes[index] == UInt8(ascii: "\\") && bytes[index + 1] == UInt8(ascii: "u")
            && (bytes[index + 2] | 0x20) == UInt8(ascii: "d") && "89abcdefABCDEF".utf8.contains(bytes[index + 3])
    }
}

// MARK: - A deterministic generator of JSON texts

/// SplitMix64: small, fast and the same on every platform.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private struct JSONGenerator {
    var random: SplitMix64

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    mutating func whitespace() -> String {
        pick(["", "", "", " ", "\t", "\n", "\r\n", "  \n\t ", "\r"])
    }

    /// A valid JSON string literal: plain text, every escape, `\u` escapes of BMP
    /// characters (either case), raw multi-byte UTF-8 and escaped surrogate pairs.
    mutating func string() -> String {
        var text = "\""
        for _ in 0..<int(0...8) {
            switch int(0...9) {
            case 0, 1: text += pick(["a", "Z", "skill_id", " ", "0", "é", ",", ":", "[", "]", "{", "}", "'"])
            case 2: text += pick([#"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#])
            case 3:
                // A BMP scalar that is no surrogate.
                var scalar = int(0...0xFFFF)
                if (0xD800...0xDFFF).contains(scalar) { scalar -= 0x1000 }
                let hex = String(scalar, radix: 16)
                let padded = String(repeating: "0", count: 4 - hex.count) + hex
                text += "\\u" + (int(0...1) == 0 ? padded : padded.uppercased())
            case 4: text += pick(["✨", "中文", "😀", "𝄞", "\u{7F}", "\u{2028}", "ß"])
            case 5: text += pick([#"\ud83d\ude00"#, #"\uD834\uDD1E"#, #"\uDBFF\uDFFF"#, #"\uD800\uDC00"#])
            default: text += String(repeating: "x", count: int(1...5))
            }
        }
        return text + "\""
    }

    mutating func number() -> String {
        var text = int(0...3) == 0 ? "-" : ""
        switch int(0...3) {
        case 0: text += "0"
        case 1: text += String(int(1...9))
        default:
            text += String(int(1...9))
            for _ in 0..<int(0...19) { text += String(int(0...9)) }
        }
        if int(0...2) == 0 {
            text += "."
            for _ in 0..<int(1...6) { text += String(int(0...9)) }
        }
        if int(0...3) == 0 {
            text += pick(["e", "E"]) + pick(["", "+", "-"]) + String(int(0...250))
        }
        return text
    }

    mutating func value(depth: Int = 0) -> String {
        let choice = depth >= 5 ? int(0...4) : int(0...7)
        switch choice {
        case 0: return "null"
        case 1: return pick(["true", "false"])
        case 2, 3: return number()
        case 4: return string()
        case 5:
            let items = (0..<int(0...4)).map { _ in whitespace() + value(depth: depth + 1) + whitespace() }
            return "[" + items.joined(separator: ",") + whitespace() + "]"
        default:
            var members: [String] = []
            var keys: Set<String> = []
            for index in 0..<int(0...4) {
                // Unique names: duplicates are legal, but readers may keep either one.
                var key = string()
                if keys.contains(key) { key = "\"k\(index)-\(keys.count)\"" }
                keys.insert(key)
                members.append(whitespace() + key + whitespace() + ":" + whitespace() + value(depth: depth + 1) + whitespace())
            }
            return "{" + members.joined(separator: ",") + whitespace() + "}"
        }
    }

    /// Breaks a text (most of the time): deletes, inserts, replaces, cuts or repeats bytes.
    mutating func mutate(_ text: [UInt8]) -> [UInt8] {
        var bytes = text
        let position = bytes.isEmpty ? 0 : int(0...bytes.count)
        switch int(0...6) {
        case 0:
            if position < bytes.count { bytes.remove(at: position) }
        case 1, 2:
            // No NUL: Foundation would take the text for UTF-16.
            let insert = pick([
                ",", "]", "}", "[", "{", "\"", "\\", ":", "\u{01}", "\u{1F}", "\u{0C}", "\u{0B}", "0", "-", ".", "e",
                "x", " ", "tru", "nul", "\\u12", "\\x", "\u{A0}", "01", ",]", ",}",
            ])
            bytes.insert(contentsOf: Array(insert.utf8), at: position)
        case 3:
            bytes = Array(bytes.prefix(position))
        case 4:
            if position < bytes.count { bytes[position] = pick(Array("\"\\,:[]{}0a \u{7}".utf8)) }
        case 5:
            bytes += Array(pick([" x", "1", "]", "}", ",", " {}", "\"", "\n[1]"]).utf8)
        default:
            let start = position == 0 ? 0 : int(0...(position - 1))
            bytes.insert(contentsOf: bytes[start..<position], at: position)
        }
        return bytes
    }
}

// MARK: - Tests

@Suite("JSONText")
struct JSONTextTests {
    /// How one text compares: both accept with equal values, both refuse, or a known Foundation difference.
    private enum Outcome: Equatable {
        case bothAccept, bothRefuse, foundationAcceptsTrailingComma, foundationRefusesLoneSurrogate, foundationRefusesHugeNumber
    }

    /// Compares the readers on one text; records an issue (naming the text) when they disagree.
    private func compare(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Outcome? {
        let shown = String(decoding: bytes, as: UTF8.self).debugDescription
        let ours: Decoded?
        do {
            ours = try decodeWithJSONText(bytes)
        } catch is JSONText.SyntaxError {
            ours = nil
        } catch {
            Issue.record("\(shown): JSONText threw \(error), not a SyntaxError", sourceLocation: sourceLocation)
            return nil
        }
        let reference = decodeWithFoundation(bytes)
        switch (ours, reference) {
        case (let ours?, let reference?):
            if ours != reference {
                Issue.record("\(shown): JSONText read \(ours), Foundation \(reference)", sourceLocation: sourceLocation)
            }
            return .bothAccept
        case (nil, nil):
            return .bothRefuse
        case (nil, let reference?):
            // Foundation (swift-foundation on Linux) accepts `[1,]`; without those commas both must agree.
            guard let fixed = removingTrailingCommas(bytes) else {
                Issue.record("\(shown): JSONText refuses what Foundation reads as \(reference)", sourceLocation: sourceLocation)
                return nil
            }
            let again = try? decodeWithJSONText(fixed)
            if again != reference {
                Issue.record(
                    "\(shown) without trailing commas: JSONText read \(String(describing: again)), Foundation \(reference)",
                    sourceLocation: sourceLocation)
            }
            return .foundationAcceptsTrailingComma
        case (let ours?, nil):
            // Lone surrogates become U+FFFD (Foundation refuses them), and literals beyond
            // Double's range read as infinity (Foundation refuses them): both by design.
            if hasSurrogateEscape(bytes) && ours.hasReplacementCharacter { return .foundationRefusesLoneSurrogate }
            if ours.hasInfiniteNumber { return .foundationRefusesHugeNumber }
            Issue.record("\(shown): JSONText accepts what Foundation refuses, as \(ours)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static let validTexts: [String] = [
        "null", "true", "false", "0", "-0", "1", "-1", "1e5", "1E5", "1.5E-3", "1e+2", "-0.0", "0.5", "123.456e-7",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "12345678901234567890123",
        #""""#, #""abc""#, #""\"\\\/\b\f\n\r\t""#, #""\u0041\u00e9\u4e2d\uFFFF\u0000""#, #""\ud83d\ude00""#,
        #""\uD834\uDD1E x""#, "\"é✨😀\"", "[]", "{}", "[[]]", "[{}]", "{\"a\":[]}", "[1,2,3]",
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, " \t\r\n[ 1 , 2 ]\n\r\t ", "{ \"a\" : 1 , \"b\" : 2 }",
        "[\n  {\n    \"k\": \"v\"\n  }\n]", #"{"":""}"#, #"{"a":{"a":{"a":{}}}}"#, "[-0,0e0,0.0e-0,1E+0]",
        #"["\u005c", "\u0022"]"#,
    ]

    @Test("valid texts: every escape, numbers, nesting and whitespace read as Foundation reads them", arguments: validTexts)
    func validTextsMatchFoundation(_ text: String) {
        #expect(compare(Array(text.utf8)) == .bothAccept)
    }

    static let invalidTexts: [String] = [
        "", " ", "01", "-01", "00", "[01]", "1.", ".5", "-", "+1", "1e", "1e+", "1.e5", "0x10", "NaN", "Infinity",
        "tru", "nul", "nulll", "True", #""abc"#, #""abc\"#, #"["a"#, "[1,2", "{\"a\":1", "{\"a\"", "{\"a\":}",
        "{\"a\" 1}", "{a:1}", "{'a':1}", "[1 2]", "{\"a\":1 \"b\":2}", "[1]]", "[1}", "{\"a\":1]", "[}", "{]",
        "{\"a\":1} x", "1 2", "[] []", "\"\u{01}\"", "\"a\nb\"", "\"tab\there\"", #""\x""#, #""\u12""#,
        #""\u12G4""#, #""\U0041""#, "[,1]", "[1,,2]", "{,}", "\u{0C}[1]", "[1]\u{0B}", "\u{A0}1", "[\"\u{1F}\"]",
        "/* c */ 1", "[1] // c", "{\"a\":1,:2}", "[\"a\":1]",
    ]

    @Test("invalid texts are refused by both", arguments: invalidTexts)
    func invalidTextsRefused(_ text: String) {
        #expect(compare(Array(text.utf8)) == .bothRefuse)
    }

    @Test("trailing commas are refused (RFC 8259), though Foundation on Linux reads them")
    func trailingCommas() throws {
        for text in ["[1,]", "{\"a\":1,}", "[[1,2,],3]", "{\"a\":[1,], \"b\":2}", "[1 ,\n ]"] {
            let bytes = Array(text.utf8)
            #expect(throws: JSONText.SyntaxError.self, "\(text)") { try JSONText(bytes).root() }
            let outcome = compare(bytes)
            #expect(outcome == .foundationAcceptsTrailingComma || outcome == .bothRefuse, "\(text)")
        }
    }

    @Test("invalid UTF-8 inside a string is refused when the string is read")
    func invalidUTF8() throws {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x5C, 0x6E, 0xC3, 0x22]] {
            #expect(compare(bytes) == .bothRefuse)
            let text = JSONText(bytes)
            let root = try text.root()
            #expect(throws: JSONText.SyntaxError.self) { try text.string(root) }
        }
    }

    @Test("lone surrogates read as U+FFFD (Foundation refuses them); pairs read as one scalar")
    func surrogates() throws {
        let cases: [(String, [Unicode.Scalar])] = [
            (#""\ud800""#, ["\u{FFFD}"]),
            (#""\udc00""#, ["\u{FFFD}"]),
            (#""\ud83dx""#, ["\u{FFFD}", "x"]),
            (#""\ud800\ud800""#, ["\u{FFFD}", "\u{FFFD}"]),
            (#""\ud800\u0041""#, ["\u{FFFD}", "A"]),
            (#""\ude00\ud83d""#, ["\u{FFFD}", "\u{FFFD}"]),
            (#""a\ud83d\ude00b""#, ["a", "\u{1F600}", "b"]),
            (#""\uDBFF\uDFFF""#, ["\u{10FFFF}"]),
            (#""\ud83d\ude00\ud83d""#, ["\u{1F600}", "\u{FFFD}"]),
        ]
        for (text, scalars) in cases {
            let json = JSONText(Array(text.utf8))
            let decoded = try json.string(try json.root())
            #expect(Array(decoded.unicodeScalars) == scalars, "\(text)")
        }
        #expect(compare(Array(#""\ud800""#.utf8)) == .foundationRefusesLoneSurrogate)
        #expect(compare(Array(#""\ud83d\ude00""#.utf8)) == .bothAccept)
    }

    @Test("a deterministic random corpus of valid and broken texts reads as Foundation reads it")
    func randomCorpus() {
        var generator = JSONGenerator(random: SplitMix64(state: 0x5EED_F0F6_E2026))
        var outcomes: [Outcome: Int] = [:]
        for index in 0..<4_000 {
            let valid = Array(generator.value().utf8)
            let bytes = index % 2 == 0 ? valid : generator.mutate(valid)
            if index % 2 == 0 {
                // Every generated text is valid JSON.
                #expect(compare(bytes) == .bothAccept)
                outcomes[.bothAccept, default: 0] += 1
            } else if let outcome = compare(bytes) {
                outcomes[outcome, default: 0] += 1
            }
        }
        // The corpus exercises both sides: many mutations break the text, some leave it valid.
        #expect(outcomes[.bothAccept, default: 0] > 2_100)
        #expect(outcomes[.bothRefuse, default: 0] > 800)
    }

    @Test("512 levels of nesting are read; 513 are refused with a SyntaxError, however deep the text goes")
    func depth() throws {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let ok = String(repeating: open, count: 512) + "1" + String(repeating: close, count: 512)
            #expect(compare(Array(ok.utf8)) == .bothAccept)
            let text = JSONText(Array(ok.utf8))
            #expect(try text.root().kind == (open == "[" ? .array : .object))

            let tooDeep = String(repeating: open, count: 513) + "1" + String(repeating: close, count: 513)
            let error = try #require(throws: JSONText.SyntaxError.self) { try JSONText(Array(tooDeep.utf8)).root() }
            // The 513th opening bracket is where it goes wrong.
            #expect(error.offset == 512 * open.utf8.count)
            #expect(error.problem.contains("512"))
            #expect(compare(Array(tooDeep.utf8)) == .bothRefuse)
        }
        // Far deeper than any stack would allow for a recursive reader: still an error, no crash.
        let abyss = Array(repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(throws: JSONText.SyntaxError.self) { try JSONText(abyss).root() }
        // Nested inside an object member, as in a metric's metadata: 1 + 511 levels pass, 1 + 512 do not.
        let member = #"{"metadata":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}"
        #expect(throws: Never.self) { try JSONText(Array(member.utf8)).root() }
        let deeper = #"{"metadata":"# + String(repeating: "[", count: 512) + String(repeating: "]", count: 512) + "}"
        #expect(throws: JSONText.SyntaxError.self) { try JSONText(Array(deeper.utf8)).root() }
    }

    /// (Decoding escaped text used to take time quadratic in its length: minutes for this one.)
    @Test("a 10 MB string value reads whole, with and without escapes", .timeLimit(.minutes(5)))
    func hugeString() async throws {
        let length = 10_000_000
        let (plainValue, plainText, escapedValue, escapedText) = try await offThePool {
            () throws -> (JSONText.Value, String, JSONText.Value?, String?) in
            var plain = [UInt8(ascii: "\"")]
            plain += [UInt8](repeating: UInt8(ascii: "a"), count: length)
            plain.append(UInt8(ascii: "\""))
            let text = JSONText(plain)
            let value = try text.root()

            // An object member of 10 MB too, with an escape every 100 bytes.
            var escaped = Array(#"{"error":""#.utf8)
            for _ in 0..<100_000 {
                escaped += [UInt8](repeating: UInt8(ascii: "b"), count: 98)
                escaped += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            }
            escaped += Array(#""}"#.utf8)
            let object = JSONText(escaped)
            let error = try object.member("error", of: try object.root())
            return (value, try text.string(value), error, try error.map(object.string))
        }
        #expect(plainValue.kind == .string && !plainValue.hasEscapes)
        #expect(plainText == String(repeating: "a", count: length))
        #expect(escapedValue?.hasEscapes == true)
        #expect(escapedText == String(repeating: String(repeating: "b", count: 98) + "\n", count: 100_000))
    }

    /// Each broken text, the 0-based offset of its problem (found by hand), and words of the problem.
    static let offsetCases: [(String, Int, String)] = [
        ("", 0, "ends where a value should be"),
        ("   ", 3, "ends where a value should be"),
        (#"{"a":1,}"#, 7, "member name"),
        ("[1,2", 4, "ends inside"),
        (#"  "abc"#, 2, "not closed"),
        (#"{"a" 1}"#, 5, "':'"),
        ("01", 0, "start with 0"),
        ("[1 2]", 3, "closing bracket"),
        ("tru", 0, "unexpected character"),
        (#"{"a":1} x"#, 8, "after the value"),
        (#""a\qb""#, 2, "unknown escape"),
        (#""a\u12G4""#, 2, "four hex digits"),
        ("[\"a\u{01}\"]", 3, "control character"),
        ("[1,]", 3, "unexpected character"),
        (#"{"a":}"#, 5, "unexpected character"),
        ("[-]", 2, "needs digits"),
        ("[1.]", 3, "after '.'"),
        ("[1e+]", 4, "exponent"),
        ("{1:2}", 1, "member name"),
        ("[1}", 2, "closing bracket"),
        (#"{"k":[1,{"x":nul}]}"#, 13, "unexpected character"),
    ]

    @Test("error offsets point at the problem", arguments: offsetCases)
    func errorOffsets(_ testCase: (String, Int, String)) throws {
        let (text, offset, words) = testCase
        let error = try #require(throws: JSONText.SyntaxError.self) { try decodeWithJSONText(Array(text.utf8)) }
        #expect(error.offset == offset, "\(text.debugDescription): \(error)")
        #expect(error.problem.contains(words), "\(text.debugDescription): \(error)")
        #expect(error.description == "not valid JSON at column \(offset + 1): \(error.problem)")
    }

    @Test("int64: whole numbers that fit; nil for fractions, overflow and non-numbers")
    func integers() throws {
        let cases: [(String, Int64?)] = [
            ("0", 0), ("-0", 0), ("7", 7), ("-42", -42), ("9223372036854775807", .max), ("-9223372036854775808", .min),
            ("9223372036854775808", nil), ("-9223372036854775809", nil), ("12345678901234567890", nil),
            ("99999999999999999999999999", nil), ("1e5", 100_000), ("1E2", 100), ("2.0", 2), ("-3.0e1", -30),
            ("1.5E-3", nil), ("0.5", nil), ("1e400", nil), ("1e19", nil),
        ]
        for (literal, expected) in cases {
            let text = JSONText(Array(literal.utf8))
            let value = try text.root()
            #expect(value.kind == .number)
            #expect(text.int64(value) == expected, "\(literal)")
        }
        // Not numbers at all.
        for literal in [#""12""#, "true", "null", "[1]"] {
            let text = JSONText(Array(literal.utf8))
            #expect(text.int64(try text.root()) == nil, "\(literal)")
            #expect(text.double(try text.root()) == nil, "\(literal)")
        }
        // double: -0 keeps its sign; big integers are approximate.
        let negativeZero = JSONText(Array("-0".utf8))
        let zero = try #require(negativeZero.double(try negativeZero.root()))
        #expect(zero == 0 && zero.sign == .minus)
        let big = JSONText(Array("12345678901234567890".utf8))
        #expect(big.double(try big.root()) == 12_345_678_901_234_567_890.0)
    }

    @Test("members, elements, member(_:of:), equals with escaped names, rawText and describe")
    func walking() throws {
        let text = JSONText(Array(#" {"skill\u005fid" : "a\"b", "n": [1, "two", {"x": null}], "o": {"k": true}, "long": "\#(String(repeating: "z", count: 50))"} "#.utf8))
        let root = try text.root()
        #expect(root.kind == .object)
        var names: [String] = []
        try text.members(of: root) { key, _ in names.append(try text.string(key)) }
        #expect(names == ["skill_id", "n", "o", "long"])

        let skill = try #require(try text.member("skill_id", of: root))
        #expect(try text.string(skill) == "a\"b")
        #expect(text.rawText(skill) == #""a\"b""#)
        #expect(try text.member("missing", of: root) == nil)

        let array = try #require(try text.member("n", of: root))
        var kinds: [JSONText.Kind] = []
        try text.elements(of: array) { kinds.append($0.kind) }
        #expect(kinds == [.number, .string, .object])
        #expect(text.rawText(array) == #"[1, "two", {"x": null}]"#)
        #expect(text.rawText(try #require(try text.member("o", of: root))) == #"{"k": true}"#)

        let long = try #require(try text.member("long", of: root))
        #expect(text.describe(long) == "\"" + String(repeating: "z", count: 36) + "...")
        #expect(text.describe(skill) == #""a\"b""#)

        // Walking a value that is not a container calls nothing.
        var called = false
        try text.members(of: skill) { _, _ in called = true }
        try text.elements(of: skill) { _ in called = true }
        #expect(!called)
    }
}
