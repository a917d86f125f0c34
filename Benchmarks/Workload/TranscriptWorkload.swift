import Foundation

/// Synthetic Claude Code session transcripts for import benchmarks: deterministic,
/// shaped like real ones (see the fixtures in `Tests/SkillForgeTests/Fixtures/claude-code`).
///
/// Each session holds `executionsPerSession` skill executions. An execution is a user
/// prompt, the `Skill` call and its result, the skill's instructions (an `isMeta` line of
/// about 2 KB), two to six attributed assistant turns each calling `Bash` or `Read`
/// whose results carry 0.5–12 KB of file text with escapes and non-ASCII characters
/// (one message in five is written on two lines, as Claude Code does), and a closing
/// text. Every third execution is followed by an MCP tool call. A few percent of tool
/// results are errors, and `summary`/`system` lines are sprinkled in. The average line
/// is about 2.5 KB, the size of lines in real transcripts dominated by tool output.
public struct TranscriptWorkload: Sendable {
    /// Sessions (files) to generate.
    public var sessions: Int
    /// Skill executions in each session.
    public var executionsPerSession: Int

    public init(sessions: Int, executionsPerSession: Int = 40) {
        self.sessions = sessions
        self.executionsPerSession = executionsPerSession
    }

    /// The rows an import derives from all the sessions: one per execution, one per MCP call.
    public var expectedRows: Int {
        sessions * (executionsPerSession + (executionsPerSession + 2) / 3)
    }

    /// The file name of session `index`.
    public func fileName(ofSession index: Int) -> String {
        "\(sessionId(index)).jsonl"
    }

    /// Writes session `index`, a line at a time (each with its newline), to `write`.
    public func writeSession(_ index: Int, to write: @escaping (String) throws -> Void) throws {
        var session = SessionWriter(id: sessionId(index), seed: UInt64(index) &+ 0x7A5C_0DE5, write: write)
        try session.line(#"{"type":"summary","summary":"Benchmark session \#(index)","leafUuid":"\#(session.uuid())"}"#)
        for execution in 0..<executionsPerSession {
            try session.skillExecution(execution)
            if execution % 3 == 0 { try session.mcpCall(execution) }
        }
    }

    private func sessionId(_ index: Int) -> String {
        String(format: "5e55%04lx-0000-4000-8000-%012lx", index & 0xFFFF, index)
    }
}

// MARK: - Session

/// Writes one session's lines, keeping its clock, line chain and random stream.
private struct SessionWriter {
    let id: String
    var random: SplitMix64
    let write: (String) throws -> Void
    var clock: Int64 = 1_772_000_000_000
    var parent = "null"
    var serial = 0

    static let skills = ["xlsx", "pdf", "docx", "pptx", "webapp-testing", "mcp-builder", "canvas-design",
                         "brand-guidelines", "internal-comms", "skill-creator", "theme-factory", "slack-gif"]

    init(id: String, seed: UInt64, write: @escaping (String) throws -> Void) {
        self.id = id
        self.random = SplitMix64(seed: seed)
        self.write = write
    }

    mutating func uuid() -> String {
        serial += 1
        return String(format: "%08lx-%04llx-4%03llx-8%03llx-%012llx", serial, random.next() & 0xFFFF,
                      random.next() & 0xFFF, random.next() & 0xFFF, random.next() & 0xFFFF_FFFF_FFFF)
    }

    mutating func line(_ text: String) throws {
        try write(text + "\n")
    }

    /// The fields every message line starts with; advances the clock by `milliseconds`.
    mutating func envelope(after milliseconds: Int64) -> (head: String, tail: String) {
        clock += milliseconds
        let uuid = uuid()
        let head = #"{"parentUuid":\#(parent),"isSidechain":false,"userType":"external","cwd":"/home/dev/app","#
            + #""sessionId":"\#(id)","version":"2.0.58","gitBranch":"main","#
        let tail = #""uuid":"\#(uuid)","timestamp":"\#(Self.iso(clock))"}"#
        parent = "\"\(uuid)\""
        return (head, tail)
    }

