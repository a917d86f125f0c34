import Foundation
import Testing

@Suite("Numbers, times and spans on the command line")
struct OptionValueTests {
    /// A value after a space that starts with `-` is the option's value: the error names the
    /// option, the value and the rule it breaks (not "Missing value for '--ms <ms>'").
    @Test("a negative value after a space is refused for what it is", arguments: [
        (["record", "--skill", "s", "--ms", "-5", "--tokens-in", "1", "--tokens-out", "1"],
         "The value '-5' is invalid for '--ms <ms>': must be zero or more"),
        (["record", "--skill", "s", "--ms", "5", "--tokens-in", "-1", "--tokens-out", "1"],
         "The value '-1' is invalid for '--tokens-in <count>': must be zero or more"),
        (["record", "--skill", "s", "--ms", "5", "--tokens-in", "1", "--tokens-out", "1", "--cache-read", "-3"],
         "The value '-3' is invalid for '--cache-read <count>': must be zero or more"),
        (["profile", "--skill", "s", "--timeout", "-1", "--", "/bin/true"],
         "The value '-1' is invalid for '--timeout <seconds>': must be more than 0 and at most 604800"),
        (["profile", "--skill", "s", "-i", "-5", "--", "/bin/true"],
         "The value '-5' is invalid for '-i <iterations>': must be at least 1"),
        (["profile", "--skill", "s", "--warmup", "-1", "--", "/bin/true"],
         "The value '-1' is invalid for '--warmup <warmup>': must be zero or more"),
        (["stats", "--last", "-7d"],
         "The value '-7d' is invalid for '--last <span>': a span has no sign: 7d already counts back from now"),
        (["export", "--since", "-7d"],
         "The value '-7d' is invalid for '--since <time>': a span has no sign: 7d already counts back from now"),
        (["prune", "--before", "-90d"],
         "The value '-90d' is invalid for '--before <time>': a span has no sign: 90d already counts back from now"),
        (["metrics", "s", "--limit", "-1"],
         "The value '-1' is invalid for '--limit <limit>': must be at least 1"),
        (["import", "--batch-size", "-1", "runs.jsonl"],
         "The value '-1' is invalid for '--batch-size <count>': must be at least 1"),
        (["compare", "s", "--baseline", "1", "--candidate", "2", "--alpha", "-0.5"],
         "The value '-0.5' is invalid for '--alpha <alpha>': must be more than 0 and less than 1"),
        (["compare", "s", "--baseline", "1", "--candidate", "2", "--min-runs", "-1"],
         "The value '-1' is invalid for '--min-runs <count>': must be at least 1"),
        (["compare", "s", "--baseline-window", "-14d..", "--candidate", "2"],
         "The value '-14d..' is invalid for '--baseline-window <window>': a span has no sign: 14d already counts back from now"),
        (["candidates", "--last", "-1w"],
         "The value '-1w' is invalid for '--last <span>': a span has no sign: 1w already counts back from now"),
        (["delete", "--id", "-5"],
         "The value '-5' is invalid for '--id <id>': must be at least 1"),
        (["candidates", "--slow-factor", "-2"],
         "The value '-2' is invalid for '--slow-factor <factor>': must be more than 1"),
    ] as [([String], String)])
    func negativeValue(_ arguments: [String], _ message: String) async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("n.db")
        let result = try await runProcess(skillForgeBinary, arguments + ["--db", db])
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == "Error: \(message)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: db), "nothing is created before the command line is valid")
    }

    @Test("numbers that are not numbers, not finite or out of range are refused the same way", arguments: [
        (["profile", "--skill", "s", "--timeout", "inf", "--", "/bin/true"],
         "The value 'inf' is invalid for '--timeout <seconds>': must be a number, more than 0 and at most 604800"),
        (["profile", "--skill", "s", "--timeout", "1e300", "--", "/bin/true"],
         "The value '1e300' is invalid for '--timeout <seconds>': must be more than 0 and at most 604800"),
        (["record", "--skill", "s", "--ms", "1.5", "--tokens-in", "1", "--tokens-out", "1"],
         "The value '1.5' is invalid for '--ms <ms>': must be a whole number, zero or more"),
        (["compare", "s", "--baseline", "1", "--candidate", "2", "--min-change", "nan"],
         "The value 'nan' is invalid for '--min-change <fraction>': must be a number, zero or more"),
        (["metrics", "s", "--limit", "0"],
         "The value '0' is invalid for '--limit <limit>': must be at least 1"),
    ] as [([String], String)])
    func badNumber(_ arguments: [String], _ message: String) async throws {
        let result = try await runProcess(skillForgeBinary, arguments + ["--db", try TemporaryDirectory().path("n.db")])
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == "Error: \(message)")
    }

    @Test("values written with = and valid values after a space still work")
    func validValues() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("v.db")
        let stored = try await skillForge(
            "record", "--db", db, "--skill", "s", "--ms=0", "--tokens-in", "0", "--tokens-out", "7", "--cache-read", "3")
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stdout == "1\n")
        let listed = try await skillForge("metrics", "s", "--db", db, "--limit", "1", "--last", "1h", "--format", "csv")
        let rows = try parseCSV(listed.stdout)
        #expect(rows.map { $0["tokens_out"] } == ["7"])
        #expect(rows.map { $0["cache_read_tokens"] } == ["3"])
    }
}
