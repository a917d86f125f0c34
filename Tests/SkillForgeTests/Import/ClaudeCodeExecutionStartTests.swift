import Foundation
import Testing

@testable import SkillForge

/// Where a transcript's execution starts: at a prompt typed as `/name`, and, for a call
/// issued beside others in one API message, at the sibling result it waited for.
@Suite("Claude Code transcripts: where an execution starts")
struct ClaudeCodeExecutionStartTests {
    // MARK: - Skills typed as /name

    /// A prompt typed as `/name`, as Claude Code writes it, and the skill instructions it adds after it.
    private static func typedCommand(_ seconds: Int, _ name: String, uuid: String, instructions: Int?) -> [String] {
        var lines = [
            #"{"type":"user","isSidechain":false,"sessionId":"s","uuid":"\#(uuid)","message":{"role":"user","content":"<command-message>\#(name)</command-message>\n<command-name>/\#(name)</command-name>\n<command-args>invoice.pdf</command-args>"},"timestamp":"\#(T.time(seconds))"}"#
        ]
        if let instructions {
            lines.append(
                #"{"type":"user","isSidechain":false,"isMeta":true,"sessionId":"s","uuid":"\#(uuid)-meta","parentUuid":"\#(uuid)","message":{"role":"user","content":[{"type":"text","text":"Base directory for this skill: /home/u/.claude/skills/\#(name)\n\n# \#(name)"}]},"timestamp":"\#(T.time(instructions))"}"#
            )
        }
        return lines
    }

    @Test("a skill typed as /name is an execution from the prompt, with the lines attributed to it")
    func typedSkill() throws {
        let read = try Read(text: (Self.typedCommand(0, "pdf", uuid: "u-cmd", instructions: 1) + [
            T.assistant(3, id: "m1", skill: "pdf", [T.toolUse("b1", "Bash", #"{"command":"ls"}"#)], usage: (100, 20, 0, 0)),
            T.result(5, "b1", "invoice.pdf"),
            T.assistant(8, id: "m2", skill: "pdf", [T.text("Done.")], usage: (200, 40, 10, 0)),
            T.prompt(20, "thanks"),
        ]).joined(separator: "\n"))
        let row = try #require(read.metrics.first)
        #expect(read.metrics.count == 1)
        // From the prompt (0 s) to the last attributed line (8 s); m1 + m2 = 300 in, 60 out, 10 cache read.
        #expect(row.skillId == "pdf")
        #expect(row.runId == "u-cmd")
        #expect(row.timestamp == T.base)
        #expect(row.executionMs == 8_000)
        #expect([row.tokensIn, row.tokensOut, row.cacheReadTokens] == [300, 60, 10])
        #expect(row.success)
        #expect(row.metadata == #"{"messages":2,"tool_calls":1,"typed":true}"#)
    }

    @Test("a built-in command (/compact) is no skill; a typed skill without attributed lines has unknown tokens")
    func typedCommandsWithoutSkillWork() throws {
        let read = try Read(text: (Self.typedCommand(0, "compact", uuid: "u-compact", instructions: nil) + [
            T.assistant(2, id: "m1", [T.text("Compacted.")], usage: (5, 5, 0, 0)),
        ] + Self.typedCommand(10, "review", uuid: "u-review", instructions: 11) + [
            T.assistant(14, id: "m2", [T.text("Reviewing.")], usage: (50, 9, 0, 0)),
        ]).joined(separator: "\n"))
        #expect(read.metrics.map(\.runId) == ["u-review"])
        let row = try #require(read.metrics.first)
        // From the prompt (10 s) to its instructions (11 s): what a transcript without attributionSkill shows.
        #expect(row.executionMs == 1_000)
        #expect(row.tokensKnown == false)
    }

    // MARK: - Parallel tool calls

    @Test("a call issued beside others is timed from the sibling result it waited for, and says how long it queued")
    func parallelCalls() throws {
        // One API message (m1, written on three lines) issues a Task, a Skill and an MCP call at 0 s and 1 s;
        // the results arrive at 30 s (Task), 31 s (Skill) and 33 s (MCP).
        let read = try Read(text: [
            T.assistant(0, id: "m1", [T.toolUse("t1", "Task", #"{"prompt":"look"}"#)], usage: (1, 1, 0, 0)),
            T.assistant(1, id: "m1", [T.skillCall("s1", "pdf")], usage: (1, 1, 0, 0)),
            T.assistant(1, id: "m1", [T.toolUse("c1", "mcp__github__list_issues", "{}")], usage: (1, 1, 0, 0)),
            T.result(30, "t1", "found it"),
            T.result(31, "s1", "Launching skill: pdf"),
            T.result(33, "c1", "[]"),
            T.prompt(40, "thanks"),
        ].joined(separator: "\n"))
        let skill = try #require(read.metrics.first { $0.runId == "s1" })
        // Called at 1 s, waited for the Task until 30 s, launched by 31 s: 1,000 ms, 29,000 ms queued.
        #expect(skill.timestamp == T.base + 30_000)
        #expect(skill.executionMs == 1_000)
        #expect(skill.metadata == #"{"messages":0,"tool_calls":0,"queued_ms":29000}"#)
        let mcp = try #require(read.metrics.first { $0.runId == "c1" })
        // Called at 1 s; the latest sibling result before its own is the Skill's, at 31 s: 2,000 ms.
        #expect(mcp.timestamp == T.base + 31_000)
        #expect(mcp.executionMs == 2_000)
        #expect(mcp.metadata == #"{"queued_ms":30000}"#)
    }

    @Test("calls of separate messages, or alone in theirs, are timed from their call")
    func callsNotInParallel() throws {
        let read = try Read(text: [
            T.assistant(0, id: "m1", [T.toolUse("t1", "Task", #"{"prompt":"look"}"#)], usage: (1, 1, 0, 0)),
            T.result(30, "t1", "found it"),
            T.assistant(31, id: "m2", [T.toolUse("c1", "mcp__github__list_issues", "{}")], usage: (1, 1, 0, 0)),
            T.result(34, "c1", "[]"),
        ].joined(separator: "\n"))
        let mcp = try #require(read.metrics.first)
        #expect(mcp.timestamp == T.base + 31_000)
        #expect(mcp.executionMs == 3_000)
        #expect(mcp.metadata == nil)
    }
}
