import Foundation

extension ImportInput {
    /// A line of an agent's session log (a Claude Code transcript, a Codex rollout, a Gemini
    /// session in JSON Lines), as ``forEachAgentLogLine(progress:emit:_:)`` hands it out.
    struct AgentLogLine {
        let bytes: [UInt8]
        let location: SourceLocation
        /// Whether it is the file's last line and has no newline: perhaps cut short while being written.
        let mayBeCutShort: Bool

        /// What a line that is not a JSON object is: the file's unfinished last line (passed over,
        /// it may be complete next time), or, before the last, a line that could not be read
        /// (skipped and reported).
        var unreadable: ImportItem {
            mayBeCutShort ? .ignored(location, .unfinishedLastLine) : .skipped(location, "line skipped: not a JSON object")
        }
    }

    /// Reads the input line by line for a reader of agents' logs: blank lines are skipped, lines
    /// too long to hold are ignored (emitted as such), and `body` gets every other line. Progress is
    /// reported every 4,096 lines and at the end.
    ///
    /// ```swift
    /// try input.forEachAgentLogLine(progress: progress, emit: emit) { line in
    ///     guard let entry = RolloutLine(parsing: line.bytes) else { return try emit(line.unreadable) }
    /// }
    /// ```
    ///
    /// - Throws: What reading the input or `body` throws.
    func forEachAgentLogLine(
        progress: (Int64) -> Void, emit: (ImportItem) throws -> Void, _ body: (AgentLogLine) throws -> Void
    ) throws {
        var lines = try self.lines()
        while let line = try lines.next() {
            let location = SourceLocation(file: displayName, line: lines.lineNumber)
            if lines.lineNumber % 4_096 == 0 { progress(lines.bytesRead) }
            switch line {
            case .tooLong:
                try emit(.ignored(location, .overlongLine))
            case .text(let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                try body(AgentLogLine(bytes: Array(bytes), location: location, mayBeCutShort: lines.lastLineIsUnterminated))
            }
        }
        progress(lines.bytesRead)
    }
}
