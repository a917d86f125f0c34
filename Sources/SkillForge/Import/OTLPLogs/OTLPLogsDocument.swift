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
                try Self.eachObject(in: &value, named: "resourceLogs") { _, resource in
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
                    if text.matches(key, "attributes") {
                        resourceAttributes = try TelemetryJSON.attributes(attributes.value(), in: text)
                    }
                }
            } else if text.matches(key, "scopeLogs") || text.matches(key, "instrumentationLibraryLogs") {
                // Kept until the resource is read: OTLP puts no order on a message's fields.
                scopes.append(value.value())
            }
        }
        for list in scopes {
            var scopeList = JSONCursor(text, at: list)
            try Self.eachObject(in: &scopeList, named: "scopeLogs") { _, scope in
                try scope.members { key, logs in
                    guard text.matches(key, "logRecords") else { return }
                    try Self.eachObject(in: &logs, named: "logRecords") { _, record in
                        let offset = record.index
                        let object = record.value()
                        do {
                            var decoded = try Self.record(object, in: text)
                            decoded.resourceAttributes = resourceAttributes
                            records.append(Entry(offset: offset, record: .success(decoded)))
                        } catch let error as ShapeError {
                            records.append(Entry(offset: offset, record: .failure(error)))
                        }
                    }
                }
            }
        }
    }

    /// Reads a `LogRecord` object.
    private static func record(_ object: JSONText.Value, in text: JSONText) throws -> OTLPLogRecord {
        var record = OTLPLogRecord()
        try text.members(of: object) { key, value in
            if text.matches(key, "timeUnixNano") {
                record.timeUnixNano = try time(value, named: "timeUnixNano", in: text)
            } else if text.matches(key, "observedTimeUnixNano") {
                record.observedTimeUnixNano = try time(value, named: "observedTimeUnixNano", in: text)
            } else if text.matches(key, "eventName") {
                guard value.kind == .string || value.kind == .null else {
                    throw ShapeError(offset: value.start, problem: "eventName \(text.describe(value)) should be a string")
                }
                if value.kind == .string { record.eventName = try text.string(value) }
            } else if text.matches(key, "body") {
                record.body = try TelemetryJSON.value(value, in: text)
            } else if text.matches(key, "attributes") {
                record.attributes = try TelemetryJSON.attributes(value, in: text)
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
                throw ShapeError(offset: found.start, problem: "\(name)[\(index)] should be an object, found \(text.describe(found))")
            }
            try body(index, &element)
        }
    }
}

// MARK: - AnyValue

/// OTLP JSON's `AnyValue` and `KeyValue` lists.
enum TelemetryJSON {
    /// A list of `KeyValue` objects (`attributes`, a `kvlistValue`'s `values`); null is empty.
    static func attributes(_ list: JSONText.Value, in text: JSONText) throws -> [TelemetryAttribute] {
        if list.kind == .null { return [] }
        guard list.kind == .array else {
            throw ShapeError(offset: list.start, problem: "attributes should be an array, found \(text.describe(list))")
        }
        var attributes: [TelemetryAttribute] = []
        try text.elements(of: list) { element in
            guard element.kind == .object else {
                throw ShapeError(offset: element.start, problem: "an attribute should be an object, found \(text.describe(element))")
            }
            var key: String?
            var value = TelemetryValue.empty
            try text.members(of: element) { name, member in
                if text.matches(name, "key") {
                    guard member.kind == .string else {
                        throw ShapeError(offset: member.start, problem: "an attribute's key should be a string, found \(text.describe(member))")
                    }
                    key = try text.string(member)
                } else if text.matches(name, "value") {
                    value = try Self.value(member, in: text)
                }
            }
            guard let key else { throw ShapeError(offset: element.start, problem: "an attribute has no key") }
            attributes.append(TelemetryAttribute(key, value))
        }
        return attributes
    }

    /// An `AnyValue` object: one of `stringValue`, `boolValue`, `intValue`, `doubleValue`,
    /// `bytesValue`, `arrayValue`, `kvlistValue`; `{}` (and null) is no value.
    static func value(_ object: JSONText.Value, in text: JSONText) throws -> TelemetryValue {
        if object.kind == .null { return .empty }
        guard object.kind == .object else {
            throw ShapeError(offset: object.start, problem: "a value should be an AnyValue object, found \(text.describe(object))")
        }
        var result = TelemetryValue.empty
        try text.members(of: object) { key, member in
            func malformed(_ kind: String) -> ShapeError {
                ShapeError(offset: member.start, problem: "\(text.rawText(key)) \(text.describe(member)) is not \(kind)")
            }
            if text.matches(key, "stringValue") {
                guard member.kind == .string else { throw malformed("a string") }
                result = .string(try text.string(member))
            } else if text.matches(key, "boolValue") {
                switch member.kind {
                case .true: result = .bool(true)
                case .false: result = .bool(false)
                default: throw malformed("true or false")
                }
            } else if text.matches(key, "intValue") {
                guard let number = try OTLPNumber.signed(member, in: text) else { throw malformed("a 64-bit integer") }
                result = .int(number)
            } else if text.matches(key, "doubleValue") {
                guard let number = try double(member, in: text) else { throw malformed("a number") }
                result = .double(number)
            } else if text.matches(key, "bytesValue") {
                guard member.kind == .string, let data = Data(base64Encoded: try text.string(member)) else {
                    throw malformed("base64")
                }
                result = .bytes([UInt8](data))
            } else if text.matches(key, "arrayValue") {
                guard member.kind == .object else { throw malformed("an ArrayValue object") }
                var values: [TelemetryValue] = []
                try text.members(of: member) { name, list in
                    guard text.matches(name, "values"), list.kind != .null else { return }
                    guard list.kind == .array else { throw malformed("an ArrayValue object") }
                    try text.elements(of: list) { values.append(try Self.value($0, in: text)) }
                }
                result = .array(values)
            } else if text.matches(key, "kvlistValue") {
                guard member.kind == .object else { throw malformed("a KeyValueList object") }
                var pairs: [TelemetryAttribute] = []
                try text.members(of: member) { name, list in
                    if text.matches(name, "values") { pairs = try attributes(list, in: text) }
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
