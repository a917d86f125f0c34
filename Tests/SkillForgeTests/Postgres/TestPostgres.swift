import Foundation
import SkillForge
import SkillForgePostgres

/// The PostgreSQL server the tests use: `SKILL_FORGE_TEST_POSTGRES_URL`
/// (`scripts/start-test-postgres.sh` starts one and prints the export; `.ci/run`
/// does both). Without it, the PostgreSQL cases are left out, unless
/// `SKILL_FORGE_REQUIRE_POSTGRES=1` (CI) makes their absence a failure.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["SKILL_FORGE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isRequired = ProcessInfo.processInfo.environment["SKILL_FORGE_REQUIRE_POSTGRES"] == "1"

    /// Whether the PostgreSQL cases run.
    static var isEnabled: Bool { url != nil || isRequired }

    /// The test server's URL with a schema of its own (new tables, shared with no other test).
    static func urlWithNewSchema() throws -> String {
        guard let url else {
            throw ProfilerError.cannotOpen(
                path: "SKILL_FORGE_TEST_POSTGRES_URL", reason: "not set, and SKILL_FORGE_REQUIRE_POSTGRES=1 asks for PostgreSQL")
        }
        let schema = "sf_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    /// A new, empty store in a schema of its own.
    static func makeStore() async throws -> PostgresMetricsStore {
        try await PostgresMetricsStore(PostgresLocation(url: urlWithNewSchema()))
    }
}
