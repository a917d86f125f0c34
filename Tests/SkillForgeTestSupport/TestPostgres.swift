import Foundation

/// The PostgreSQL server the tests use: `SKILL_FORGE_TEST_POSTGRES_URL`
/// (`scripts/start-test-postgres.sh` starts one and prints the export; `.ci/run`
/// does both). Without it, the PostgreSQL cases are skipped with a notice,
/// unless `SKILL_FORGE_REQUIRE_POSTGRES=1` (CI) makes their absence a failure.
public enum TestPostgres {
    public static let url = ProcessInfo.processInfo.environment["SKILL_FORGE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    public static let isRequired = ProcessInfo.processInfo.environment["SKILL_FORGE_REQUIRE_POSTGRES"] == "1"

    /// Whether the PostgreSQL cases run.
    public static var isEnabled: Bool { url != nil || isRequired }

    /// Why the PostgreSQL cases are skipped: `.enabled(if: TestPostgres.isEnabled, Comment(rawValue: TestPostgres.skipNotice))`.
    public static let skipNotice =
        "no PostgreSQL server: set SKILL_FORGE_TEST_POSTGRES_URL (scripts/start-test-postgres.sh starts one)"

    /// `SKILL_FORGE_REQUIRE_POSTGRES=1` without `SKILL_FORGE_TEST_POSTGRES_URL`.
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "SKILL_FORGE_TEST_POSTGRES_URL is not set, and SKILL_FORGE_REQUIRE_POSTGRES=1 asks for PostgreSQL"
        }
    }

    /// The test server's URL with a schema of its own (new tables, shared with no other test).
    ///
    /// The whole suite runs at once, on two cores in CI: opening a store (a
    /// connection and a migration of some twenty statements, each resumed on the
    /// busy cooperative pool) has taken over a minute there, so a store waits up
    /// to ten; and it keeps few connections, so that a hundred stores stay within
    /// the server's `max_connections`.
    public static func urlWithNewSchema() throws -> String {
        guard let url else { throw NotConfigured() }
        let schema = "sf_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return url + (url.contains("?") ? "&" : "?") + "schema=\(schema)&connect_timeout=600&pool_size=4"
    }
}
