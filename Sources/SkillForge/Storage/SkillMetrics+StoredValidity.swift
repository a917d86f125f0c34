import GRDB

// MARK: - Stored rows that break the rules

// Every write path validates its rows, but anyone can write the file with the
// `sqlite3` shell: negative or huge numbers, text such as 'abc' or '12x', REAL
// 1.5 or blobs in integer columns. Every reader skips such rows, the same way,
// and says how many it skipped (see `ProfilerDB.invalidCount(matching:)`).

extension SkillMetrics {
    /// The SQL condition of a row whose measured columns follow ``validate()``'s
    /// rules: integers (SQLite's storage class, not REAL or TEXT) within
    /// ``MetricLimits``, `success` and `tokens_estimated` 0 or 1, text skill ids,
    /// versions and models.
    ///
    /// It reads only the columns of the covering index `idx_skill_runs`, so the
    /// analysis keeps reading the index alone. It is never NULL, so `NOT` of it
    /// selects exactly the rows it rejects.
    static let isStoredValid: SQL = {
        func integer(_ column: SQL, in range: ClosedRange<Int64>, optional: Bool = false) -> SQL {
            let check: SQL =
                "(typeof(\(column)) = 'integer' AND \(column) BETWEEN \(range.lowerBound) AND \(range.upperBound))"
            return optional ? "(\(column) IS NULL OR \(check))" : check
        }
        func text(_ column: SQL, optional: Bool) -> SQL {
            optional ? "(\(column) IS NULL OR typeof(\(column)) = 'text')" : "typeof(\(column)) = 'text'"
        }
        let tokens = 0...MetricLimits.maximumTokens
        let conditions: [SQL] = [
            text("skill_id", optional: false),
            integer("execution_ms", in: 0...MetricLimits.maximumExecutionMs),
            integer("tokens_in", in: tokens),
            integer("tokens_out", in: tokens),
            integer("success", in: 0...1),
            integer("timestamp", in: MetricLimits.earliestTimestamp...(MetricLimits.latestTimestamp - 1)),
            integer("tokens_estimated", in: 0...1, optional: true),
            integer("cache_read_tokens", in: tokens, optional: true),
            integer("cache_creation_tokens", in: tokens, optional: true),
            text("version", optional: true),
            text("model", optional: true),
        ]
        return "(" + conditions.joined(separator: " AND ") + ")"
    }()
}

extension QueryInterfaceRequest<SkillMetrics> {
    /// Only the rows that follow the rules of the store (see ``SkillMetrics/isStoredValid``).
    func validRows() -> Self {
        filter(literal: SkillMetrics.isStoredValid)
    }
}
