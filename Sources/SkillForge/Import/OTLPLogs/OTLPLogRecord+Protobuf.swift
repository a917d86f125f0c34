extension OTLPLogRecord {
    /// The neutral record of a protobuf `LogRecord` and its resource: the same
    /// values the JSON decoder makes, so both encodings map to the same rows and event keys.
    init(_ record: OTLPProtoLogRecord, resource: OTLPProtoResource) {
        self.init(
            timeUnixNano: record.timeUnixNano, observedTimeUnixNano: record.observedTimeUnixNano,
            eventName: record.eventName.isEmpty ? nil : record.eventName,
            body: record.hasBody ? TelemetryValue(record.body) : nil,
            attributes: record.attributes.map(TelemetryAttribute.init),
            resourceAttributes: resource.attributes.map(TelemetryAttribute.init))
    }
}

extension TelemetryAttribute {
    /// The attribute of a protobuf `KeyValue`.
    init(_ keyValue: OTLPProtoKeyValue) {
        self.init(keyValue.key, keyValue.hasValue ? TelemetryValue(keyValue.value) : .empty)
    }
}

extension TelemetryValue {
    /// The value of a protobuf `AnyValue`; one with no value set is ``empty``.
    init(_ value: OTLPProtoAnyValue) {
        switch value.value {
        case .stringValue(let text)?: self = .string(text)
        case .boolValue(let flag)?: self = .bool(flag)
        case .intValue(let number)?: self = .int(number)
        case .doubleValue(let number)?: self = .double(number)
        case .bytesValue(let data)?: self = .bytes(Array(data))
        case .arrayValue(let array)?: self = .array(array.values.map(TelemetryValue.init))
        case .kvlistValue(let list)?: self = .keyValues(list.values.map(TelemetryAttribute.init))
        case nil: self = .empty
        }
    }
}
