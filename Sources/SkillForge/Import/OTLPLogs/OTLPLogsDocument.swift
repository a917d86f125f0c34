import Foundation

/// One `LogsData` document (an OTLP/HTTP `ExportLogsServiceRequest` is one) in
/// OTLP's JSON encoding: its log records as ``OTLPLogRecord`` values.
///
/// OTLP JSON is protobuf's JSON mapping with lowerCamelCase names: 64-bit
/// integers as decimal strings (numbers accepted too), enums as integers (and
/// names), `bytesValue` in base64, unknown fields ignored. A record whose own
/// fields are malformed is one problem; the others still read.
///
/// ```swift
/// let document = try OTLPLogsDocument(bytes)
/// for entry in document.records { … entry.record, entry.offset … }
/// ```
struct OTLPLogsDocument {
    /// One log record, or why it cannot be read, with the offset of its object in the text.
    struct Entry {
        var offset: Int
        var record: Result<OTLPLogRecord, ShapeError>
    }

    /// The records, in document order.
    private(set) var records: [Entry] = []
    /// Whether the document is of another signal (`resourceSpans`, `resourceMetrics`): it holds no logs.
    private(set) var isOtherSignal = false

    /// Reads the document.
    ///
    /// - Throws: ``JSONText/SyntaxError`` for text that is not JSON, ``ShapeError`` for
    ///   JSON that is not a `LogsData` object (its lists of the wrong type).
    init(_ bytes: [UInt8]) throws {
        let text = JSONText(bytes)
        let root = try text.root()
        guard root.kind == .object else {
            throw ShapeError(offset: root.start, problem: "expected a LogsData object, found \(text.describe(root))")
        }
        var hasLogs = false
        var unknown: String?
        var cursor = JSONCursor(text, at: root)
        try cursor.members { key, value in
            if text.matches(key, "resourceLogs") {
                hasLogs = true
                try OTLPDocument.eachObject(in: &value, named: "resourceLogs") { _, resource in
                    try readResourceLogs(&resource)
                }
            } else if text.matches(key, "resourceSpans") || text.matches(key, "resourceMetrics")
                || text.matches(key, "resourceProfiles")
            {
                isOtherSignal = true
            } else if unknown == nil {
                unknown = text.rawText(key)
            }
        }
        if !hasLogs, !isOtherSignal, let unknown {
            throw ShapeError(offset: root.start, problem: "not an OTLP LogsData object: it has \(unknown) but no \"resourceLogs\"")
        }
    }

    /// Reads a `ResourceLogs`: its resource's attributes, then its scopes' records.
    private mutating func readResourceLogs(_ cursor: inout JSONCursor) throws {
        let text = cursor.text
        var resourceAttributes: [TelemetryAttribute] = []
        var scopes: [JSONText.Value] = []
        try cursor.members { key, value in
            if text.matches(key, "resource") {
                try value.members { key, attributes in
                    if text.matches(key, "attributes") { resourceAttributes = try TelemetryJSON.attributes(&attributes) }
                }
            } else if text.matches(key, "scopeLogs") || text.matches(key, "instrumentationLibraryLogs") {
                // Kept until the resource is read: OTLP puts no order on a message's fields.
                scopes.append(value.value())
            }
        }
        for list in scopes {
            var scopeList = JSONCursor(text, at: list)
            try OTLPDocument.eachObject(in: &scopeList, named: "scopeLogs") { _, scope in
                try scope.members { key, logs in
                    guard text.matches(key, "logRecords") else { return }
                    try OTLPDocument.eachObject(in: &logs, named: "logRecords") { _, record in
                        let offset = record.index
                        // Read with a copy: a malformed record stops it midway, and the list goes on past the record.
                        var reading = record
                        do {
                            var decoded = try Self.record(&reading)
                            decoded.resourceAttributes = resourceAttributes
                            records.append(Entry(offset: offset, record: .success(decoded)))
                            record = reading
                        } catch let error as ShapeError {
                            records.append(Entry(offset: offset, record: .failure(error)))
                            _ = record.value()
                        }
                    }
                }
            }
        }
    }

    /// Reads the `LogRecord` object at `cursor`.
    private static func record(_ cursor: inout JSONCursor) throws -> OTLPLogRecord {
        let text = cursor.text
        var record = OTLPLogRecord()
        try cursor.members { key, value in
            if text.matches(key, "timeUnixNano") {
                record.timeUnixNano = try Self.time(value.value(), named: "timeUnixNano", in: text)
            } else if text.matches(key, "observedTimeUnixNano") {
                record.observedTimeUnixNano = try Self.time(value.value(), named: "observedTimeUnixNano", in: text)
            } else if text.matches(key, "eventName") {
                let found = value.value()
                guard found.kind == .string || found.kind == .null else {
                    throw ShapeError(offset: found.start, problem: "eventName \(text.describe(found)) should be a string")
                }
                if found.kind == .string { record.eventName = try text.string(found) }
            } else if text.matches(key, "body") {
                record.body = try TelemetryJSON.value(&value)
            } else if text.matches(key, "attributes") {
                record.attributes = try TelemetryJSON.attributes(&value)
            }
        }
        return record
    }

