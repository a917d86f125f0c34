import Foundation

/// One `TracesData` document: its spans, then the items they make.
enum OTLPDocument {
    /// Reads the document in `bytes`, whose first line is line `firstLine` of `file`, and emits its items.
    ///
    /// - Parameter isOneLine: Whether the bytes are one line (of JSON Lines), so every item is on `firstLine`.
    static func read(
        _ bytes: [UInt8], file: String, firstLine: Int, isOneLine: Bool, emit: (ImportItem) throws -> Void
    ) throws {
        var lines = LineCounter(bytes: bytes, firstLine: firstLine, isOneLine: isOneLine)
        if bytes.contains(0) {
            return try emit(.invalid(lines.location(file, at: 0), "the text holds binary data (NUL bytes), not JSON"))
        }
        let text = JSONText(bytes)
        let spans: [OTLPSpan]
        do {
            let root = try text.root()
            guard let found = try spanList(in: text, root: root) else {
                return try emit(.ignored(lines.location(file, at: 0), .otherDocument))
            }
            spans = found
        } catch let error as JSONText.SyntaxError {
            let location = lines.location(file, at: error.offset)
            var problem = error.problem
            if error.offset >= bytes.count && !problem.contains("truncated") { problem += " (the text ends there: truncated?)" }
            let column = JSONText.SyntaxError(offset: error.offset - lines.startOfLine(at: error.offset), problem: problem)
            return try emit(.invalid(location, column.description))
        } catch let error as ShapeError {
            return try emit(.invalid(lines.location(file, at: error.offset), error.problem))
        }
        let tree = SpanTree(spans)
        for (index, span) in spans.enumerated() {
            let location = lines.location(file, at: span.offset)
            switch span.item(in: tree, at: index) {
            case .ignored: try emit(.ignored(location, .otherSpan))
            case .metric(let metric): try emit(.metric(metric, location))
            case .invalid(let problem): try emit(.invalid(location, problem))
            }
        }
    }

    /// Every span of a `TracesData` object, or `nil` for a document of another signal (logs, metrics).
    ///
    /// - Parameter refusingUnknownObjects: Whether an object with none of OTLP's signals (only
    ///   unknown keys) is refused, as the importer does with files of something else; the
    ///   collector ignores unknown fields, as OTLP/HTTP says, and reads no span from it.
    static func spanList(in text: JSONText, root: JSONText.Value, refusingUnknownObjects: Bool = true) throws -> [OTLPSpan]? {
        guard root.kind == .object else {
            throw ShapeError(offset: root.start, problem: "expected a TracesData object, found \(text.describe(root))")
        }
        var spans: [OTLPSpan] = []
        var hasSpans = false
        var otherSignal = false
        var unknown: String?
        var cursor = JSONCursor(text, at: root)
        try cursor.members { key, value in
            if text.matches(key, "resourceSpans") {
                hasSpans = true
                try eachObject(in: &value, named: "resourceSpans") { resourceIndex, resource in
                    try resource.members { key, scopes in
                        guard text.matches(key, "scopeSpans") || text.matches(key, "instrumentationLibrarySpans") else {
                            return
                        }
                        let path = "resourceSpans[\(resourceIndex)].scopeSpans"
                        try eachObject(in: &scopes, named: path) { scopeIndex, scope in
                            try scope.members { key, list in
                                guard text.matches(key, "spans") else { return }
                                try eachObject(in: &list, named: "\(path)[\(scopeIndex)].spans") { _, span in
                                    spans.append(try OTLPSpan(&span))
                                }
                            }
                        }
                    }
                }
            } else if text.matches(key, "resourceLogs") || text.matches(key, "resourceMetrics")
                || text.matches(key, "resourceProfiles")
            {
                otherSignal = true
            } else if unknown == nil {
                unknown = text.rawText(key)
            }
        }
        guard hasSpans else {
            if otherSignal || unknown == nil || !refusingUnknownObjects { return otherSignal ? nil : [] }
            throw ShapeError(
                offset: root.start, problem: "not an OTLP TracesData object: it has \(unknown ?? "") but no \"resourceSpans\"")
        }
        return spans
    }

    /// Calls `body` with each object of the array at `cursor` (null counts as empty), refusing other shapes:
    /// how both OTLP JSON documents (traces and logs) walk their lists.
    static func eachObject(
        in cursor: inout JSONCursor, named name: String, _ body: (Int, inout JSONCursor) throws -> Void
    ) throws {
        let text = cursor.text
        switch cursor.kind {
        case .null: return
        case .array: break
        default:
            let found = cursor.value()
            throw ShapeError(offset: found.start, problem: "\(name) should be an array, found \(text.describe(found))")
        }
        try cursor.elements { index, element in
            guard element.kind == .object else {
                let found = element.value()
                throw ShapeError(
                    offset: found.start, problem: "\(name)[\(index)] should be an object, found \(text.describe(found))")
            }
            try body(index, &element)
        }
    }
}

/// A document whose JSON is fine but whose shape is not OTLP's.
struct ShapeError: Error {
    var offset: Int
    var problem: String
}

/// Maps byte offsets of a document to line numbers, counting forward (offsets mostly come in order).
struct LineCounter {
    let bytes: [UInt8]
    let firstLine: Int
    /// Whether the bytes hold no line break (a line of JSON Lines): then nothing is counted.
    let isOneLine: Bool
    private var offset = 0
    private var line: Int

    init(bytes: [UInt8], firstLine: Int, isOneLine: Bool) {
        self.bytes = bytes
        self.firstLine = firstLine
        self.isOneLine = isOneLine
        line = firstLine
    }

    /// The location of the byte at `target`.
    mutating func location(_ file: String, at target: Int) -> SourceLocation {
        if isOneLine { return SourceLocation(file: file, line: firstLine) }
        let target = min(max(target, 0), bytes.count)
        if target < offset {
            offset = 0
            line = firstLine
        }
        while offset < target {
            if bytes[offset] == 0x0A { line += 1 }
            offset += 1
        }
        return SourceLocation(file: file, line: line)
    }

    /// The offset where the line holding `target` starts.
    func startOfLine(at target: Int) -> Int {
        if isOneLine { return 0 }
        var start = min(max(target, 0), bytes.count)
        while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
        return start
    }
}
