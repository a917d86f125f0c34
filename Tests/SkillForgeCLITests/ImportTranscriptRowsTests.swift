import Foundation
import Testing

/// A hand-written Claude Code session: a prompt, a `Skill` call for `pdf` (line 2), its
/// result, a line attributed to the skill whose usage claims `inputTokens`, and a new prompt.
private func session(inputTokens: String) -> String {
    let common = #""isSidechain":false,"userType":"external","sessionId":"5e551011-0000-4000-8000-000000000001","version":"2.0.58""#
    return [
        #"{\#(common),"type":"user","message":{"role":"user","content":"Summarise invoices.pdf"},"uuid":"u1","timestamp":"2026-03-02T10:00:00.000Z"}"#,
        #"{\#(common),"message":{"model":"claude-sonnet-4-5","id":"msg_1","type":"message","role":"assistant","content":[{"type":"tool_use","id":"toolu_pdf","name":"Skill","input":{"skill":"pdf"}}],"usage":{"input_tokens":20,"output_tokens":40}},"requestId":"req_1","type":"assistant","uuid":"u2","timestamp":"2026-03-02T10:00:02.000Z"}"#,
        #"{\#(common),"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_pdf","type":"tool_result","content":"Launching skill: pdf"}]},"uuid":"u3","timestamp":"2026-03-02T10:00:02.100Z"}"#,
        #"{\#(common),"attributionSkill":"pdf","message":{"model":"claude-sonnet-4-5","id":"msg_2","type":"message","role":"assistant","content":[{"type":"text","text":"Three invoices."}],"usage":{"input_tokens":\#(inputTokens),"output_tokens":250}},"requestId":"req_2","type":"assistant","uuid":"u4","timestamp":"2026-03-02T10:00:05.000Z"}"#,
        #"{\#(common),"type":"user","message":{"role":"user","content":"Thanks"},"uuid":"u5","timestamp":"2026-03-02T10:01:00.000Z"}"#,
    ].joined(separator: "\n") + "\n"
}

/// The claude-code fixture project (7 executions in 4 files, 1 line skipped, 9 passed over).
private let fixtureProject = packageRoot
    .appendingPathComponent("Tests/SkillForgeTests/Fixtures/claude-code/-Users-dana-code-invoice-tool").path

@Suite("import --from claude-code: rows that break a rule")
struct ImportTranscriptRowsTests {
    @Test("an execution whose tokens overflow is skipped and reported at its file:line; the rest of the directory imports")
    func overflowingTokensAreSkipped() async throws {
        let directory = try TemporaryDirectory()
        let projects = directory.path("projects")
        try FileManager.default.copyItem(atPath: fixtureProject, toPath: projects)
        let bad = projects + "/5e551011-0000-4000-8000-000000000001.jsonl"
        try write(session(inputTokens: "9223372036854775807"), to: bad)
        let db = directory.path("data.db")
        let result = try await skillForge("import", "--db", db, "--from", "claude-code", projects)
        #expect(result.status == 0, "\(result.stderr)")
        expectSummary(result.stdout, imported: "7", of: "9", details: "0 already stored, 2 rejected, 9 passed over", files: "5 files")
        // Named by the field that is absurd and its value (the rest of the reason is validation's); the
        // fixture's own broken line 33 is the other.
        let lines = result.stderr.split(separator: "\n").filter { !$0.contains(":33: line skipped") }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("\(bad):2: row skipped: invalid tokens_in 9223372036854775807: ") == true, "\(result.stderr)")
        #expect(try await exportedRows(db).count == 7)
        #expect(try await exportedRows(db).allSatisfy { !$0.contains("toolu_pdf") })
    }

    @Test("the same session with a plausible count imports the execution with its tokens")
    func plausibleTokensAreImported() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("session.jsonl")
        try write(session(inputTokens: "1200"), to: file)
        let db = directory.path("data.db")
        let result = try await skillForge("import", "--db", db, "--from", "claude-code", file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        expectSummary(result.stdout, imported: "1", of: "1", details: "0 already stored", files: "1 file")
        // Only the attributed message counts: 1200 in, 250 out; from the call (10:00:02) to the last owned line (10:00:05).
        let row = try #require(try await exportedRows(db).first)
        #expect(row.contains(#""skillId":"pdf","executionMs":3000,"tokensIn":1200,"tokensOut":250,"#), "\(row)")
    }
}
