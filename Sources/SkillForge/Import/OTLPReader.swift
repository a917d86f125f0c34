import Foundation

/// Reads GenAI tool and agent executions from OpenTelemetry traces in OTLP's
/// JSON encoding.
///
/// The input is either one `TracesData` document (pretty-printed over many
/// lines, read whole, up to ``maximumDocumentBytes``) or JSON Lines with one
/// `TracesData` per line, as the Collector's file exporter writes them (read
/// as a stream, one line at a time):
///
/// ```json
/// {"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"execute_tool get_weather","kind":1,"startTimeUnixNano":"1795132800000000000","endTimeUnixNano":"1795132800150000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"get_weather"}}],"status":{}}]}]}]}
/// ```
///
/// Every span that is a tool or agent execution (`gen_ai.operation.name` is
/// `execute_tool` or `invoke_agent`, or the span has `gen_ai.tool.name`)
/// becomes a row; every other span is ``ImportItem/ignored(_:)``.
///
/// | Column | From the span |
/// |---|---|
/// | `skill_id` | `gen_ai.tool.name`, else `gen_ai.agent.name`, else the span's name |
/// | `execution_ms` | `skill_forge.execution_ms`, else end − start, in ms, rounded half up |
/// | `timestamp` | `startTimeUnixNano` in ms (rounded down) |
/// | `tokens_in`, `tokens_out` | `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens` (0 when absent) |
/// | `cache_read_tokens` | `gen_ai.usage.cache_read.input_tokens` |
/// | `cache_creation_tokens` | `gen_ai.usage.cache_creation.input_tokens` |
/// | `model` | `gen_ai.request.model`, else `gen_ai.response.model`, else the descendants' one model |
/// | `success` | `status.code` is not 2 (error) and there is no `error.type` |
/// | `error` | `skill_forge.error`, else for failures `status.message`, else `error.type` |
/// | `session_id` | `gen_ai.conversation.id`, else `session.id` |
/// | `version` | `skill_forge.version` |
/// | `tokens_estimated` | `skill_forge.tokens_estimated`, else false when the usage was found, NULL when not |
/// | `run_id` | `skill_forge.run_id`, else `traceId-spanId` (lowercase hex) |
/// | `source` | `skill_forge.source`, else `otlp` |
/// | `metadata` | `skill_forge.metadata` (the text of a JSON object) |
///
/// A `skill_forge.*` attribute whose value is empty (`"value":{}`) stands for
/// NULL, so that spans written by ``OTLPSpanWriter`` come back as the very
/// rows they were written from.
///
/// **Usage of descendants.** A span with no usage of its own (none of the four
/// `gen_ai.usage.*` token attributes) takes the sum over its descendant spans
/// of the same document: each child counts with its own usage when it has
/// some (its subtree is then not counted again) or else with its own
/// descendants' sum. An agent span whose chat spans report the tokens thus
/// gets their total. Its model, when it names none, is the one model its
/// descendants name, or NULL when they name several. Descendants in another
/// document (another line of JSON Lines: another batch of the exporter) are
/// not found, so they are not counted.
///
/// A line that is not JSON or not a `TracesData` object is
/// ``ImportItem/invalid(_:_:)``, and so is a tool or agent span without its
/// ids or times, or with a malformed value; other spans are not checked.
/// `resourceLogs` and `resourceMetrics` lines are ignored.
struct OTLPReader: RecordReader {
    /// The largest single document read whole, in bytes; bigger inputs must be JSON Lines.
    static let defaultMaximumDocumentBytes: Int64 = 64 << 20

    /// The largest single (multi-line) document read whole, in bytes.
    var maximumDocumentBytes: Int64 = OTLPReader.defaultMaximumDocumentBytes

