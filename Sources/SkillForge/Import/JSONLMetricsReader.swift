/// Reads metrics written one JSON object per line:
///
/// ```json
/// {"skillId": "summarise", "executionMs": 840, "tokensIn": 1200, "tokensOut": 310, "success": true, "timestamp": 1795132800000}
/// {"skill_id": "summarise", "execution_ms": 790, "tokens_in": 1180, "tokens_out": 305, "success": 1, "timestamp": "2026-11-20T10:00:00Z", "version": "2.0"}
/// ```
///
/// The seed's camelCase names and the table's snake_case names are both
/// accepted, but a field may be given once only (not twice, nor under both of
/// its names); `metadata` may be a JSON object or its text. Blank lines are
/// skipped; unknown fields are ignored.
struct JSONLMetricsReader: RecordReader {
    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        var lines = try input.lines()
        while let line = try lines.next() {
            let location = SourceLocation(file: input.displayName, line: lines.lineNumber)
            if lines.lineNumber % 4_096 == 0 { progress(lines.bytesRead) }
            switch line {
            case .tooLong(let length):
                try emit(.invalid(location, "the line is \(length) bytes long, more than the \(lines.maximumLineLength >> 20) MiB a record may take"))
            case .text(let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                try emit(Self.item(from: Array(bytes), at: location))
            }
        }
        progress(lines.bytesRead)
    }

    /// The metric a line describes, or why it cannot.
    static func item(from bytes: [UInt8], at location: SourceLocation) -> ImportItem {
        if bytes.contains(0) { return .invalid(location, "the line holds binary data (NUL bytes), not JSON") }
        let text = JSONText(bytes)
        do {
            return .metric(try metric(in: text, at: try text.root()), location)
        } catch {
            return .invalid(location, "\(error)")
        }
    }

    /// The metric the JSON object `object` of `text` describes.
    ///
    /// - Throws: A ``FieldProblem`` naming the missing or malformed field, or
    ///   ``JSONText/SyntaxError`` when the text is not JSON.
    static func metric(in text: JSONText, at object: JSONText.Value) throws -> SkillMetrics {
        guard object.kind == .object else { throw FieldProblem("expected a JSON object, found \(text.describe(object))") }
        var fields = MetricFields()
        // The columns given so far, a bit each (no allocation per line).
        var given: UInt32 = 0
        try text.members(of: object) { key, value in
            guard let column = try Self.column(of: key, in: text) else { return }
            let bit: UInt32 = 1 << column.rawValue
            if given & bit != 0 { throw try Self.duplicate(column, second: key, in: text, object) }
            given |= bit
            switch value.kind {
            case .string: fields.set(column, .text(try text.string(value)))
            case .number:
                // An integer literal is an integer; anything else (2.0, 1e3, beyond 64 bits) keeps its text,
                // so a number in a text column is stored as written.
                let isIntegerLiteral = !text.bytes[value.start..<value.end].contains { $0 == 0x2E || $0 | 0x20 == 0x65 }
                if isIntegerLiteral, let integer = text.int64(value) {
                    fields.set(column, .integer(integer))
                } else {
                    fields.set(column, .number(text.rawText(value)))
                }
            case .true: fields.set(column, .boolean(true))
            case .false: fields.set(column, .boolean(false))
            case .null: fields.set(column, .null)
            case .object, .array: fields.set(column, .json(text.rawText(value)))
            }
        }
        return try fields.metric()
    }

    /// The column a key names, matched on its bytes (decoded only when it holds escapes).
    private static func column(of key: JSONText.Value, in text: JSONText) throws -> MetricFields.Column? {
        key.hasEscapes
            ? MetricFields.column(named: try text.string(key))
            : MetricFields.column(named: text.bytes[key.start..<key.end])
    }

    /// The problem of a field given twice in `object`, the second time under `second`:
    /// the same key twice, or both its names. The first key is found again (only on this error).
    private static func duplicate(
        _ column: MetricFields.Column, second: JSONText.Value, in text: JSONText, _ object: JSONText.Value
    ) throws -> FieldProblem {
        var first: JSONText.Value?
        try text.members(of: object) { key, _ in
            if first == nil, try Self.column(of: key, in: text) == column { first = key }
        }
        let firstName = try first.map(text.string) ?? ""
        let secondName = try text.string(second)
        return firstName == secondName
            ? FieldProblem("key \(firstName.debugDescription) appears twice", field: column.columnName)
            : FieldProblem(
                "keys \(firstName.debugDescription) and \(secondName.debugDescription) both give \(column.columnName)",
                field: column.columnName)
    }
}
