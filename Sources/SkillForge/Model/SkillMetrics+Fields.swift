// Every place that handles a metric field by field (the column list of an
// `INSERT`, the bound arguments, the decoding of a row, imports, the CSV and
// JSONL writers) goes through `SkillMetrics.CodingKeys` and the two exhaustive
// `switch`es below: `subscript(field:)` to get a value, `init(fields:)` to set
// them all. A new field fails to compile until both handle it, and no list of
// columns is kept in step with another by hand.

// MARK: - Fields

extension SkillMetrics.CodingKeys {
    /// The name of the field's column in `skill_metrics`, which CSV headers and messages use too.
    package var columnName: String {
        switch self {
        case .id: "id"
        case .skillId: "skill_id"
        case .executionMs: "execution_ms"
        case .tokensIn: "tokens_in"
        case .tokensOut: "tokens_out"
        case .success: "success"
        case .timestamp: "timestamp"
        case .version: "version"
        case .model: "model"
        case .error: "error"
        case .tokensEstimated: "tokens_estimated"
        case .cacheReadTokens: "cache_read_tokens"
        case .cacheCreationTokens: "cache_creation_tokens"
        case .sessionId: "session_id"
        case .runId: "run_id"
        case .source: "source"
        case .metadata: "metadata"
        case .costUsd: "cost_usd"
        case .tokensKnown: "tokens_known"
        case .costEstimated: "cost_estimated"
        }
    }

    /// Whether a record may leave the field out when it says `tokensKnown: false`:
    /// the token counts, which a run whose tokens are unknown has none of.
    var isTokenCount: Bool { self == .tokensIn || self == .tokensOut }

    /// Whether every metric has the field: the seed's `NOT NULL` columns but `id`
    /// (the token counts only when the tokens are known, see ``isTokenCount``).
    var isRequired: Bool {
        switch self {
        case .skillId, .executionMs, .tokensIn, .tokensOut, .success, .timestamp: true
        case .id, .version, .model, .error, .tokensEstimated, .cacheReadTokens, .cacheCreationTokens, .sessionId,
            .runId, .source, .metadata, .costUsd, .tokensKnown, .costEstimated:
            false
        }
    }
}

// MARK: - Getting values

extension SkillMetrics {
    /// A field's value, with the type its column stores; `nil` is NULL.
    package enum Value: Hashable, Sendable {
        case integer(Int64?)
        case text(String?)
        case boolean(Bool?)
        case real(Double?)
    }

    /// The value of one field.
    ///
    /// ```swift
    /// run[.tokensIn]   // .integer(1_200)
    /// ```
    package subscript(field: CodingKeys) -> Value {
        switch field {
        case .id: .integer(id)
        case .skillId: .text(skillId)
        case .executionMs: .integer(executionMs)
        case .tokensIn: .integer(tokensIn)
        case .tokensOut: .integer(tokensOut)
        case .success: .boolean(success)
        case .timestamp: .integer(timestamp)
        case .version: .text(version)
        case .model: .text(model)
        case .error: .text(error)
        case .tokensEstimated: .boolean(tokensEstimated)
        case .cacheReadTokens: .integer(cacheReadTokens)
        case .cacheCreationTokens: .integer(cacheCreationTokens)
        case .sessionId: .text(sessionId)
        case .runId: .text(runId)
        case .source: .text(source)
        case .metadata: .text(metadata)
        case .costUsd: .real(costUsd)
        case .tokensKnown: .boolean(tokensKnown)
        case .costEstimated: .boolean(costEstimated)
        }
    }
}

// MARK: - Setting values

/// Gives a metric's values one field at a time, with the method of the field's
/// type: a fetched row (by position), an imported record (by name).
package protocol MetricFieldSource {
    associatedtype Failure: Error
    func integer(_ field: SkillMetrics.CodingKeys) throws(Failure) -> Int64?
    func text(_ field: SkillMetrics.CodingKeys) throws(Failure) -> String?
    func boolean(_ field: SkillMetrics.CodingKeys) throws(Failure) -> Bool?
    func real(_ field: SkillMetrics.CodingKeys) throws(Failure) -> Double?
    /// The error for a required field (``SkillMetrics/CodingKeys/isRequired``) that has no value.
    func missing(_ field: SkillMetrics.CodingKeys) -> Failure
}

extension SkillMetrics {
    /// A metric made of the values `values` gives for every field, asked for in
    /// the order of ``CodingKeys`` (not yet validated).
    ///
    /// ```swift
    /// let run = try SkillMetrics(fields: FetchedRow(row: row))
    /// ```
    ///
    /// `tokensIn` and `tokensOut` may be left out (as 0) when `tokensKnown` is
    /// `false`: a run whose tokens are unknown has none to give.
    ///
    /// - Throws: What `values` throws, or its ``MetricFieldSource/missing(_:)``
    ///   error for a required field without a value.
    package init<Source: MetricFieldSource>(fields values: Source) throws(Source.Failure) {
        func required<Value>(_ value: Value?, _ field: CodingKeys) throws(Source.Failure) -> Value {
            guard let value else { throw values.missing(field) }
            return value
        }
        self.init(skillId: "", executionMs: 0, tokensIn: 0, tokensOut: 0, success: false, timestamp: 0)
        var missingTokens: CodingKeys?
        for field in CodingKeys.allCases {
            switch field {
            case .id: id = try values.integer(field)
            case .skillId: skillId = try required(values.text(field), field)
            case .executionMs: executionMs = try required(values.integer(field), field)
            case .tokensIn, .tokensOut:
                let value = try values.integer(field)
                if value == nil, missingTokens == nil { missingTokens = field }
                if field == .tokensIn { tokensIn = value ?? 0 } else { tokensOut = value ?? 0 }
            case .success: success = try required(values.boolean(field), field)
            case .timestamp: timestamp = try required(values.integer(field), field)
            case .version: version = try values.text(field)
            case .model: model = try values.text(field)
            case .error: error = try values.text(field)
            case .tokensEstimated: tokensEstimated = try values.boolean(field)
            case .cacheReadTokens: cacheReadTokens = try values.integer(field)
            case .cacheCreationTokens: cacheCreationTokens = try values.integer(field)
            case .sessionId: sessionId = try values.text(field)
            case .runId: runId = try values.text(field)
            case .source: source = try values.text(field)
            case .metadata: metadata = try values.text(field)
            case .costUsd: costUsd = try values.real(field)
            case .tokensKnown: tokensKnown = try values.boolean(field)
            case .costEstimated: costEstimated = try values.boolean(field)
            }
        }
        if let missingTokens, tokensKnown != false { throw values.missing(missingTokens) }
    }
}
