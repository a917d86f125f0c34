import Crypto

/// One OpenTelemetry log record, as an encoding of OTLP decodes it: the neutral
/// value that the mapping of Claude Code's events reads. The JSON decoder
/// (``OTLPLogsDocument``) makes these; a protobuf decoder of
/// `ExportLogsServiceRequest` makes the same values from its messages and hands
/// them to the same mapping (``ClaudeCodeEvent/init(_:options:)``), so both
/// encodings give the same rows and the same event keys.
///
/// ```swift
/// let record = OTLPLogRecord(
///     timeUnixNano: 1_795_132_801_250_000_000, body: .string("claude_code.tool_result"),
///     attributes: [.init("tool_name", .string("Skill")), .init("duration_ms", .int(250))])
/// ```
struct OTLPLogRecord: Sendable, Hashable {
    /// `time_unix_nano`, 0 when unset.
    var timeUnixNano: UInt64 = 0
    /// `observed_time_unix_nano`, 0 when unset.
    var observedTimeUnixNano: UInt64 = 0
    /// `event_name` (OTLP 1.5's field for events), when given.
    var eventName: String?
    var body: TelemetryValue?
    var attributes: [TelemetryAttribute] = []
    /// The attributes of the record's resource.
    var resourceAttributes: [TelemetryAttribute] = []

    init(
        timeUnixNano: UInt64 = 0, observedTimeUnixNano: UInt64 = 0, eventName: String? = nil, body: TelemetryValue? = nil,
        attributes: [TelemetryAttribute] = [], resourceAttributes: [TelemetryAttribute] = []
    ) {
        self.timeUnixNano = timeUnixNano
        self.observedTimeUnixNano = observedTimeUnixNano
        self.eventName = eventName
        self.body = body
        self.attributes = attributes
        self.resourceAttributes = resourceAttributes
    }

    /// The value of the record's first attribute named `key`, else its resource's.
    func attribute(_ key: String) -> TelemetryValue? {
        attributes.first { $0.key == key }?.value ?? resourceAttributes.first { $0.key == key }?.value
    }
}

/// An OTLP `AnyValue`.
enum TelemetryValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    case array([TelemetryValue])
    case keyValues([TelemetryAttribute])
    /// No value at all (`{}`).
    case empty

    /// The value as text, for a string.
    var text: String? {
        if case .string(let text) = self { text } else { nil }
    }
}

/// An OTLP `KeyValue`: an attribute.
struct TelemetryAttribute: Sendable, Hashable {
    var key: String
    var value: TelemetryValue

    init(_ key: String, _ value: TelemetryValue) {
        self.key = key
        self.value = value
    }
}

// MARK: - Identity

extension OTLPLogRecord {
    /// The key of the record's identity, which ``RunContribution/eventKey`` carries:
    /// the first 8 bytes of the SHA-256 of its event name, `time_unix_nano`,
    /// session id (its own or its resource's) and every attribute of its own
    /// (sorted by key, each value with its type), read big-endian as a signed
    /// 64-bit integer. A record sent again, in JSON or in protobuf, has the same
    /// key; the observed time and the resource's other attributes (which a
    /// Collector on the way may add) are left out.
    func identityKey(eventName name: String) -> Int64 {
        var hasher = SHA256()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        Self.appendText(name, to: &bytes)
        Self.appendText(String(timeUnixNano), to: &bytes)
        Self.appendText(attribute("session.id")?.text ?? "", to: &bytes)
        for attribute in attributes.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            Self.appendText(attribute.key, to: &bytes)
            Self.append(attribute.value, to: &bytes)
        }
        hasher.update(data: bytes)
        let bits = hasher.finalize().prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int64(bitPattern: bits)
    }

    /// A text with its length first, so that no two sequences of texts encode alike.
    private static func appendText(_ text: String, to bytes: inout [UInt8]) {
        appendLength(text.utf8.count, to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private static func appendLength(_ count: Int, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt64(count).bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// A value: a byte for its type, then its contents.
    private static func append(_ value: TelemetryValue, to bytes: inout [UInt8]) {
        switch value {
        case .string(let text):
            bytes.append(1)
            appendText(text, to: &bytes)
        case .bool(let flag):
            bytes.append(2)
            bytes.append(flag ? 1 : 0)
        case .int(let number):
            bytes.append(3)
            withUnsafeBytes(of: number.bigEndian) { bytes.append(contentsOf: $0) }
        case .double(let number):
            bytes.append(4)
            withUnsafeBytes(of: number.bitPattern.bigEndian) { bytes.append(contentsOf: $0) }
        case .bytes(let data):
            bytes.append(5)
            appendLength(data.count, to: &bytes)
            bytes.append(contentsOf: data)
        case .array(let values):
            bytes.append(6)
            appendLength(values.count, to: &bytes)
            for element in values { append(element, to: &bytes) }
        case .keyValues(let pairs):
            bytes.append(7)
            appendLength(pairs.count, to: &bytes)
            for pair in pairs {
                appendText(pair.key, to: &bytes)
                append(pair.value, to: &bytes)
            }
        case .empty:
            bytes.append(0)
        }
    }
}
