import GRDB

// MARK: - Record

/// `SkillMetrics` rows are read and written by column position, in the order
/// of ``SkillMetrics/CodingKeys``: decoding by position is several times
/// faster than by name or through `Codable`, and exports stream millions of rows.
extension SkillMetrics: FetchableRecord, MutablePersistableRecord {
    public static var databaseTableName: String { Schema.tableName }

    /// The columns of `skill_metrics`, named by ``SkillMetrics/CodingKeys``.
    public enum Columns {
        public static let id = Column(CodingKeys.id.columnName)
        public static let skillId = Column(CodingKeys.skillId.columnName)
        public static let executionMs = Column(CodingKeys.executionMs.columnName)
        public static let tokensIn = Column(CodingKeys.tokensIn.columnName)
        public static let tokensOut = Column(CodingKeys.tokensOut.columnName)
        public static let success = Column(CodingKeys.success.columnName)
        public static let timestamp = Column(CodingKeys.timestamp.columnName)
        public static let version = Column(CodingKeys.version.columnName)
        public static let model = Column(CodingKeys.model.columnName)
        public static let error = Column(CodingKeys.error.columnName)
        public static let tokensEstimated = Column(CodingKeys.tokensEstimated.columnName)
        public static let cacheReadTokens = Column(CodingKeys.cacheReadTokens.columnName)
        public static let cacheCreationTokens = Column(CodingKeys.cacheCreationTokens.columnName)
        public static let sessionId = Column(CodingKeys.sessionId.columnName)
        public static let runId = Column(CodingKeys.runId.columnName)
        public static let source = Column(CodingKeys.source.columnName)
        public static let metadata = Column(CodingKeys.metadata.columnName)
        public static let costUsd = Column(CodingKeys.costUsd.columnName)
        public static let costEstimated = Column(CodingKeys.costEstimated.columnName)

        /// The key of `run_id` that duplicate checks look up (``RunKey``): kept by
        /// the store, not a field of a metric.
        static let runKey = Column("run_key")

        /// Every field's column, in the order of ``SkillMetrics/CodingKeys``.
        static let all = CodingKeys.allCases.map { Column($0.columnName) }
    }

    public static var databaseSelection: [any SQLSelectable] { Columns.all }

    /// Decodes a row of ``databaseSelection``, throwing (never trapping) on a NULL in a required column.
    ///
    /// Values of the wrong storage class (text in an integer column) are not
    /// checked here: reads select only rows that pass ``isStoredValid``.
    public init(row: Row) throws {
        try self.init(fields: SelectedRow(row: row))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        for field in CodingKeys.allCases {
            container[field.columnName] = self[field].databaseValue
        }
        container[Columns.runKey] = runKey
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The key of ``runId``, stored in `run_key`.
    var runKey: Int64? { runId.map(RunKey.of) }
}

/// A row of ``SkillMetrics/databaseSelection``: field `f` is at index `f.rawValue`.
private struct SelectedRow: MetricFieldSource {
    typealias Failure = any Error
    let row: Row

    func integer(_ field: SkillMetrics.CodingKeys) throws -> Int64? { try row.decode(atIndex: field.rawValue) }
    func text(_ field: SkillMetrics.CodingKeys) throws -> String? { try row.decode(atIndex: field.rawValue) }
    func boolean(_ field: SkillMetrics.CodingKeys) throws -> Bool? {
        switch field {
        case .tokensKnown: Self.tokensKnown(row[field.rawValue])
        case .costEstimated: Self.costEstimated(row[field.rawValue])
        default: try row.decode(atIndex: field.rawValue)
        }
    }

    func real(_ field: SkillMetrics.CodingKeys) throws -> Double? { try row.decode(atIndex: field.rawValue) }

    func missing(_ field: SkillMetrics.CodingKeys) -> any Error {
        DatabaseError(resultCode: .SQLITE_MISMATCH, message: "NULL in the required column \(field.columnName)")
    }

    /// `tokens_known` as ``Measure/knownTokensCondition`` reads it, whatever another tool
    /// stored (no value of it makes a row invalid): `false` for the number 0, `nil` for NULL,
    /// `true` for anything else (1, 2, 'yes').
    private static func tokensKnown(_ value: DatabaseValue) -> Bool? {
        switch value.storage {
        case .null: nil
        case .int64(let number): number != 0
        case .double(let number): number != 0
        case .string, .blob: true
        }
    }

