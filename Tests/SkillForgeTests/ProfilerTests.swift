import Foundation
import Logging
import Testing

@testable import SkillForge

@Suite("Profiler")
struct ProfilerTests {
    struct SkillFailure: Error, Equatable, CustomStringConvertible {
        var code: Int
        var description: String { "quota exceeded (code \(code))" }
    }

    @Test("a successful body's result is returned and a row with its reported usage stored")
    func success() async throws {
        let db = try ProfilerDB.inMemory()
        let profiler = Profiler(store: db, logger: Logger(label: "test"))
        let answer = try await profiler.profile(skill: "summarise", version: "2.0", input: "ignored when usage is reported") { run in
            try await Task.sleep(for: .milliseconds(30))
            run.recordUsage(input: 1_000, output: 200, cacheRead: 700, model: "claude-sonnet-4-5")
            run.recordUsage(input: 10, output: 5, cacheCreation: 3)
            return "summary"
        }
        #expect(answer == "summary")
        try await profiler.flush()
        let stored = try #require(try db.metrics(forSkill: "summarise").first)
        #expect(stored.success)
        #expect(stored.error == nil)
        #expect(stored.version == "2.0")
        #expect(stored.executionMs >= 30)
        #expect(stored.tokensIn == 1_010)
        #expect(stored.tokensOut == 205)
        #expect(stored.cacheReadTokens == 700)
        #expect(stored.cacheCreationTokens == 3)
        #expect(stored.model == "claude-sonnet-4-5")
        #expect(stored.tokensEstimated == false)
        #expect(stored.source == "profiler")
    }

    @Test("a failing body's error is rethrown unchanged and recorded with its message")
    func failure() async throws {
        let db = try ProfilerDB.inMemory()
        let profiler = Profiler(store: db, logger: Logger(label: "test"))
        await #expect(throws: SkillFailure(code: 429)) {
            try await profiler.profile(skill: "fetch") { _ in throw SkillFailure(code: 429) }
        }
        try await profiler.flush()
        let stored = try #require(try db.metrics(forSkill: "fetch").first)
        #expect(stored.success == false)
        #expect(stored.error == "quota exceeded (code 429)")
    }

    @Test("a typed-throws body keeps its error type")
    func typedThrows() async throws {
        let profiler = Profiler(store: try ProfilerDB.inMemory(), logger: Logger(label: "test"))
        do {
            try await profiler.profile(skill: "typed") { _ throws(SkillFailure) in throw SkillFailure(code: 1) }
        } catch {
            let typed: SkillFailure = error  // compiles only if the error type is preserved
            #expect(typed.code == 1)
        }
    }

    @Test("a cancelled body is recorded as a failure with error \"cancelled\"")
    func cancellation() async throws {
        let db = try ProfilerDB.inMemory()
        let profiler = Profiler(store: db, logger: Logger(label: "test"))
        let task = Task {
            try await profiler.profile(skill: "slow") { _ in try await Task.sleep(for: .seconds(600)) }
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        try await profiler.flush()
        let stored = try #require(try db.metrics(forSkill: "slow").first)
        #expect(stored.success == false)
        #expect(stored.error == "cancelled")
        #expect(stored.executionMs < 600_000, "cut short by the cancellation, however loaded the machine")
    }

    @Test("without reported usage, input or output, the tokens are unknown (not an estimate of 0)")
    func unknownTokens() async throws {
        let db = try ProfilerDB.inMemory()
        let profiler = Profiler(store: db, logger: Logger(label: "test"))
        await profiler.profile(skill: "ping") { _ in }
        await profiler.profile(skill: "ping", input: "") { _ in }
        try await profiler.flush()
        let stored = try db.metrics(forSkill: "ping")
        #expect(stored.map(\.tokensKnown) == [false, nil])
        #expect(stored.map(\.tokensEstimated) == [nil, true])
        #expect(stored.allSatisfy { $0.tokensIn == 0 && $0.tokensOut == 0 })
    }

    @Test("without reported usage, tokens are estimated at 4 bytes per token and marked estimated")
    func estimation() async throws {
        let db = try ProfilerDB.inMemory()
        let profiler = Profiler(store: db, logger: Logger(label: "test"))
        // Input: 10 bytes → 3 tokens (rounded up). Output: 8 + 9 = 17 bytes → 5 tokens.
        await profiler.profile(skill: "echo", input: "0123456789") { run in
            run.recordOutput("12345678")
            run.recordOutput("123456789")
            run.recordModel("local")
        }
        try await profiler.flush()
        let stored = try #require(try db.metrics(forSkill: "echo").first)
        #expect(stored.tokensIn == 3)
        #expect(stored.tokensOut == 5)
        #expect(stored.tokensEstimated == true)
        #expect(stored.model == "local")
        #expect(TokenEstimate.tokens(in: "") == 0)
        #expect(TokenEstimate.tokens(in: "abcd") == 1)
        #expect(TokenEstimate.tokens(in: "abcde") == 2)
        #expect(TokenEstimate.tokens(in: "é") == 1, "2 UTF-8 bytes")
    }

    @Test("a recording failure is logged; the skill's result still reaches the caller")
    func recordingFailureDoesNotBreakTheSkill() async throws {
        let db = try ProfilerDB.inMemory()
        let log = CapturedLog()
        let profiler = Profiler(store: db, logger: log.logger)
        // An empty skill id cannot be stored: recording fails, the skill does not.
        let value = await profiler.profile(skill: "") { _ in 42 }
        #expect(value == 42)
        await #expect(throws: SkillFailure(code: 7)) {
            try await profiler.profile(skill: "") { _ in throw SkillFailure(code: 7) }
        }
        try await profiler.flush()
        let errors = log.entries.filter { $0.level == .error }
        #expect(errors.count == 2)
        #expect(errors.first?.text.contains("invalid skill_id") == true)
        #expect(try db.count() == 0)
    }
}