    func read(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        var lines = try input.lines()
        // How the input is laid out, once its first lines tell.
        var isJSONLines = false
        // The first non-blank line while it may begin a document over many lines (it is no whole value).
        var opening: (bytes: [UInt8], line: Int)?
        func document(_ bytes: [UInt8], at line: Int) throws {
            try OTLPDocument.read(bytes, file: input.displayName, firstLine: line, isOneLine: true, emit: emit)
        }
        func settleAsJSONLines() throws {
            isJSONLines = true
            if let first = opening { try document(first.bytes, at: first.line) }
            opening = nil
        }
        while let line = try lines.next() {
            let number = lines.lineNumber
            if number % 1_024 == 0 { progress(lines.bytesRead) }
            switch line {
            case .tooLong(let length):
                try settleAsJSONLines()
                try emit(.invalid(
                    SourceLocation(file: input.displayName, line: number),
                    "the line is \(length) bytes long, more than the \(lines.maximumLineLength >> 20) MiB a TracesData line may take; write smaller batches"))
            case .text(let slice):
                if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                let bytes = Array(slice)
                if isJSONLines {
                    try document(bytes, at: number)
                } else if opening != nil {
                    // The first line goes on past its end: one document over many lines, unless this
                    // line is a whole value (then the first was a truncated line of JSON Lines).
                    guard Self.isCompleteValue(bytes) else { return try readWhole(input, progress: progress, emit: emit) }
                    try settleAsJSONLines()
                    try document(bytes, at: number)
                } else if Self.isIncompleteValue(bytes) {
                    opening = (bytes, number)
                } else {
                    try settleAsJSONLines()
                    try document(bytes, at: number)
                }
            }
        }
        if opening != nil { return try readWhole(input, progress: progress, emit: emit) }
        progress(lines.bytesRead)
    }

