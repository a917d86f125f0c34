import Foundation
import Testing

@testable import SkillForge

@Suite("Validation")
struct ValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let change: @Sendable (inout SkillMetrics) -> Void
        let field: String
        var testDescription: String { name }
    }

    static let invalid: [Case] = [
        Case(name: "empty skill id", change: { $0.skillId = "" }, field: "skill_id"),
        Case(name: "blank skill id", change: { $0.skillId = "   " }, field: "skill_id"),
        Case(name: "201-character skill id", change: { $0.skillId = String(repeating: "x", count: 201) }, field: "skill_id"),
        Case(name: "newline in skill id", change: { $0.skillId = "a\nb" }, field: "skill_id"),
        Case(name: "NUL in skill id", change: { $0.skillId = "a\u{0}b" }, field: "skill_id"),
        Case(name: "negative time", change: { $0.executionMs = -1 }, field: "execution_ms"),
        Case(name: "negative tokens in", change: { $0.tokensIn = -1 }, field: "tokens_in"),
        Case(name: "negative tokens out", change: { $0.tokensOut = .min }, field: "tokens_out"),
        Case(name: "30 days and 1 ms", change: { $0.executionMs = 30 * 86_400_000 + 1 }, field: "execution_ms"),
        Case(name: "10^12 + 1 tokens in", change: { $0.tokensIn = 1_000_000_000_001 }, field: "tokens_in"),
        Case(name: "Int64.max tokens out", change: { $0.tokensOut = .max }, field: "tokens_out"),
        Case(name: "10^12 + 1 cache tokens", change: { $0.cacheCreationTokens = 1_000_000_000_001 }, field: "cache_creation_tokens"),
        Case(name: "timestamp in seconds", change: { $0.timestamp = 1_732_000_000 }, field: "timestamp"),
        Case(name: "timestamp before 2000", change: { $0.timestamp = 0 }, field: "timestamp"),
        Case(name: "timestamp after 2100", change: { $0.timestamp = 4_102_444_800_000 }, field: "timestamp"),
        Case(name: "negative cache tokens", change: { $0.cacheReadTokens = -5 }, field: "cache_read_tokens"),
        Case(name: "control character in version", change: { $0.version = "1.0\t" }, field: "version"),
        Case(name: "empty model", change: { $0.model = "" }, field: "model"),
        Case(name: "metadata that is not JSON", change: { $0.metadata = "{oops" }, field: "metadata"),
        Case(name: "metadata that is a JSON array", change: { $0.metadata = "[1,2]" }, field: "metadata"),
        Case(name: "a negative cost", change: { $0.costUsd = -0.01 }, field: "cost_usd"),
        Case(name: "a cost that is NaN", change: { $0.costUsd = .nan }, field: "cost_usd"),
        Case(name: "an infinite cost", change: { $0.costUsd = .infinity }, field: "cost_usd"),
        Case(name: "a cost over a million dollars", change: { $0.costUsd = 1_000_000.01 }, field: "cost_usd"),
        Case(name: "an error message of 10,001 characters", change: { $0.error = String(repeating: "e", count: 10_001) }, field: "error"),
    ]

    @Test("invalid fields are refused with the field's name, and nothing is written", arguments: invalid)
    func invalidFieldsAreRefused(_ testCase: Case) throws {
        let db = try ProfilerDB.inMemory()
        var metric = run()
        testCase.change(&metric)
        let error = #expect(throws: ProfilerError.self) { try db.insert(metric) }
        guard error?.code == .invalidMetric, let failure = error?.invalidField else {
            Issue.record("\(testCase.name): expected invalidMetric, got \(String(describing: error))")
            return
        }
        #expect(failure.field == testCase.field)
        #expect(String(describing: failure).hasPrefix("invalid \(testCase.field) "))
        #expect(try db.count() == 0)
    }

    @Test("the message names the field, the value and the rule")
    func messages() {
        var metric = run()
        metric.tokensIn = -5
        #expect(throws: InvalidField(field: "tokens_in", number: -5, problem: "must be zero or more")) { try metric.validate() }
        #expect(String(describing: InvalidField(field: "tokens_in", number: -5, problem: "must be zero or more"))
            == "invalid tokens_in -5: must be zero or more")
        metric = run()
        metric.costUsd = 2_500_000
        #expect(metric.validationProblem == "invalid cost_usd 2500000.0: must be at most 1000000 (a million US dollars); "
            + "cost_usd is dollars: is this micro-dollars (divide by 1,000,000)?")
        metric.costUsd = 1_000_000
        #expect(metric.validationProblem == nil)
        metric.costUsd = 0
        #expect(metric.validationProblem == nil)
        metric = run()
        metric.timestamp = 1_732_000_000
        do {
            try metric.validate()
        } catch {
            #expect(error.description.contains("looks like Unix seconds"))
        }
    }

    @Test("hostile and unusual skill ids are stored verbatim", arguments: [
        "'; DROP TABLE skill_metrics; --",
        "Robert\"); DROP TABLE skill_metrics;--",
        "名前-スキル",
        "emoji 🚀 skill",
        "quote ' and \" and \\ backslash",
        "mcp:github/create_issue",
        String(repeating: "é", count: 200),
    ])
    func verbatimIds(_ skillId: String) throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(run(skillId))
        #expect(try db.allSkills() == [skillId])
        #expect(try db.metrics(forSkill: skillId).count == 1)
        #expect(try db.averageMetrics(forSkill: skillId)?.totalRuns == 1)
    }

    @Test("boundary values are accepted")
    func boundaries() throws {
        let db = try ProfilerDB.inMemory()
        var metric = run(String(repeating: "x", count: 200), ms: 0, tokensIn: 0, tokensOut: 0)
        metric.timestamp = MetricLimits.earliestTimestamp
        metric.metadata = "{}"
        metric.error = String(repeating: "e", count: 10_000)
        try db.insert(metric)
        metric.timestamp = MetricLimits.latestTimestamp - 1
        // 30 days; 10^12 tokens.
        metric.executionMs = 2_592_000_000
        metric.tokensIn = 1_000_000_000_000
        metric.tokensOut = 1_000_000_000_000
        metric.cacheReadTokens = 1_000_000_000_000
        try db.insert(metric)
        #expect(try db.count() == 2)
    }
}
