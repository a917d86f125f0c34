import GRDB
import Testing

@testable import SkillForge

/// The scans check the rules of the store in Swift, every other read in SQL: both must reject the same rows.
@Suite("Stored validity")
struct StoredValidityTests {
    /// Each row: execution_ms, tokens_in, tokens_out, success, timestamp, tokens_estimated, cache_read_tokens,
    /// cache_creation_tokens, as SQL literals, and whether it follows the rules (worked out from SCHEMA.md's table).
    static let rows: [(values: String, isValid: Bool)] = [
        ("0, 0, 0, 0, 946684800000, NULL, NULL, NULL", true),  // every lower bound
        ("2592000000, 1000000000000, 1000000000000, 1, 4102444799999, 1, 1000000000000, 1000000000000", true),  // every upper bound
        ("5, 1, 1, 1.0, 1795132800000, 0, 0, 0", true),  // 1.0 becomes the integer 1 (column affinity)
        ("'7', 1, 1, 1, 1795132800000, NULL, NULL, NULL", true),  // so does the text '7'
        ("-5, 1, 1, 1, 1795132800000, NULL, NULL, NULL", false),
        ("2592000001, 1, 1, 1, 1795132800000, NULL, NULL, NULL", false),
        ("5, 1000000000001, 1, 1, 1795132800000, NULL, NULL, NULL", false),
        ("5, 9223372036854775807, 9223372036854775807, 1, 1795132800000, NULL, NULL, NULL", false),
        ("'abc', 1, 1, 1, 1795132800000, NULL, NULL, NULL", false),
        ("'12x', 1, 1, 1, 1795132800000, NULL, NULL, NULL", false),
        ("1.5, 1, 1, 1, 1795132800000, NULL, NULL, NULL", false),
        ("X'0102', 1, 1, 1, 1795132800000, NULL, NULL, NULL", false),
        ("5, 1, 1, 2, 1795132800000, NULL, NULL, NULL", false),
        ("5, 1, 1, 'yes', 1795132800000, NULL, NULL, NULL", false),
        ("5, 1, 1, 1, 4102444800000, NULL, NULL, NULL", false),
        ("5, 1, 1, 1, 946684799999, NULL, NULL, NULL", false),
        ("5, 1, 1, 1, 1795132800000, 2, NULL, NULL", false),
        ("5, 1, 1, 1, 1795132800000, NULL, -1, NULL", false),
        ("5, 1, 1, 1, 1795132800000, NULL, NULL, 0.5", false),
        ("5, 1, 1, 1, 1795132800000, NULL, 'x', NULL", false),
    ]

    @Test("the scan's Swift check and the SQL condition reject the same rows", arguments: 0..<rows.count)
    func sameRules(_ index: Int) async throws {
        let db = try ProfilerDB.inMemory()
        let row = Self.rows[index]
        try db.writeAsAnotherTool(
            """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp,
                                       tokens_estimated, cache_read_tokens, cache_creation_tokens)
            VALUES ('s', \(row.values))
            """)
        let (summaries, invalidRows) = try await Analyzer(store: db).summariesCountingInvalidRows(matching: MetricsFilter())
        #expect(invalidRows == (row.isValid ? 0 : 1), "scan: \(row.values)")
        await #expect(try db.invalidCount() == (row.isValid ? 0 : 1), "SQL: \(row.values)")
        #expect(summaries.count == (row.isValid ? 1 : 0))
        #expect(try db.metrics(matching: MetricsFilter()).count == (row.isValid ? 1 : 0))
        let (counts, invalidCounted) = try await db.skillRunCountsCountingInvalidRows()
        #expect(invalidCounted == (row.isValid ? 0 : 1) && counts.count == (row.isValid ? 1 : 0))
    }
}