    /// Reads the input as one document, refusing one bigger than ``maximumDocumentBytes``.
    private func readWhole(_ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void) throws {
        let size = input.size
        guard size <= maximumDocumentBytes else {
            throw ImportError.unreadableInput(
                file: input.displayName,
                problem: "is a single OTLP JSON document of \(size >> 20) MiB, more than the \(maximumDocumentBytes >> 20) MiB read at once; write it as JSON Lines instead, one TracesData per line (as the Collector's file exporter does), which is read in constant memory")
        }
        let handle = try input.open()
        defer { try? handle.close() }
        var bytes: [UInt8]
        do {
            bytes = [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw ImportError.unreadableInput(file: input.displayName, problem: error.localizedDescription)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        try OTLPDocument.read(bytes, file: input.displayName, firstLine: 1, isOneLine: false, emit: emit)
        progress(Int64(bytes.count))
    }

    /// Whether `bytes` hold one whole JSON value.
    private static func isCompleteValue(_ bytes: [UInt8]) -> Bool {
        (try? JSONText(bytes).root()) != nil
    }

    /// Whether `bytes` are the beginning of a JSON value that goes on past them (the first
    /// line of a pretty-printed document, or a truncated line).
    private static func isIncompleteValue(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try JSONText(bytes).root()
            return false
        } catch {
            return error.offset >= bytes.count
        }
    }
}

// MARK: - Documents

/// One `TracesData` document: its spans, then the items they make.
private enum OTLPDocument {
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
                return try emit(.ignored(lines.location(file, at: 0)))
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
            guard span.isExecution else {
                try emit(.ignored(location))
                continue
            }
            switch span.metric(in: tree, at: index) {
            case .success(let metric): try emit(.metric(metric, location))
            case .failure(let problem): try emit(.invalid(location, "span \(span.label): \(problem.description)"))
            }
        }
    }

    /// Every span of a `TracesData` object, or `nil` for a document of another signal (logs, metrics).
    private static func spanList(in text: JSONText, root: JSONText.Value) throws -> [OTLPSpan]? {
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
            if otherSignal || unknown == nil { return otherSignal ? nil : [] }
            throw ShapeError(
                offset: root.start, problem: "not an OTLP TracesData object: it has \(unknown ?? "") but no \"resourceSpans\"")
        }
        return spans
    }

    /// Calls `body` with each object of the array at `cursor` (null counts as empty), refusing other shapes.
    private static func eachObject(
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
private struct ShapeError: Error {
    var offset: Int
    var problem: String
}

/// Maps byte offsets of a document to line numbers, counting forward (offsets mostly come in order).
private struct LineCounter {
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

// MARK: - Spans

/// What the reader keeps of one span.
private struct OTLPSpan {
    /// Where the span's object starts in its document.
    var offset: Int
    var name: String?
    /// Ids as lowercase hex, `nil` when absent (or malformed: then `problem` says why).
    var traceId: String?
    var spanId: String?
    var parentSpanId: String?
    var startNano: UInt64?
    var endNano: UInt64?
    var isError = false
    var statusMessage: String?
    var attributes = SpanAttributes()
    /// The first malformed thing found (an id, a time, a status): fatal when the span is a row.
    var problem: String?

    /// How messages name the span.
    var label: String {
        guard let name, !name.isEmpty else { return spanId.map { "with spanId \($0)" } ?? "(unnamed)" }
        return name.debugDescription
    }

    /// Whether the span is a tool or agent execution, which makes a row.
    var isExecution: Bool {
        attributes.operationName == "execute_tool" || attributes.operationName == "invoke_agent"
            || attributes.toolName != nil
    }

    /// Reads the span object at `cursor`.
    init(_ cursor: inout JSONCursor) throws {
        offset = cursor.index
        let text = cursor.text
        try cursor.members { key, value in
            guard key.end > key.start else { return }
            switch text.bytes[key.start] {
            case UInt8(ascii: "a") where text.matches(key, "attributes"):
                try attributes.read(&value)
            case UInt8(ascii: "e") where text.matches(key, "endTimeUnixNano"):
                endNano = try time(value.value(), named: "endTimeUnixNano", in: text)
            case UInt8(ascii: "n") where text.matches(key, "name"):
                let found = value.value()
                if found.kind == .string { name = try text.string(found) }
            case UInt8(ascii: "p") where text.matches(key, "parentSpanId"):
                parentSpanId = try id(value.value(), named: "parentSpanId", bytes: 8, in: text)
            case UInt8(ascii: "s") where text.matches(key, "spanId"):
                spanId = try id(value.value(), named: "spanId", bytes: 8, in: text)
            case UInt8(ascii: "s") where text.matches(key, "startTimeUnixNano"):
                startNano = try time(value.value(), named: "startTimeUnixNano", in: text)
            case UInt8(ascii: "s") where text.matches(key, "status"):
                try readStatus(&value)
            case UInt8(ascii: "t") where text.matches(key, "traceId"):
                traceId = try id(value.value(), named: "traceId", bytes: 16, in: text)
            default:
                break
            }
        }
    }

    private mutating func note(_ message: String) {
        if problem == nil { problem = message }
    }

    /// An id as lowercase hex: OTLP JSON writes hex; base64 (protobuf's JSON for bytes) is accepted too.
    private mutating func id(_ value: JSONText.Value, named name: String, bytes: Int, in text: JSONText) throws -> String? {
        guard value.kind == .string else {
            if value.kind != .null { note("\(name) \(text.describe(value)) should be a hex string") }
            return nil
        }
        let raw = try text.string(value)
        if raw.isEmpty { return nil }
        if let hex = OTLPID.normalized(raw, bytes: bytes) { return hex }
        note("\(name) \(raw.debugDescription) is not \(bytes * 2) hex digits")
        return nil
    }

    /// A time in Unix nanoseconds: a decimal string (OTLP JSON's encoding of 64-bit integers) or a number.
    private mutating func time(_ value: JSONText.Value, named name: String, in text: JSONText) throws -> UInt64? {
        guard let nano = try OTLPNumber.unsigned(value, in: text) else {
            if value.kind != .null { note("\(name) \(text.describe(value)): not a time in Unix nanoseconds") }
            return nil
        }
        return nano == 0 ? nil : nano
    }

    private mutating func readStatus(_ status: inout JSONCursor) throws {
        let text = status.text
        try status.members { key, member in
            if text.matches(key, "code") {
                let value = member.value()
                switch try OTLPStatusCode.parse(value, in: text) {
                case .some(let code): isError = code == 2
                case .none: note("status.code \(text.describe(value)): not a status code (0, 1, 2 or STATUS_CODE_ERROR…)")
                }
            } else if text.matches(key, "message") {
                let value = member.value()
                guard value.kind == .string else { return }
                let message = try text.string(value)
                statusMessage = message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : message
            }
        }
    }
}

/// The attributes the reader maps; every other one is skipped unread.
private struct SpanAttributes {
    var operationName: String?
    var toolName: String?
    var agentName: String?
    var requestModel: String?
    var responseModel: String?
    var conversationId: String?
    var sessionId: String?
    var errorType: String?
    var usage = Usage()

    // `skill_forge.*` overrides: `nil` when absent, `.some(nil)` when given as empty (NULL).
    var version: String??
    var tokensEstimated: Bool??
    var runId: String??
    var source: String??
    var metadata: String??
    var error: String??
    var executionMs: Int64??

    /// The first malformed value of a mapped attribute.
    var problem: String?

    /// Reads an `attributes` array of `{"key": …, "value": {…}}` objects.
    mutating func read(_ list: inout JSONCursor) throws {
        let text = list.text
        try list.elements { _, attribute in
            var key: JSONText.Value?
            var value: JSONText.Value?
            attribute.members { name, member in
                if text.matches(name, "key") {
                    key = member.value()
                } else if text.matches(name, "value") {
                    value = member.value()
                }
            }
            guard let key, let name = AttributeKey.find(key, in: text) else { return }
            try set(name, value, in: text)
        }
    }

    private mutating func set(_ name: AttributeKey, _ value: JSONText.Value?, in text: JSONText) throws {
        let attribute = try AttributeValue(value, in: text)
        let key = name.rawValue
        func string() -> String? {
            let result = attribute.text
            if result == nil, !attribute.isEmpty { note("\(key) \(attribute.shown): should be a string") }
            return result
        }
        func count() -> Int64? {
            let result = attribute.integer
            if result == nil { note("\(key) \(attribute.shown): not a whole number") }
            return result
        }
        func override<T>(_ read: () -> T?) -> T?? {
            attribute.isEmpty ? .some(nil) : .some(read())
        }
        switch name {
        case .operationName: operationName = string()
        case .toolName: toolName = string()
        case .agentName: agentName = string()
        case .requestModel: requestModel = string()
        case .responseModel: responseModel = string()
        case .conversationId: conversationId = string()
        case .sessionId: sessionId = string()
        case .errorType: errorType = string().flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        case .inputTokens:
            usage.input = attribute.integer
            usage.noteProblem(key, attribute)
        case .outputTokens:
            usage.output = attribute.integer
            usage.noteProblem(key, attribute)
        case .cacheReadTokens:
            usage.cacheRead = attribute.integer
            usage.noteProblem(key, attribute)
        case .cacheCreationTokens:
            usage.cacheCreation = attribute.integer
            usage.noteProblem(key, attribute)
        case .version: version = override(string)
        case .runId: runId = override(string)
        case .source: source = override(string)
        case .metadata: metadata = override(string)
        case .error: error = override(string)
        case .executionMs: executionMs = override(count)
        case .tokensEstimated:
            tokensEstimated = override {
                if case .boolean(let flag) = attribute { return flag }
                note("\(key) \(attribute.shown): should be a boolValue")
                return nil
            }
        }
    }

    private mutating func note(_ message: String) {
        if problem == nil { problem = message }
    }
}

/// The attribute keys the reader maps.
private enum AttributeKey: String, CaseIterable {
    case operationName = "gen_ai.operation.name"
    case toolName = "gen_ai.tool.name"
    case agentName = "gen_ai.agent.name"
    case requestModel = "gen_ai.request.model"
    case responseModel = "gen_ai.response.model"
    case conversationId = "gen_ai.conversation.id"
    case sessionId = "session.id"
    case errorType = "error.type"
    case inputTokens = "gen_ai.usage.input_tokens"
    case outputTokens = "gen_ai.usage.output_tokens"
    case cacheReadTokens = "gen_ai.usage.cache_read.input_tokens"
    case cacheCreationTokens = "gen_ai.usage.cache_creation.input_tokens"
    case version = "skill_forge.version"
    case runId = "skill_forge.run_id"
    case source = "skill_forge.source"
    case metadata = "skill_forge.metadata"
    case error = "skill_forge.error"
    case executionMs = "skill_forge.execution_ms"
    case tokensEstimated = "skill_forge.tokens_estimated"

    /// The keys and their bytes by length, to find a key without decoding it.
    private static let byLength: [[(key: AttributeKey, bytes: [UInt8])]] = {
        var table = [[(key: AttributeKey, bytes: [UInt8])]](repeating: [], count: 64)
        for key in allCases { table[key.rawValue.utf8.count].append((key, Array(key.rawValue.utf8))) }
        return table
    }()

    /// The key the string `value` names, if it is one the reader maps.
    static func find(_ value: JSONText.Value, in text: JSONText) -> AttributeKey? {
        guard value.kind == .string else { return nil }
        if value.hasEscapes { return (try? text.string(value)).flatMap(AttributeKey.init(rawValue:)) }
        let length = value.end - value.start
        guard length < byLength.count else { return nil }
        return byLength[length].first { candidate in candidate.bytes.withUnsafeBytes { text.matches(value, utf8: $0) } }?.key
    }
}

/// An attribute's `AnyValue`, for the kinds the mapping uses.
private enum AttributeValue {
    case string(String)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)
    /// No value at all (`"value": {}`): NULL.
    case empty
    /// A value of another kind (array, kvlist, bytes) or a malformed one, as its JSON text.
    case other(String)

    init(_ value: JSONText.Value?, in text: JSONText) throws {
        self = .empty
        guard let value, value.kind == .object else {
            if let value, value.kind != .null { self = .other(text.describe(value)) }
            return
        }
        var result = AttributeValue.empty
        var cursor = JSONCursor(text, at: value)
        try cursor.members { key, found in
            let member = found.value()
            if text.matches(key, "stringValue") {
                result = member.kind == .string ? .string(try text.string(member)) : .other(text.describe(member))
            } else if text.matches(key, "intValue") {
                result = try OTLPNumber.signed(member, in: text).map(AttributeValue.integer) ?? .other(text.describe(member))
            } else if text.matches(key, "doubleValue") {
                result = text.double(member).map(AttributeValue.double) ?? .other(text.describe(member))
            } else if text.matches(key, "boolValue") {
                switch member.kind {
                case .true: result = .boolean(true)
                case .false: result = .boolean(false)
                default: result = .other(text.describe(member))
                }
            } else {
                result = .other(text.describe(member))
            }
        }
        self = result
    }

    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }

    /// The value as text: a string, or a number written as text.
    var text: String? {
        switch self {
        case .string(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The value as a whole number: an `intValue`, a whole `doubleValue`, or a string of digits.
    var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .double(let value): value.rounded() == value ? Int64(exactly: value) : nil
        case .string(let text): Int64(text)
        default: nil
        }
    }

    /// How messages show the value.
    var shown: String {
        switch self {
        case .string(let text): text.debugDescription
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .boolean(let value): String(value)
        case .empty: "(empty)"
        case .other(let text): text
        }
    }
}

// MARK: - Usage

/// Token counts of a span or of a subtree.
private struct Usage {
    var input: Int64?
    var output: Int64?
    var cacheRead: Int64?
    var cacheCreation: Int64?
    /// A malformed count, here or in a descendant counted.
    var problem: String?

    /// Whether any count is given.
    var isFound: Bool { input != nil || output != nil || cacheRead != nil || cacheCreation != nil || problem != nil }

    mutating func noteProblem(_ key: String, _ value: AttributeValue) {
        if value.integer == nil, problem == nil { problem = "\(key) \(value.shown): not a whole number" }
    }

    /// Adds a descendant's usage.
    mutating func add(_ other: Usage, from label: String) {
        if problem == nil, let inner = other.problem {
            problem = inner.hasPrefix("in descendant span") ? inner : "in descendant span \(label): \(inner)"
        }
        func sum(_ mine: Int64?, _ theirs: Int64?) -> Int64? {
            guard let theirs else { return mine }
            let (total, overflow) = (mine ?? 0).addingReportingOverflow(theirs)
            if overflow, problem == nil { problem = "the descendants' token counts add up to more than 64 bits hold" }
            return overflow ? Int64.max : total
        }
        input = sum(input, other.input)
        output = sum(output, other.output)
        cacheRead = sum(cacheRead, other.cacheRead)
        cacheCreation = sum(cacheCreation, other.cacheCreation)
    }
}

/// The models named in a subtree.
private enum ModelChoice {
    case none
    case one(String)
    case several

    mutating func add(_ other: ModelChoice) {
        switch (self, other) {
        case (_, .none): break
        case (.none, _): self = other
        case (.one(let mine), .one(let theirs)) where mine == theirs: break
        default: self = .several
        }
    }

    var model: String? {
        if case .one(let model) = self { return model }
        return nil
    }
}

/// The spans of a document as a tree, with the usage and model of every subtree, computed when needed.
private struct SpanTree {
    private let spans: [OTLPSpan]
    private var subtreeUsage: [Usage] = []
    private var subtreeModel: [ModelChoice] = []

    init(_ spans: [OTLPSpan]) {
        self.spans = spans
        // Only rows that lack usage or a model need their descendants.
        let needed = spans.contains { span in
            span.isExecution
                && (!span.attributes.usage.isFound
                    || (span.attributes.requestModel == nil && span.attributes.responseModel == nil))
        }
        if needed { aggregate() }
    }

    /// The usage of span `index`: its own, else its descendants' sum.
    func usage(of index: Int) -> Usage {
        let own = spans[index].attributes.usage
        return own.isFound || subtreeUsage.isEmpty ? own : subtreeUsage[index]
    }

    /// The model of span `index`: its own, else its descendants' one model.
    func model(of index: Int) -> String? {
        let attributes = spans[index].attributes
        return attributes.requestModel ?? attributes.responseModel
            ?? (subtreeModel.isEmpty ? nil : subtreeModel[index].model)
    }

    /// Computes every subtree's usage and model, leaves first (Kahn's algorithm; spans in a cycle keep what they got).
    private mutating func aggregate() {
        var indexByKey: [String: Int] = [:]
        for (index, span) in spans.enumerated() {
            guard let trace = span.traceId, let id = span.spanId else { continue }
            let key = trace + id
            if indexByKey[key] == nil { indexByKey[key] = index }
        }
        var parent = [Int?](repeating: nil, count: spans.count)
        var pendingChildren = [Int](repeating: 0, count: spans.count)
        for (index, span) in spans.enumerated() {
            guard let trace = span.traceId, let parentId = span.parentSpanId,
                let found = indexByKey[trace + parentId], found != index
            else { continue }
            parent[index] = found
            pendingChildren[found] += 1
        }
        var childUsage = [Usage](repeating: Usage(), count: spans.count)
        var childModels = [ModelChoice](repeating: .none, count: spans.count)
        subtreeUsage = childUsage
        subtreeModel = childModels
        var ready = spans.indices.filter { pendingChildren[$0] == 0 }
        var done = [Bool](repeating: false, count: spans.count)
        while let index = ready.popLast() {
            done[index] = true
            let attributes = spans[index].attributes
            subtreeUsage[index] = attributes.usage.isFound ? attributes.usage : childUsage[index]
            if let own = attributes.requestModel ?? attributes.responseModel {
                subtreeModel[index] = .one(own)
            } else {
                subtreeModel[index] = childModels[index]
            }
            guard let up = parent[index] else { continue }
            childUsage[up].add(subtreeUsage[index], from: spans[index].label)
            childModels[up].add(subtreeModel[index])
            pendingChildren[up] -= 1
            if pendingChildren[up] == 0 { ready.append(up) }
        }
        for index in spans.indices where !done[index] {
            subtreeUsage[index] = childUsage[index]
            subtreeModel[index] = childModels[index]
        }
    }
}

// MARK: - Mapping

extension OTLPSpan {
    /// The row span `index` makes, or why it cannot.
    fileprivate func metric(in tree: SpanTree, at index: Int) -> Result<SkillMetrics, FieldProblem> {
        if let problem = problem ?? attributes.problem { return .failure(FieldProblem(problem)) }
        guard let traceId else { return .failure(FieldProblem("missing traceId")) }
        guard let spanId else { return .failure(FieldProblem("missing spanId")) }
        guard !traceId.allSatisfy({ $0 == "0" }) else { return .failure(FieldProblem("traceId is all zeros")) }
        guard !spanId.allSatisfy({ $0 == "0" }) else { return .failure(FieldProblem("spanId is all zeros")) }
        guard let startNano else { return .failure(FieldProblem("missing startTimeUnixNano")) }
        guard let endNano else { return .failure(FieldProblem("missing endTimeUnixNano")) }
        let executionMs: Int64
        if let given = attributes.executionMs {
            guard let given else { return .failure(FieldProblem("skill_forge.execution_ms is empty")) }
            executionMs = given
        } else {
            guard endNano >= startNano else {
                return .failure(FieldProblem("endTimeUnixNano \(endNano) is before startTimeUnixNano \(startNano)"))
            }
            let duration = endNano - startNano
            executionMs = Int64(duration / 1_000_000 + (duration % 1_000_000 >= 500_000 ? 1 : 0))
        }
        let skillId = [attributes.toolName, attributes.agentName, name].lazy.compactMap { $0 }.first { !$0.isEmpty }
        guard let skillId else { return .failure(FieldProblem("no gen_ai.tool.name, gen_ai.agent.name or span name")) }

        let usage = tree.usage(of: index)
        if let problem = usage.problem { return .failure(FieldProblem(problem)) }
        let success = !isError && attributes.errorType == nil
        var metric = SkillMetrics(
            skillId: skillId, executionMs: executionMs, tokensIn: usage.input ?? 0, tokensOut: usage.output ?? 0,
            success: success, timestamp: Int64(startNano / 1_000_000))
        metric.model = tree.model(of: index)
        metric.error = attributes.error ?? (success ? nil : statusMessage ?? attributes.errorType)
        metric.cacheReadTokens = usage.cacheRead
        metric.cacheCreationTokens = usage.cacheCreation
        metric.sessionId = attributes.conversationId ?? attributes.sessionId
        metric.version = attributes.version ?? nil
        metric.tokensEstimated = attributes.tokensEstimated ?? (usage.isFound ? false : nil)
        metric.runId = attributes.runId ?? "\(traceId)-\(spanId)"
        metric.source = attributes.source ?? "otlp"
        metric.metadata = attributes.metadata ?? nil
        return .success(metric)
    }
}

// MARK: - Encodings

/// OTLP JSON's 64-bit integers: decimal strings, or (accepted) JSON numbers.
private enum OTLPNumber {
    /// A signed 64-bit integer (`intValue`).
    static func signed(_ value: JSONText.Value, in text: JSONText) throws -> Int64? {
        switch value.kind {
        case .string: Int64(try text.string(value))
        case .number: text.int64(value)
        default: nil
        }
    }

    /// An unsigned 64-bit integer (`fixed64` times).
    static func unsigned(_ value: JSONText.Value, in text: JSONText) throws -> UInt64? {
        switch value.kind {
        case .string: return UInt64(try text.string(value))
        case .number:
            if let exact = text.int64(value) { return UInt64(exactly: exact) }
            return text.double(value).flatMap { UInt64(exactly: $0) }
        default: return nil
        }
    }
}

/// A span status code: 0, 1, 2 as numbers or strings, or their enum names.
private enum OTLPStatusCode {
    /// The code, or `nil` when it is none of them.
    static func parse(_ value: JSONText.Value, in text: JSONText) throws -> Int? {
        switch value.kind {
        case .number:
            return text.int64(value).flatMap { (0...2).contains($0) ? Int($0) : nil }
        case .string:
            let name = try text.string(value).uppercased()
            switch name {
            case "0", "STATUS_CODE_UNSET", "UNSET": return 0
            case "1", "STATUS_CODE_OK", "OK": return 1
            case "2", "STATUS_CODE_ERROR", "ERROR": return 2
            default: return nil
            }
        case .null: return 0
        default: return nil
        }
    }
}

/// Trace and span ids.
enum OTLPID {
    /// `raw` as lowercase hex when it is `bytes` bytes in hex (any case) or in base64.
    static func normalized(_ raw: String, bytes: Int) -> String? {
        let utf8 = raw.utf8
        if utf8.count == bytes * 2, utf8.allSatisfy(isHexDigit) {
            return utf8.contains { (0x41...0x46).contains($0) } ? raw.lowercased() : raw
        }
        guard let data = Data(base64Encoded: raw), data.count == bytes else { return nil }
        return Hex.string(data)
    }

    /// Whether `text` is `bytes` bytes in lowercase hex.
    static func isLowercaseHex(_ text: Substring, bytes: Int) -> Bool {
        text.utf8.count == bytes * 2 && text.utf8.allSatisfy { isHexDigit($0) && !(0x41...0x46).contains($0) }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }
}
