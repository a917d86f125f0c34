import Foundation
import Testing

@testable import SkillForge

/// Why `name` is refused as a skill id, or `nil` when it is accepted.
private func problem(skillId name: String) -> String? {
    SkillMetrics(skillId: name, executionMs: 1, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20).validationProblem
}

private let empty = "must not be empty"
private let tooLong = "must be at most 200 characters"
private let control = "must not contain control characters"

/// The rule, written out for short printable ASCII names: refused when only
/// spaces (or nothing), or longer than 200 characters.
private func referenceProblem(ascii name: String) -> String? {
    if name.allSatisfy({ $0 == " " }) { return empty }
    if name.count > 200 { return tooLong }
    return nil
}

@Suite("Name validation, fast path and slow path")
struct NameValidationTests {
    @Test("ASCII: empty and all-space names are refused; 200 characters pass, 201 do not")
    func asciiNames() {
        #expect(problem(skillId: "")?.hasSuffix(empty) == true)
        #expect(problem(skillId: " ")?.hasSuffix(empty) == true)
        #expect(problem(skillId: String(repeating: " ", count: 200))?.hasSuffix(empty) == true)
        #expect(problem(skillId: String(repeating: " ", count: 201))?.hasSuffix(empty) == true)
        #expect(problem(skillId: String(repeating: "a", count: 200)) == nil)
        #expect(problem(skillId: " " + String(repeating: "a", count: 198) + " ") == nil)
        #expect(problem(skillId: String(repeating: "a", count: 201)) == "invalid skill_id \"\(String(repeating: "a", count: 57))...\": \(tooLong)")
        #expect(problem(skillId: "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./ x") == nil)
    }

    @Test("ASCII control characters and whitespace other than spaces go the slow path and are refused")
    func asciiControls() {
        #expect(problem(skillId: "\t")?.hasSuffix(empty) == true)
        #expect(problem(skillId: " \t ")?.hasSuffix(empty) == true)
        #expect(problem(skillId: "a\tb")?.hasSuffix(control) == true)
        #expect(problem(skillId: "a\nb")?.hasSuffix(control) == true)
        #expect(problem(skillId: "a\u{7F}")?.hasSuffix(control) == true)
        #expect(problem(skillId: "\u{00}")?.hasSuffix(control) == true)
        #expect(problem(skillId: "a\r")?.hasSuffix(control) == true)
    }

    @Test("non-ASCII names: length in characters, control characters, Unicode spaces")
    func nonASCII() {
        #expect(problem(skillId: String(repeating: "é", count: 200)) == nil)  // 400 bytes, 200 characters
        #expect(problem(skillId: String(repeating: "é", count: 201))?.hasSuffix(tooLong) == true)
        #expect(problem(skillId: String(repeating: "a", count: 199) + "é") == nil)  // 201 bytes
        #expect(problem(skillId: String(repeating: "a", count: 200) + "é")?.hasSuffix(tooLong) == true)
        // A thumbs-up with a skin tone is one character of two scalars and eight bytes.
        #expect(problem(skillId: String(repeating: "👍🏽", count: 200)) == nil)
        #expect(problem(skillId: String(repeating: "👍🏽", count: 201))?.hasSuffix(tooLong) == true)
        #expect(problem(skillId: "\u{3000}")?.hasSuffix(empty) == true)  // an ideographic space
        #expect(problem(skillId: "\u{00A0} \u{2003}")?.hasSuffix(empty) == true)
        #expect(problem(skillId: "é\u{85}")?.hasSuffix(control) == true)  // NEL, a C1 control
        #expect(problem(skillId: "é\u{9F}")?.hasSuffix(control) == true)
        #expect(problem(skillId: "数据\u{1B}")?.hasSuffix(control) == true)
        #expect(problem(skillId: "résumé ✨") == nil)
    }

    @Test("the same rules hold for version, model, session_id, run_id and source")
    func otherNameFields() {
        let base = SkillMetrics(skillId: "s", executionMs: 1, tokensIn: 1, tokensOut: 1, success: true, timestamp: day20)
        let fields: [(WritableKeyPath<SkillMetrics, String?>, String)] = [
            (\.version, "version"), (\.model, "model"), (\.sessionId, "session_id"), (\.runId, "run_id"), (\.source, "source"),
        ]
        for (keyPath, field) in fields {
            for (value, expected) in [
                ("   ", empty), (String(repeating: "v", count: 201), tooLong), ("a\u{7F}", control), ("é\u{85}", control),
            ] {
                var metric = base
                metric[keyPath: keyPath] = value
                let problem = metric.validationProblem
                #expect(problem?.hasPrefix("invalid \(field) ") == true, "\(field) \(value.debugDescription)")
                #expect(problem?.hasSuffix(expected) == true, "\(field) \(value.debugDescription): \(problem ?? "")")
            }
            var metric = base
            metric[keyPath: keyPath] = String(repeating: "v", count: 200)
            #expect(metric.validationProblem == nil)
        }
    }

    @Test("on random printable ASCII names, the fast path agrees with the rule written out")
    func randomASCII() {
        var state: UInt64 = 0xA5C11
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<5_000 {
            let length = Int(next() % 212)
            // Mostly spaces, so that all-space names come up often.
            let name = String((0..<length).map { _ in
                next() % 3 == 0 ? Character(Unicode.Scalar(UInt8(0x21 + next() % 94))) : " "
            })
            let expected = referenceProblem(ascii: name)
            let actual = problem(skillId: name)
            #expect((actual == nil) == (expected == nil), "\(name.debugDescription)")
            if let expected { #expect(actual?.hasSuffix(expected) == true, "\(name.debugDescription)") }
        }
    }
}