    /// `cost_estimated` as ``Measure/estimatedCostCondition`` reads it, whatever another tool
    /// stored: `true` for the number 1, `nil` for NULL, `false` (a stated cost) for anything else.
    private static func costEstimated(_ value: DatabaseValue) -> Bool? {
        switch value.storage {
        case .null: nil
        case .int64(let number): number == 1
        case .double(let number): number == 1
        case .string, .blob: false
        }
    }
}

extension SkillMetrics.Value {
    /// The value as GRDB stores it (a boolean as 1 or 0).
    var databaseValue: DatabaseValue {
        switch self {
        case .integer(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .boolean(let flag): flag.databaseValue
        case .real(let number): number.databaseValue
        }
    }
}

// MARK: - Statements

extension SkillMetrics {
    /// A column an `INSERT` writes: a stored field, or the key of its run id.
    enum InsertedColumn {
        case field(CodingKeys)
        case runKey

        var name: String {
            switch self {
            case .field(let field): field.columnName
            case .runKey: Columns.runKey.name
            }
        }
    }

    /// The columns of ``insertSQL``, which are its parameters in this order
    /// (parameter `n` is `insertedColumns[n - 1]`): every field but `id`, then `run_key`.
    static let insertedColumns: [InsertedColumn] = CodingKeys.allCases.filter { $0 != .id }.map(InsertedColumn.field)
        + [.runKey]

    /// `INSERT` of every stored column, for `db.cachedStatement(sql:)`.
    static let insertSQL = """
        INSERT INTO skill_metrics (\(insertedColumns.map(\.name).joined(separator: ", ")))
        VALUES (\(Array(repeating: "?", count: insertedColumns.count).joined(separator: ", ")))
        """

    /// The ids of the rows that hold the run id `:run_id`, whose key is `:run_key`:
    /// the duplicate check, run before ``insertSQL`` in the same transaction.
    ///
    /// Rows written by Skill Forge are found through `idx_run_key`, and the run
    /// id decides (two run ids may share a key: both are stored); rows that
    /// another tool wrote without a key through `idx_run_id_unkeyed`, which holds
    /// only those and is empty in normal use. Two branches, not one `OR`, let
    /// SQLite use both indexes.
    static let storedRunSQL = """
        SELECT id FROM skill_metrics WHERE run_key = :run_key AND run_id = :run_id
        UNION ALL
        SELECT id FROM skill_metrics WHERE run_key IS NULL AND run_id = :run_id
        """
}

// MARK: - Requests

extension DerivableRequest<SkillMetrics> {
    /// Runs of one skill.
    func forSkill(_ skillId: String) -> Self {
        filter(SkillMetrics.Columns.skillId == skillId)
    }

    /// Runs whose id is at most `lastId`; every run when it is `nil`.
    func upToId(_ lastId: Int64?) -> Self {
        lastId.map { filter(SkillMetrics.Columns.id <= $0) } ?? self
    }

}

extension QueryInterfaceRequest<SkillMetrics> {
    /// Runs that match every condition of `filter` (ordering and limit included).
    func matching(_ filter: MetricsFilter) -> Self {
        var request = self
        if let skillId = filter.skillId { request = request.forSkill(skillId) }
        if let since = filter.window.sinceMilliseconds {
            request = request.filter(SkillMetrics.Columns.timestamp >= since)
        }
        if let until = filter.window.untilMilliseconds {
            request = request.filter(SkillMetrics.Columns.timestamp < until)
        }
        if let version = filter.version { request = request.filter(SkillMetrics.Columns.version == version) }
        if let model = filter.model { request = request.filter(SkillMetrics.Columns.model == model) }
        switch filter.order {
        case .oldestFirst:
            request = request.order(SkillMetrics.Columns.timestamp, SkillMetrics.Columns.id)
        case .newestFirst:
            request = request.order(SkillMetrics.Columns.timestamp.desc, SkillMetrics.Columns.id.desc)
        case .insertion:
            request = request.order(SkillMetrics.Columns.id)
        }
        if let limit = filter.limit { request = request.limit(limit) }
        return request
    }
}
