import SkillForge

// MARK: - Measures

extension PostgresRollups {
    /// A column of the rollups and how a group of runs sums it. Sums are NUMERIC: a
    /// group's cannot overflow, and reads cap them at `Int64.max` as `RunTotals` does.
    enum Measure: CaseIterable {
        case runs, failures, executionMsSum, executionMsSquares, executionMsMin, executionMsMax
        case tokenRuns, tokensInSum, tokensOutSum, cacheReadTokensSum, cacheCreationTokensSum, estimatedRuns
        case firstRun, lastRun, costRuns, costNanodollarsSum

        var column: String {
            switch self {
            case .runs: "runs"
            case .failures: "failures"
            case .executionMsSum: "execution_ms_sum"
            case .executionMsSquares: "execution_ms_squares"
            case .executionMsMin: "execution_ms_min"
            case .executionMsMax: "execution_ms_max"
            case .tokenRuns: "token_runs"
            case .tokensInSum: "tokens_in_sum"
            case .tokensOutSum: "tokens_out_sum"
            case .cacheReadTokensSum: "cache_read_tokens_sum"
            case .cacheCreationTokensSum: "cache_creation_tokens_sum"
            case .estimatedRuns: "estimated_runs"
            case .firstRun: "first_run"
            case .lastRun: "last_run"
            case .costRuns: "cost_runs"
            case .costNanodollarsSum: "cost_nanodollars_sum"
            }
        }

        var type: String {
            switch self {
            case .runs, .failures, .executionMsMin, .executionMsMax, .tokenRuns, .estimatedRuns, .firstRun, .lastRun,
                .costRuns:
                "BIGINT"
            case .executionMsSum, .executionMsSquares, .tokensInSum, .tokensOutSum, .cacheReadTokensSum,
                .cacheCreationTokensSum, .costNanodollarsSum:
                "NUMERIC"
            }
        }

        /// The measure of a group of rows of `skill_metrics`.
        var aggregate: String {
            let known = PostgresColumns.tokensKnown
            return switch self {
            case .runs: "count(*)"
            case .failures: "count(*) FILTER (WHERE NOT success)"
            case .executionMsSum: "sum(execution_ms::numeric)"
            case .executionMsSquares: "sum(execution_ms::numeric * execution_ms)"
            case .executionMsMin: "min(execution_ms)"
            case .executionMsMax: "max(execution_ms)"
            case .tokenRuns: "count(*) FILTER (WHERE \(known))"
            case .tokensInSum: "coalesce(sum(tokens_in::numeric) FILTER (WHERE \(known)), 0)"
            case .tokensOutSum: "coalesce(sum(tokens_out::numeric) FILTER (WHERE \(known)), 0)"
            case .cacheReadTokensSum: "coalesce(sum(coalesce(cache_read_tokens, 0)::numeric) FILTER (WHERE \(known)), 0)"
            case .cacheCreationTokensSum:
                "coalesce(sum(coalesce(cache_creation_tokens, 0)::numeric) FILTER (WHERE \(known)), 0)"
            case .estimatedRuns: "count(*) FILTER (WHERE \(known) AND tokens_estimated)"
            case .firstRun: "min(timestamp)"
            case .lastRun: "max(timestamp)"
            case .costRuns: "count(\(PostgresColumns.costNanodollars))"
            case .costNanodollarsSum: "coalesce(sum(\(PostgresColumns.costNanodollars)::numeric), 0)"
            }
        }

        /// The measure of a group of rollups, as stored.
        var addedUp: String {
            switch self {
            case .executionMsMin, .firstRun: "min(\(column))"
            case .executionMsMax, .lastRun: "max(\(column))"
            default: "sum(\(column))"
            }
        }

        /// How a stored group of `table` and more of its runs (`EXCLUDED`) combine.
        func combined(in table: String) -> String {
            switch self {
            case .executionMsMin, .firstRun: "least(\(table).\(column), EXCLUDED.\(column))"
            case .executionMsMax, .lastRun: "greatest(\(table).\(column), EXCLUDED.\(column))"
            default: "\(table).\(column) + EXCLUDED.\(column)"
            }
        }

        /// How groups of rollups add up for a read, capped where `RunTotals` holds the sum in 64 bits.
        var total: String {
            switch self {
            case .executionMsMin, .firstRun, .executionMsMax, .lastRun: addedUp
            case .executionMsSquares: "coalesce(sum(\(column)), 0)::float8"
            case .runs, .failures, .tokenRuns, .estimatedRuns, .costRuns: "coalesce(sum(\(column)), 0)::bigint"
            default: "least(coalesce(sum(\(column)), 0), 9223372036854775807)::bigint"
            }
        }
    }
}
