import PostgresNIO
import SkillForge

// MARK: - Columns

/// The columns of `skill_metrics`, derived from ``SkillMetrics``'s fields: the
/// one place that orders them. Reads select ``selected`` and decode field `f`
/// at index `f.rawValue`; writes bind ``written`` in its order.
enum PostgresColumns {
    /// `cost_usd` in whole nanodollars, for sums and percentiles: a generated column.
    static let costNanodollars = "cost_nanodollars"

    /// How the column is generated from `cost_usd`, as ``SkillForge/Nanodollars`` computes it:
    /// rounded half away from zero (`x - floor(x)` is exact), unknown outside 0 … `maximumCostUsd`
    /// (which also leaves out NaN, the largest value to PostgreSQL, and infinities).
    static let costNanodollarsExpression = """
        CASE WHEN cost_usd >= 0 AND cost_usd <= \(MetricLimits.maximumCostUsd) THEN (CASE \
        WHEN cost_usd * 1e9::float8 - floor(cost_usd * 1e9::float8) >= 0.5 THEN ceil(cost_usd * 1e9::float8) \
        ELSE floor(cost_usd * 1e9::float8) END)::bigint END
        """

    /// The condition of a run whose tokens are known (``SkillMetrics/hasKnownTokens``).
    static let tokensKnown = "tokens_known IS NOT FALSE"

    /// Every field's column, `id` first: what reads select.
    static let selected = SkillMetrics.CodingKeys.allCases.map(\.columnName).joined(separator: ", ")

    /// The fields a write binds: every field but `id`.
    static let writtenFields = SkillMetrics.CodingKeys.allCases.filter { $0 != .id }

    /// The columns a write binds, in the order of ``bind(_:to:)``.
    static let written = writtenFields.map(\.columnName).joined(separator: ", ")

    /// How many values ``bind(_:to:)`` appends for one run.
    static let writtenCount = writtenFields.count

    /// Appends a run's values in the order of ``written``.
    static func bind(_ metric: SkillMetrics, to binds: inout PostgresBindings) {
        for field in writtenFields {
            switch metric[field] {
            case .integer(let value): binds.append(value)
            case .text(let value): binds.append(value)
            case .boolean(let value): binds.append(value)
            case .real(let value): binds.append(value)
            }
        }
    }

    /// Appends the runs' values as one array a column, in the order of ``written``:
    /// what `unnest($1, $2, …)` turns back into rows, one statement of a few
    /// arguments however many runs it writes.
    static func bindColumns(of metrics: ArraySlice<SkillMetrics>, to binds: inout PostgresBindings) {
        guard let first = metrics.first else { return }
        for field in writtenFields {
            // A field's value has the same case in every run: the first run's gives the array's type.
            switch first[field] {
            case .integer:
                binds.append(PostgresNullableArray(metrics.map { if case .integer(let value) = $0[field] { value } else { nil } }))
            case .text:
                binds.append(PostgresNullableArray(metrics.map { if case .text(let value) = $0[field] { value } else { nil } }))
            case .boolean:
                binds.append(PostgresNullableArray(metrics.map { if case .boolean(let value) = $0[field] { value } else { nil } }))
            case .real:
                binds.append(PostgresNullableArray(metrics.map { if case .real(let value) = $0[field] { value } else { nil } }))
            }
        }
    }

    /// `$first, $first+1, …` for one run's values, in parentheses.
    static func placeholders(from first: Int) -> String {
        "(" + (first..<(first + writtenCount)).map { "$\($0)" }.joined(separator: ", ") + ")"
    }
}

// MARK: - Rows

/// A row that selects ``PostgresColumns/selected``, as a metric's field source.
struct SelectedRow: MetricFieldSource {
    let cells: PostgresRandomAccessRow
    /// The store's location, for errors.
    let location: String

    func integer(_ field: SkillMetrics.CodingKeys) throws(ProfilerError) -> Int64? { try decode(Int64?.self, field) }
    func text(_ field: SkillMetrics.CodingKeys) throws(ProfilerError) -> String? { try decode(String?.self, field) }
    func boolean(_ field: SkillMetrics.CodingKeys) throws(ProfilerError) -> Bool? { try decode(Bool?.self, field) }
    func real(_ field: SkillMetrics.CodingKeys) throws(ProfilerError) -> Double? { try decode(Double?.self, field) }

    func missing(_ field: SkillMetrics.CodingKeys) -> ProfilerError {
        // Unreachable through the schema (the column is NOT NULL), but never a trap.
        .database(path: location, message: "a stored run has no \(field.columnName)")
    }

    private func decode<Value: PostgresDecodable>(
        _ type: Value.Type, _ field: SkillMetrics.CodingKeys
    ) throws(ProfilerError) -> Value {
        do {
            return try cells[field.rawValue].decode(type)
        } catch {
            throw .database(path: location, message: "a stored run's \(field.columnName) cannot be read: \(error)", cause: error)
        }
    }
}

extension SkillMetrics {
    /// The run a row of ``PostgresColumns/selected`` holds.
    init(postgresRow row: PostgresRow, location: String) throws(ProfilerError) {
        try self.init(fields: SelectedRow(cells: row.makeRandomAccess(), location: location))
    }
}
