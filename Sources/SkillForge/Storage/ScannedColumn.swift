import GRDB

/// The columns a scan of runs selects (``ProfilerDB/scanRuns(_:into:)``), in
/// this order: a column's `rawValue` is its position in the `SELECT` list,
/// where the raw `sqlite3_column_*` reads of each row find it.
///
/// ```swift
/// ScannedColumn.selection(side: "0")   // skill_id, execution_ms, …, tokens_known, cost_usd, 0
/// sqlite3_column_int64(handle, ScannedColumn.tokensIn.rawValue)
/// ```
enum ScannedColumn: Int32, CaseIterable {
    case skillId, executionMs, tokensIn, tokensOut, success, timestamp
    case tokensEstimated, cacheReadTokens, cacheCreationTokens, tokensKnown, costUsd
    /// Which comparison side the run belongs to: an expression, not a stored column.
    case side

    /// The field the column holds; `nil` for ``side``.
    var field: SkillMetrics.CodingKeys? {
        switch self {
        case .skillId: .skillId
        case .executionMs: .executionMs
        case .tokensIn: .tokensIn
        case .tokensOut: .tokensOut
        case .success: .success
        case .timestamp: .timestamp
        case .tokensEstimated: .tokensEstimated
        case .cacheReadTokens: .cacheReadTokens
        case .cacheCreationTokens: .cacheCreationTokens
        case .tokensKnown: .tokensKnown
        case .costUsd: .costUsd
        case .side: nil
        }
    }

    /// The `SELECT` list of a scan: every column in order, `side` as ``side``.
    static func selection(side: SQL) -> SQL {
        allCases.map { column in column.field.map { SQL(sql: $0.columnName) } ?? side }.joined(separator: ", ")
    }
}