    mutating func user(_ content: String, after milliseconds: Int64, extra: String = "") throws {
        let (head, tail) = envelope(after: milliseconds)
        try line(head + #""type":"user","message":{"role":"user","content":\#(content)},"# + extra + tail)
    }

    mutating func assistant(
        message: String, content: String, attribution: String?, after milliseconds: Int64
    ) throws {
        let (head, tail) = envelope(after: milliseconds)
        let usage = #"{"input_tokens":\#(random.next() % 2_000),"cache_creation_input_tokens":\#(random.next() % 4_000),"#
            + #""cache_read_input_tokens":\#(random.next() % 60_000),"output_tokens":\#(random.next() % 1_500),"#
            + #""service_tier":"standard"}"#
        let attributed = attribution.map { #""attributionSkill":"\#($0)","# } ?? ""
        try line(
            head + #""message":{"model":"claude-sonnet-4-5-20250929","id":"msg_\#(message)","type":"message","#
                + #""role":"assistant","content":[\#(content)],"stop_reason":null,"usage":\#(usage)},"#
                + #""requestId":"req_\#(message)","type":"assistant","# + attributed + tail)
    }

    mutating func skillExecution(_ execution: Int) throws {
        let skill = Self.skills[Int(random.next() % UInt64(Self.skills.count))]
        let call = "toolu_\(id.prefix(8))_\(execution)_skill"
        try user(#""Please run \#(skill) on report-\#(execution).txt""#, after: 20_000)
        try assistant(
            message: "\(execution)_call", content: #"{"type":"tool_use","id":"\#(call)","name":"Skill","input":{"skill":"\#(skill)"}}"#,
            attribution: nil, after: 1_500)
        try user(#"[{"tool_use_id":"\#(call)","type":"tool_result","content":"Launching skill: \#(skill)"}]"#, after: 100)
        try user(
            #"[{"type":"text","text":"Base directory for this skill: /home/dev/.claude/skills/\#(skill)\n\n\#(Self.text(2_000, &random))"}]"#,
            after: 5, extra: #""isMeta":true,"#)
        let turns = 2 + Int(random.next() % 5)
        for turn in 0..<turns {
            let message = "\(execution)_\(turn)"
            let tool = "toolu_\(id.prefix(8))_\(execution)_\(turn)"
            let bash = random.next() % 2 == 0
            let input = bash
                ? #"{"command":"python3 scripts/\#(skill).py --step \#(turn)","description":"Run step \#(turn)"}"#
                : #"{"file_path":"/home/dev/app/src/module\#(turn).swift"}"#
            if random.next() % 5 == 0 {
                try assistant(message: message, content: #"{"type":"text","text":"\#(Self.text(300, &random))"}"#,
                              attribution: skill, after: 2_000)
            }
            try assistant(
                message: message,
                content: #"{"type":"tool_use","id":"\#(tool)","name":"\#(bash ? "Bash" : "Read")","input":\#(input)}"#,
                attribution: skill, after: 1_000 + Int64(random.next() % 8_000))
            let failed = random.next() % 100 < 4
            let size = 500 + Int(random.next() % 11_500)
            try user(
                #"[{"tool_use_id":"\#(tool)","type":"tool_result","content":"\#(Self.text(size, &random))""#
                    + (failed ? #","is_error":true}]"# : "}]"),
                after: 200 + Int64(random.next() % 3_000))
        }
        try assistant(message: "\(execution)_done", content: #"{"type":"text","text":"Done: \#(skill) finished."}"#,
                      attribution: skill, after: 1_200)
        if execution % 7 == 0 {
            try line(#"{"type":"system","subtype":"compact_boundary","content":"Conversation compacted","timestamp":"\#(Self.iso(clock))"}"#)
        }
    }

    mutating func mcpCall(_ execution: Int) throws {
        let call = "toolu_\(id.prefix(8))_\(execution)_mcp"
        try assistant(
            message: "\(execution)_mcp",
            content: #"{"type":"tool_use","id":"\#(call)","name":"mcp__github__create_issue","input":{"title":"Report \#(execution)","body":"\#(Self.text(400, &random))"}}"#,
            attribution: nil, after: 900)
        try user(#"[{"tool_use_id":"\#(call)","type":"tool_result","content":[{"type":"text","text":"\#(Self.text(600, &random))"}]}]"#,
                 after: 300 + Int64(random.next() % 2_000))
    }

    // MARK: - Text

    /// Source-like text of about `bytes` bytes, already escaped for a JSON string.
    static func text(_ bytes: Int, _ random: inout SplitMix64) -> String {
        var text = ""
        text.reserveCapacity(bytes + 80)
        while text.utf8.count < bytes {
            text += fragments[Int(random.next() % UInt64(fragments.count))]
        }
        return text
    }

    static let fragments = [
        #"    let total = items.reduce(0) { $0 + $1.amount }\n"#,
        #"\tprint(\"VAT: \\(rate * 100)%\")\n"#,
        #"// Résumé des coûts — 請求書 € \u00e9t\u00e9\n"#,
        #"if response.status != 200 { throw FetchError.http(response.status) }\n"#,
        #"| invoice | amount | vat |\n|---|---:|---:|\n| INV-0042 | 1,250.00 | 250.00 |\n"#,
        #"Traceback (most recent call last):\n  File \"add_vat.py\", line 12, in <module>\n"#,
        #"{\"id\": 42, \"name\": \"Widget\", \"tags\": [\"a\", \"b\"]}\n"#,
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ",
    ]

    static func iso(_ milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1_900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, Int32(milliseconds % 1_000))
    }
}
