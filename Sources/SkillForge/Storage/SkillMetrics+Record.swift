import GRDB

// MARK: - Record

/// `SkillMetrics` rows are read and written by column position, in the order
/// of ``SkillMetrics/Columns/all``: decoding by position is several times
/// faster than by name or through `Codable`, and exports stream millions of rows.
extension SkillMetrics: FetchableRecord, MutablePersistableRecord {
    public static var databaseTableName: String { Schema.tableName }

    /// The columns of `skill_metrics`.
    public enum Columns {
        public static let id = Column("id")
        public static let skillId = Column("skill_id")
        public static let executionMs = Column("execution_ms")
        public static let tokensIn = Column("tokens_in")
        public static let tokensOut = Column("tokens_out")
        public static let success = Column("success")
        public static let timestamp = Column("timestamp")
        public static let version = Column("version")
        public static let model = Column("model")
        public static let error = Column("error")
        public static let tokensEstimated = Column("tokens_estimated")
        public static let cacheReadTokens = Column("cache_read_tokens")
        public static let cacheCreationTokens = Column("cache_creation_tokens")
        public static let sessionId = Column("session_id")
        public static let runId = Column("run_id")
        public static let source = Column("source")
        public static let metadata = Column("metadata")

        /// Every column except `id`, in the order of ``SkillMetrics/insertArguments``.
        static let stored: [Column] = [
            skillId, executionMs, tokensIn, tokensOut, success, timestamp,
            version, model, error, tokensEstimated, cacheReadTokens, cacheCreationTokens,
            sessionId, runId, source, metadata,
        ]

        /// Every column, in the order `init(row:)` reads them.
        static let all: [Column] = [id] + stored
    }

    /// The SQL names of every column, in table order.
    static let columnNames = Columns.all.map(\.name)

    public static var databaseSelection: [any SQLSelectable] { Columns.all }

    /// Decodes a row, throwing (never trapping) on a NULL in a required column.
    ///
    /// Values of the wrong storage class (text in an integer column) are not
    /// checked here: reads select only rows that pass ``isStoredValid``.
    public init(row: Row) throws {
        self.init(
            id: try row.decode(atIndex: 0),
            skillId: try row.decode(atIndex: 1),
            executionMs: try row.decode(atIndex: 2),
            tokensIn: try row.decode(atIndex: 3),
            tokensOut: try row.decode(atIndex: 4),
            success: try row.decode(atIndex: 5),
            timestamp: try row.decode(atIndex: 6),
            version: try row.decode(atIndex: 7),
            model: try row.decode(atIndex: 8),
            error: try row.decode(atIndex: 9),
            tokensEstimated: try row.decode(atIndex: 10),
            cacheReadTokens: try row.decode(atIndex: 11),
            cacheCreationTokens: try row.decode(atIndex: 12),
            sessionId: try row.decode(atIndex: 13),
            runId: try row.decode(atIndex: 14),
            source: try row.decode(atIndex: 15),
            metadata: try row.decode(atIndex: 16))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        for (column, value) in zip(Columns.stored, insertArguments) {
            container[column] = value
        }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The values of ``Columns/stored``, in that order.
    var insertArguments: [(any DatabaseValueConvertible)?] {
        [
            skillId, executionMs, tokensIn, tokensOut, success, timestamp,
            version, model, error, tokensEstimated, cacheReadTokens, cacheCreationTokens,
            sessionId, runId, source, metadata,
        ]
    }
}

// MARK: - Statements

extension SkillMetrics {
    /// `INSERT` of every stored column, for `db.cachedStatement(sql:)`.
    static let insertSQL = """
        INSERT INTO skill_metrics (\(Columns.stored.map(\.name).joined(separator: ", ")))
        VALUES (\(Array(repeating: "?", count: Columns.stored.count).joined(separator: ", ")))
        """

    /// Like ``insertSQL``, but a row whose `run_id` is already stored is skipped.
    static let insertSkippingKnownRunsSQL = insertSQL + "\nON CONFLICT (run_id) WHERE run_id IS NOT NULL DO NOTHING"
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
