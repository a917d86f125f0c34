import Foundation

// MARK: - Spans

extension OTLPSpan {
    /// Reads a span of OTLP's protobuf encoding into what the JSON reader makes of the same span.
    ///
    /// - Parameter offset: The span's position among the request's spans (protobuf has no lines).
    init(_ span: OTLPProtoSpan, offset: Int) {
        self.offset = offset
        name = span.name.isEmpty ? nil : span.name
        traceId = id(span.traceID, named: "traceId", bytes: 16)
        spanId = id(span.spanID, named: "spanId", bytes: 8)
        parentSpanId = id(span.parentSpanID, named: "parentSpanId", bytes: 8)
        // As in JSON, a zero time is no time.
        startNano = span.startTimeUnixNano == 0 ? nil : span.startTimeUnixNano
        endNano = span.endTimeUnixNano == 0 ? nil : span.endTimeUnixNano
        attributes.read(span.attributes)
        switch span.status.code {
        case .unset, .ok: break
        case .error: isError = true
        case .UNRECOGNIZED(let code): note("status.code \(code): not a status code (0, 1 or 2)")
        }
        let message = span.status.message
        statusMessage = message.isEmpty || message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : message
        if let event = span.events.first(where: { $0.name == "exception" }) {
            var attributes = SpanAttributes()
            attributes.read(event.attributes)
            exceptionEvent = attributes.exception
        }
    }

    /// An id as lowercase hex, `nil` when empty (absent); an id of the wrong length is the span's problem.
    private mutating func id(_ bytes: Data, named name: String, bytes length: Int) -> String? {
        if bytes.isEmpty { return nil }
        guard bytes.count == length else {
            note("\(name) \(Hex.string(bytes)) is \(bytes.count) bytes, not \(length)")
            return nil
        }
        return Hex.string(bytes)
    }
}

// MARK: - Attributes

extension SpanAttributes {
    /// Reads protobuf `KeyValue`s, interpreted exactly as the JSON reader interprets `attributes`.
    mutating func read(_ keyValues: [OTLPProtoKeyValue]) {
        for keyValue in keyValues {
            guard let name = AttributeKey.find(keyValue.key) else { continue }
            set(name, to: AttributeValue(keyValue.hasValue ? keyValue.value : nil))
        }
    }
}

extension AttributeValue {
    /// A protobuf `AnyValue`: no value set (or no `AnyValue` at all) is empty, as `"value":{}` is in JSON.
    init(_ value: OTLPProtoAnyValue?) {
        switch value?.value {
        case nil: self = .empty
        case .stringValue(let text): self = .string(text)
        case .intValue(let number): self = .integer(number)
        case .doubleValue(let number): self = .double(number)
        case .boolValue(let flag): self = .boolean(flag)
        case .arrayValue: self = .other("an arrayValue")
        case .kvlistValue: self = .other("a kvlistValue")
        case .bytesValue: self = .other("a bytesValue")
        }
    }
}