    /// A `fixed64` time in Unix nanoseconds: a decimal string or a number; null or absent is 0.
    private static func time(_ value: JSONText.Value, named name: String, in text: JSONText) throws -> UInt64 {
        if value.kind == .null { return 0 }
        guard let nanoseconds = try OTLPNumber.unsigned(value, in: text) else {
            throw ShapeError(offset: value.start, problem: "\(name) \(text.describe(value)) is not a time in Unix nanoseconds")
        }
        return nanoseconds
    }
}

// MARK: - AnyValue

/// OTLP JSON's `AnyValue` and `KeyValue` lists, read with a cursor over validated text.
enum TelemetryJSON {
    /// A list of `KeyValue` objects (`attributes`, a `kvlistValue`'s `values`); null is empty.
    static func attributes(_ cursor: inout JSONCursor) throws -> [TelemetryAttribute] {
        let text = cursor.text
        switch cursor.kind {
        case .null:
            _ = cursor.value()
            return []
        case .array: break
        default:
            let found = cursor.value()
            throw ShapeError(offset: found.start, problem: "attributes should be an array, found \(text.describe(found))")
        }
        var attributes: [TelemetryAttribute] = []
        try cursor.elements { _, element in
            guard element.kind == .object else {
                let found = element.value()
                throw ShapeError(offset: found.start, problem: "an attribute should be an object, found \(text.describe(found))")
            }
            let start = element.index
            var key: String?
            var value = TelemetryValue.empty
            try element.members { name, member in
                if text.matches(name, "key") {
                    let found = member.value()
                    guard found.kind == .string else {
                        throw ShapeError(offset: found.start, problem: "an attribute's key should be a string, found \(text.describe(found))")
                    }
                    key = try text.string(found)
                } else if text.matches(name, "value") {
                    value = try Self.value(&member)
                }
            }
            guard let key else { throw ShapeError(offset: start, problem: "an attribute has no key") }
            attributes.append(TelemetryAttribute(key, value))
        }
        return attributes
    }

    /// An `AnyValue` object: one of `stringValue`, `boolValue`, `intValue`, `doubleValue`,
    /// `bytesValue`, `arrayValue`, `kvlistValue`; `{}` (and null) is no value.
    static func value(_ cursor: inout JSONCursor) throws -> TelemetryValue {
        let text = cursor.text
        switch cursor.kind {
        case .null:
            _ = cursor.value()
            return .empty
        case .object: break
        default:
            let found = cursor.value()
            throw ShapeError(offset: found.start, problem: "a value should be an AnyValue object, found \(text.describe(found))")
        }
        var result = TelemetryValue.empty
        try cursor.members { key, member in
            func malformed(_ found: JSONText.Value, _ kind: String) -> ShapeError {
                ShapeError(offset: found.start, problem: "\(text.rawText(key)) \(text.describe(found)) is not \(kind)")
            }
            if text.matches(key, "stringValue") {
                let found = member.value()
                guard found.kind == .string else { throw malformed(found, "a string") }
                result = .string(try text.string(found))
            } else if text.matches(key, "boolValue") {
                let found = member.value()
                switch found.kind {
                case .true: result = .bool(true)
                case .false: result = .bool(false)
                default: throw malformed(found, "true or false")
                }
            } else if text.matches(key, "intValue") {
                let found = member.value()
                guard let number = try OTLPNumber.signed(found, in: text) else { throw malformed(found, "a 64-bit integer") }
                result = .int(number)
            } else if text.matches(key, "doubleValue") {
                let found = member.value()
                guard let number = try double(found, in: text) else { throw malformed(found, "a number") }
                result = .double(number)
            } else if text.matches(key, "bytesValue") {
                let found = member.value()
                guard found.kind == .string, let data = Data(base64Encoded: try text.string(found)) else {
                    throw malformed(found, "base64")
                }
                result = .bytes([UInt8](data))
            } else if text.matches(key, "arrayValue") {
                guard member.kind == .object else { throw malformed(member.value(), "an ArrayValue object") }
                var values: [TelemetryValue] = []
                try member.members { name, list in
                    guard text.matches(name, "values") else { return }
                    switch list.kind {
                    case .null: _ = list.value()
                    case .array: try list.elements { _, element in values.append(try Self.value(&element)) }
                    default: throw malformed(list.value(), "a list of values")
                    }
                }
                result = .array(values)
            } else if text.matches(key, "kvlistValue") {
                guard member.kind == .object else { throw malformed(member.value(), "a KeyValueList object") }
                var pairs: [TelemetryAttribute] = []
                try member.members { name, list in
                    if text.matches(name, "values") { pairs = try attributes(&list) }
                }
                result = .keyValues(pairs)
            }
        }
        return result
    }

    /// A `double`: a JSON number, or the strings protobuf's JSON mapping uses (`"1.5"`, `"NaN"`, `"Infinity"`).
    private static func double(_ value: JSONText.Value, in text: JSONText) throws -> Double? {
        switch value.kind {
        case .number: return text.double(value)
        case .string:
            let written = try text.string(value)
            switch written {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: return Double(decimalText: written)
            }
        default: return nil
        }
    }
}
