import Foundation

/// What the reader keeps of one span.
struct OTLPSpan {
    /// Where the span's object starts in its JSON document; in protobuf, its position among the spans.
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
    /// The first `exception` event's type and message.
    var exceptionEvent = SpanException()
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
            case UInt8(ascii: "e") where text.matches(key, "events"):
                try readEvents(&value)
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

    /// Keeps `message` as the span's problem unless it has one already.
    mutating func note(_ message: String) {
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

    /// Keeps the first `exception` event's type and message.
    private mutating func readEvents(_ events: inout JSONCursor) throws {
        let text = events.text
        try events.elements { _, event in
            guard exceptionEvent.description == nil else { return }
            var isException = false
            var attributes = SpanAttributes()
            try event.members { key, member in
                if text.matches(key, "name") {
                    let name = member.value()
                    isException = name.kind == .string && text.matches(name, "exception")
                } else if text.matches(key, "attributes") {
                    try attributes.read(&member)
                }
            }
            if isException { exceptionEvent = attributes.exception }
        }
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
