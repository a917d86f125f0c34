import SkillForgePostgres
import SkillForgeTestSupport
import Testing

extension TestPostgres {
    /// A new, empty store in a schema of its own.
    static func makeStore() async throws -> PostgresMetricsStore {
        try await PostgresMetricsStore(PostgresLocation(url: urlWithNewSchema()))
    }

    /// `.enabled(if:)` for the PostgreSQL cases, with the notice a skip shows.
    static var enabled: ConditionTrait {
        .enabled(if: isEnabled, Comment(rawValue: skipNotice))
    }
}

/// `psql`, libpq's own client: an independent reader and writer of a store's tables in `schema`.
func psql(_ sql: String, schema: String) throws -> (status: Int32, stdout: String, stderr: String) {
    let url = try #require(TestPostgres.url)
    return try runProcess(
        "/usr/bin/env", ["psql", url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql],
        environment: ["PGOPTIONS": "-c search_path=\(schema)"])
}
