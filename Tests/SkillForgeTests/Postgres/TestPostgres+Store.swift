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
