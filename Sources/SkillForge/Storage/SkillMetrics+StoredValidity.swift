import GRDB
import GRDBSQLite

// MARK: - Stored rows that break the rules

// Every write path validates its rows, but anyone can write the file with the
// `sqlite3` shell: negative or huge numbers, text such as 'abc' or '12x', REAL
// 1.5 or blobs in integer columns. Every reader skips such rows, the same way,
// and says how many it skipped (see `ProfilerDB.invalidCount(matching:)`).

extension SkillMetrics {
    /// The SQL condition of a row whose measured columns follow ``validate()``'s
    /// rules: a text skill id; integers (SQLite's storage class, not REAL, TEXT
    /// or BLOB) within ``MetricLimits``; `success` and `tokens_estimated` 0 or 1.
    ///
    /// It reads only the columns of the covering index `idx_skill_runs`, so the
    /// analysis keeps reading the index alone, and it is never NULL, so `NOT` of
    /// it selects exactly the rows it rejects. It is written for speed (every
    /// analysed row is checked): one `typeof` of the sum of the integer columns,
    /// which is 'integer' only when every term is an integer (a REAL or an
    /// overflow makes it 'real', a NULL 'null'); then ranges, which TEXT and BLOB
    /// values never fall in (SQLite orders them after every number). The unary
    /// `+` keeps the planner from using `idx_timestamp` for the range instead of
    /// the covering index.
    static let isStoredValid: SQL = {
        let nullable: [SQL] = ["tokens_estimated", "cache_read_tokens", "cache_creation_tokens"]
        let optional: [SQL] = nullable.map { column in "ifnull(\(column), 0)" }
        let required: [SQL] = ["execution_ms", "tokens_in", "tokens_out", "success", "timestamp"]
        let sum = (required + optional).joined(separator: " + ")
        let tokens = 0...MetricLimits.maximumTokens
        let ranges: [(SQL, ClosedRange<Int64>)] = [
            ("+execution_ms", 0...MetricLimits.maximumExecutionMs),
            ("+tokens_in", tokens),
            ("+tokens_out", tokens),
            ("+success", 0...1),
            ("+timestamp", MetricLimits.earliestTimestamp...(MetricLimits.latestTimestamp - 1)),
            (optional[0], 0...1),
            (optional[1], tokens),
            (optional[2], tokens),
        ]
        let conditions: [SQL] =
            ["typeof(skill_id) = 'text'", "typeof(\(sum)) = 'integer'"]
            + ranges.map { column, range in "\(column) BETWEEN \(range.lowerBound) AND \(range.upperBound)" }
        return "(" + conditions.joined(separator: " AND ") + ")"
    }()
}

extension SkillMetrics {
    /// The rules of ``isStoredValid``, checked on the current row of a statement
    /// that selects the columns of ``ScannedColumn`` in its order: the scans' way,
    /// much cheaper per row than the SQL.
    static func isStoredValid(scanned handle: SQLiteStatement) -> Bool {
        func integer(_ column: ScannedColumn, in range: ClosedRange<Int64>, orNull: Bool = false) -> Bool {
            switch sqlite3_column_type(handle, column.rawValue) {
            case SQLITE_INTEGER: range.contains(sqlite3_column_int64(handle, column.rawValue))
            case SQLITE_NULL: orNull
            default: false
            }
        }
        let tokens = 0...MetricLimits.maximumTokens
        return sqlite3_column_type(handle, ScannedColumn.skillId.rawValue) == SQLITE_TEXT
            && integer(.executionMs, in: 0...MetricLimits.maximumExecutionMs)
            && integer(.tokensIn, in: tokens)
            && integer(.tokensOut, in: tokens)
            && integer(.success, in: 0...1)
            && integer(.timestamp, in: MetricLimits.earliestTimestamp...(MetricLimits.latestTimestamp - 1))
            && integer(.tokensEstimated, in: 0...1, orNull: true)
            && integer(.cacheReadTokens, in: tokens, orNull: true)
            && integer(.cacheCreationTokens, in: tokens, orNull: true)
    }
}

extension QueryInterfaceRequest<SkillMetrics> {
    /// Only the rows that follow the rules of the store (see ``SkillMetrics/isStoredValid``).
    func validRows() -> Self {
        filter(literal: SkillMetrics.isStoredValid)
    }
}
