import Foundation

// MARK: - What an input looks like

extension Importer {
    /// The format of an input, from its beginning: CSV unless it starts with `{`
    /// (a JSON array, `[`, or a JSON document written over several lines is refused);
    /// OTLP traces (logs) when its first line is an object with `resourceSpans`
    /// (`resourceLogs`), or, when the first line is not a whole object (a
    /// pretty-printed document, or a batch longer than the 64 KiB looked at), when
    /// `"resourceSpans"` (`"resourceLogs"`) appears in those 64 KiB;
    /// otherwise what its first line looks like (see ``ImportFormat/detect(firstLine:)``).
    /// Another agent's log (``ForeignAgentLog``) is read in its format when Skill Forge has one
    /// (an OpenAI Codex CLI rollout, a Gemini CLI session), else refused, saying what it is.
    ///
    /// - Throws: ``ImportError/unreadableInput(file:problem:cause:)`` naming what the input is instead.
    static func detectFormat(of input: ImportInput) throws(ImportError) -> ImportFormat {
        let handle = try input.open()
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 << 10)) ?? Data()
        if LineReader.looksLikeUTF16(head) {
            throw .unreadableInput(file: input.displayName, problem: LineReader.utf16Problem)
        }
        guard let first = head.firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) else {
            throw .unreadableInput(file: input.displayName, problem: "is empty")
        }
        if head[first] != UInt8(ascii: "{") {
            guard head.prefix(8_192).allSatisfy({ $0 != 0 }) else {
                throw .unreadableInput(file: input.displayName, problem: "is not text (binary data?)")
            }
            guard head[first] != UInt8(ascii: "[") else {
                throw .unreadableInput(
                    file: input.displayName,
                    problem: "is a JSON array, not JSON Lines (one object a line); convert it first, "
                        + "e.g. jq -c '.[]' \(input.displayName) > runs.jsonl")
            }
            return .csv
        }
        if let log = ForeignAgentLog(head: head) {
            guard let format = log.importFormat else { throw .unreadableInput(file: input.displayName, problem: log.problem) }
            return format
        }
        let lineEnd = head[first...].firstIndex(of: UInt8(ascii: "\n"))
        if let lineEnd {
            let text = JSONText(Array(head[first..<lineEnd]))
            if let root = try? text.root(), root.kind == .object {
                // A whole JSON object on the first line: OTLP when it is a TracesData.
                if (try? text.member("resourceSpans", of: root)) != nil { return .otlp }
                if (try? text.member("resourceLogs", of: root)) != nil { return .otlpLogs }
                return ImportFormat.detect(firstLine: String(decoding: head[first..<lineEnd], as: UTF8.self))
            }
        }
        // A document over several lines, or a first line longer than what was read.
        if head.range(of: Data(#""resourceSpans""#.utf8)) != nil { return .otlp }
        if head.range(of: Data(#""resourceLogs""#.utf8)) != nil { return .otlpLogs }
        let firstLine = String(decoding: head[first..<(lineEnd ?? head.endIndex)], as: UTF8.self)
        if firstLine.trimmingCharacters(in: .whitespacesAndNewlines) == "{" {
            throw .unreadableInput(
                file: input.displayName,
                problem: "is one JSON document over several lines, not JSON Lines (one object a line); "
                    + "convert it first, e.g. jq -c . \(input.displayName) > runs.jsonl")
        }
        return ImportFormat.detect(firstLine: firstLine)
    }

    /// Fails an import none of whose inputs holds anything in the format read (formats
    /// with a ``ImportFormat/recordName``: Claude Code transcripts, Codex rollouts, Gemini sessions). A single
    /// input is named with what it is or looks like, and the `--from` that reads it.
    static func refuseUnrecognized(_ inputs: [ImportInput], readAs formats: [ImportFormat]) throws(ImportError) {
        let format = formats.first ?? .claudeCode
        let record = format.recordName ?? "record"
        guard let input = inputs.first, inputs.count == 1 else {
            let article = "AEIOU".contains(record.first ?? "r") ? "an" : "a"
            throw .unreadableInput(
                file: inputs.map(\.displayName).joined(separator: ", "),
                problem: "none of these \(inputs.count) files holds \(article) \(record)")
        }
        let problem = "holds no \(record)"
        if let log = foreignLog(in: input) {
            throw .unreadableInput(file: input.displayName, problem: "\(problem): it \(log.problem)")
        }
        let looks: ImportFormat? =
            switch try? detectFormat(of: input) {
            case .csv: .csv
            case .otlp: .otlp
            case .otlpLogs: .otlpLogs
            case .jsonl: firstRecordNamesASkill(input) ? .jsonl : nil
            case .claudeCode: format == .claudeCode ? nil : .claudeCode
            case .codex, .gemini, nil: nil
            }
        guard let looks else { throw .unreadableInput(file: input.displayName, problem: problem) }
        let advice = looks.recordName == nil ? "import it without --from \(format.rawValue)" : "use --from \(looks.rawValue)"
        throw .unreadableInput(file: input.displayName, problem: "\(problem): it looks like \(looks.displayName); \(advice)")
    }

    /// The other agent whose log `input` is, from its first 64 KiB.
    private static func foreignLog(in input: ImportInput) -> ForeignAgentLog? {
        guard let handle = try? input.open() else { return nil }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 64 << 10)).flatMap(ForeignAgentLog.init(head:))
    }

    /// Whether the first line that is not blank is a JSON object with a `skill_id` or `skillId`,
    /// as every metric line has (other agents' logs are JSON Lines too).
    private static func firstRecordNamesASkill(_ input: ImportInput) -> Bool {
        guard var lines = try? input.lines() else { return false }
        while let line = try? lines.next() {
            guard case .text(let bytes) = line else { return false }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let text = JSONText(Array(bytes))
            guard let root = try? text.root() else { return false }
            return (try? text.member("skill_id", of: root) ?? text.member("skillId", of: root)) != nil
        }
        return false
    }
}
