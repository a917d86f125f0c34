import Foundation
import Testing

/// Costs through the command line: computed at write time from the shipped
/// price list or --pricing, kept when stated, n/a when unknown, and repriced.
/// The sqlite3 shell is the independent reader of what was stored.
///
/// By hand, with claude-sonnet-4-5's prices in the shipped list ($3/M input, $15/M output):
///   1,200 in + 310 out → 1,200 × 3e-6 + 310 × 15e-6 = 0.0036 + 0.00465 = 0.00825
@Suite("Cost on the command line")
struct CostCommandsTests {
    private func skillForgeCommand(_ arguments: [String]) async throws -> ProcessResult {
        try await runProcess(skillForgeBinary, arguments)
    }

    private func record(_ db: String, _ options: [String]) async throws {
        let result = try await skillForgeCommand(["record", "--db", db, "--timestamp", "2026-11-20T10:00:00Z"] + options)
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Skill "sum": a priced run (0.00825) and a stated one (0.5); skill "local": a model no list prices.
    private func makeDatabase(in directory: TemporaryDirectory) async throws -> String {
        let db = directory.path("cost.db")
        try await record(db, ["--skill", "sum", "--ms", "100", "--tokens-in", "1200", "--tokens-out", "310", "--model", "claude-sonnet-4-5"])
        try await record(db, ["--skill", "sum", "--ms", "300", "--tokens-in", "1", "--tokens-out", "1", "--model", "claude-sonnet-4-5", "--cost", "0.5"])
        try await record(db, ["--skill", "local", "--ms", "50", "--tokens-in", "10", "--tokens-out", "10", "--model", "my-local-model"])
        return db
    }

    @Test("record computes a cost from the model and tokens, keeps --cost as given, and leaves an unknown model's NULL")
    func recordStoresCosts() async throws {
        let sqlite3 = try #require(sqlite3Path, "the sqlite3 shell is the independent reader")
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let shown = try await runProcess(sqlite3, [db, "SELECT skill_id, quote(cost_usd), quote(cost_estimated) FROM skill_metrics ORDER BY id"])
        #expect(shown.stdout == "sum|0.00825|1\nsum|0.5|NULL\nlocal|NULL|NULL\n")
        #expect(try await runProcess(sqlite3, [db, "SELECT * FROM skill_metrics;"]).status == 0)
    }

    @Test("stats shows cost per run and total per skill, n/a for an unknown cost, in the table and JSON")
    func stats() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        let table = try await skillForgeCommand(["stats", "--db", db])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("cost/run") == true && lines.first?.contains("cost known") == true, "\(table.stdout)")
        // sum: (0.00825 + 0.5) / 2 = 0.254125 → $0.2541 a run; 0.50825 in all, which is 0.508249999… as a
        // double, so printf's "%.4f" gives $0.5082; local: n/a, known for 0 of 1.
        let sum = try #require(lines.first { $0.hasPrefix("sum ") })
        let local = try #require(lines.first { $0.hasPrefix("local ") })
        #expect(sum.contains("$0.2541") && sum.contains("$0.5082"), "\(sum)")
        // Cells are two or more spaces apart: local's last three are cost/run, cost and cost known.
        let cells = local.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(cells.suffix(3) == ["n/a", "n/a", "0 of 1"], "\(local)")
        #expect(table.stderr.contains("note: cost known for 2 of 3 runs"))

        let json = try await skillForgeCommand(["stats", "--db", db, "--format", "json", "--tokens-p95"])
        let summaries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let bySkill = Dictionary(uniqueKeysWithValues: summaries.map { ($0["skillId"] as? String ?? "", $0) })
        #expect(bySkill["local"]?["cost"] is NSNull)
        #expect(bySkill["local"]?["costRuns"] as? Int == 0)
        let cost = try #require(bySkill["sum"]?["cost"] as? [String: Any])
        #expect(abs((cost["total"] as? Double ?? 0) - 0.50825) < 1e-12)
        #expect(abs((cost["mean"] as? Double ?? 0) - 0.254125) < 1e-12)
        // numpy.percentile([0.00825, 0.5], 95) = 0.00825 + 0.95 × 0.49175 = 0.00825 + 0.4671625 = 0.4754125
        #expect(abs((cost["p95"] as? Double ?? 0) - 0.4754125) < 1e-9)

        let skills = try await skillForgeCommand(["skills", "--db", db, "--format", "json"])
        let overviews = try #require(try JSONSerialization.jsonObject(with: Data(skills.stdout.utf8)) as? [[String: Any]])
        #expect(overviews.map { $0["totalCostUsd"] is NSNull } == [true, false])
        #expect(abs((overviews[1]["totalCostUsd"] as? Double ?? 0) - 0.50825) < 1e-12)
    }

    @Test("skills --by-model shows each model's cost per run and in total, n/a for a model no list prices")
    func skillsByModel() async throws {
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        // sum on claude-haiku-4-5 ($1/M input, $5/M output): 1,000 × 1e-6 + 200 × 5e-6 = 0.001 + 0.001 = 0.002.
        try await record(db, ["--skill", "sum", "--ms", "40", "--tokens-in", "1000", "--tokens-out", "200", "--model", "claude-haiku-4-5"])
        try await record(db, ["--skill", "sum", "--ms", "60"])

        let table = try await skillForgeCommand(["skills", "--db", db, "--by-model"])
        #expect(table.status == 0, "\(table.stderr)")
        let rows = table.stdout.split(separator: "\n").dropFirst().map {
            $0.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        #expect(rows.map { Array($0.prefix(3)) } == [
            ["local", "my-local-model", "1"], ["sum", "(none)", "1"], ["sum", "claude-haiku-4-5", "1"],
            ["sum", "claude-sonnet-4-5", "2"],
        ], "\(table.stdout)")
        // sonnet: (0.00825 + 0.5) / 2 = 0.254125 a run, 0.50825 in all (printed $0.5082, see stats).
        #expect(rows[3].contains("$0.2541") && rows[3].contains("$0.5082"), "\(rows[3])")
        #expect(rows[2].filter { $0 == "$0.0020" }.count == 2, "\(rows[2])")
        #expect(rows[0].contains("n/a") && rows[1].contains("n/a"))

        let json = try await skillForgeCommand(["skills", "sum", "--db", db, "--by-model", "--format", "json"])
        let models = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(models.map { $0["model"] as? String } == [nil, "claude-haiku-4-5", "claude-sonnet-4-5"])
        #expect(models.map { $0["skillId"] as? String } == ["sum", "sum", "sum"])
        #expect(models[0]["meanCostUsd"] is NSNull && models[0]["totalCostUsd"] is NSNull)
        #expect(abs((models[1]["meanCostUsd"] as? Double ?? 0) - 0.002) < 1e-12)
        #expect(abs((models[2]["meanCostUsd"] as? Double ?? 0) - 0.254125) < 1e-12)

        let csv = try await skillForgeCommand(["skills", "sum", "--db", db, "--by-model", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("skill_id,model,runs,"), "\(csv.stdout)")
    }

    @Test("--pricing FILE changes the computed cost")
    func customPricing() async throws {
        let sqlite3 = try #require(sqlite3Path)
        let directory = try TemporaryDirectory()
        let prices = directory.path("prices.json")
        try Data(#"{"my-local-model":{"input_cost_per_token":1e-6,"output_cost_per_token":1e-5}}"#.utf8)
            .write(to: URL(fileURLWithPath: prices))
        let db = directory.path("custom.db")
        try await record(db, ["--skill", "local", "--ms", "5", "--tokens-in", "1200", "--tokens-out", "310", "--model", "my-local-model", "--pricing", prices])
        // 1,200 × 1e-6 + 310 × 1e-5 = 0.0012 + 0.0031 = 0.0043
        let shown = try await runProcess(sqlite3, [db, "SELECT quote(cost_usd), cost_estimated FROM skill_metrics"])
        #expect(shown.stdout == "0.0043|1\n")
    }

    @Test("a bad pricing file is refused naming the file, model and field, with a non-zero exit and nothing written")
    func badPricing() async throws {
        let directory = try TemporaryDirectory()
        let prices = directory.path("bad.json")
        try Data(#"{"m":{"input_cost_per_token":-3,"output_cost_per_token":1e-5}}"#.utf8).write(to: URL(fileURLWithPath: prices))
        let db = directory.path("never.db")
        let result = try await skillForgeCommand(
            ["record", "--db", db, "--skill", "s", "--ms", "5", "--tokens-in", "1", "--tokens-out", "1", "--pricing", prices])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.json: model \"m\", field input_cost_per_token: not a price"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
        let missing = try await skillForgeCommand(["import", "--db", db, "--pricing", directory.path("none.json"), prices])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("none.json"), "\(missing.stderr)")
    }

    @Test("reprice prices the runs another tool wrote without a cost, keeps stated ones, and changes nothing the second time")
    func reprice() async throws {
        let sqlite3 = try #require(sqlite3Path)
        let directory = try TemporaryDirectory()
        let db = try await makeDatabase(in: directory)
        // Another tool's rows: no cost at all.
        let written = try await runProcess(
            sqlite3,
            [db, """
                INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, model)
                VALUES ('sum', 10, 2000, 100, 1, 1795132800000, 'claude-sonnet-4-5'), ('other', 10, 1, 1, 1, 1795132800000, NULL);
                """])
        #expect(written.status == 0, "\(written.stderr)")
        let first = try await skillForgeCommand(["reprice", "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        // Examined: the two foreign rows, the priced run and the unknown model's (not the stated 0.5).
        #expect(first.stdout.hasPrefix("4 runs with an unknown or computed cost: 1 changed, 2 priced, 2 unknown"), "\(first.stdout)")
        // 2,000 × 3e-6 + 100 × 15e-6 = 0.006 + 0.0015 = 0.0075
        let shown = try await runProcess(sqlite3, [db, "SELECT quote(cost_usd) FROM skill_metrics WHERE execution_ms = 10 ORDER BY id"])
        #expect(shown.stdout == "0.0075\nNULL\n")
        let second = try await skillForgeCommand(["reprice", "--db", db])
        #expect(second.stdout.contains(": 0 changed"), "\(second.stdout)")
        let json = try await skillForgeCommand(["stats", "sum", "--db", db, "--format", "json"])
        let summaries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        // 0.00825 + 0.5 + 0.0075 = 0.51575, from the rollups.
        let cost = try #require(summaries.first?["cost"] as? [String: Any])
        #expect(abs((cost["total"] as? Double ?? 0) - 0.51575) < 1e-12)
    }

    // MARK: - compare, candidates, trend

    /// A JSONL file of runs `(skill, version, cost, timestamp)` with stated costs (`nil`: unknown), imported into a new database.
    private func importRuns(_ runs: [(String, String?, Double?, Int64)], in directory: TemporaryDirectory) async throws -> String {
        let db = directory.path("analysis.db")
        let file = directory.path("runs.jsonl")
        let lines = runs.map { skill, version, cost, timestamp in
            let version = version.map { #","version":"\#($0)""# } ?? ""
            let cost = cost.map { #","cost_usd":\#($0)"# } ?? ""
            return #"{"skill_id":"\#(skill)","execution_ms":100,"tokens_in":10,"tokens_out":5,"success":true,"timestamp":\#(timestamp)\#(version)\#(cost)}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let imported = try await skillForgeCommand(["import", "--db", db, file])
        #expect(imported.status == 0, "\(imported.stderr)")
        return db
    }

    /// Version 1.0 costs $0.01, $0.02 and $0.03 a run, 2.0 $0.04, $0.05 and $0.06, 3.0 is unknown.
    /// scipy: `mannwhitneyu([1e7, 2e7, 3e7], [4e7, 5e7, 6e7], method='asymptotic').pvalue` -> 0.08085559837005224
    /// (printed p = 0.081); means 0.02 and 0.05 (+150.0%); `np.percentile([0.01, 0.02, 0.03], 95)` -> 0.029, and 0.059.
    @Test("compare shows cost per run with its test in the table, JSON and CSV, and n/a for a side without a known cost")
    func compare() async throws {
        let directory = try TemporaryDirectory()
        let at: Int64 = 1_795_132_800_000
        // A second apart: an import takes identical records without a run id for one.
        let db = try await importRuns(
            [0.01, 0.02, 0.03].enumerated().map { ("s", "1.0", $1, at + Int64($0) * 1_000) }
                + [0.04, 0.05, 0.06].enumerated().map { ("s", "2.0", $1, at + Int64($0) * 1_000) }
                + (0..<3).map { ("s", "3.0", nil, at + Int64($0) * 1_000) }, in: directory)
        let arguments = ["compare", "s", "--db", db, "--baseline", "1.0", "--candidate"]

        let json = try await skillForgeCommand(arguments + ["2.0", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)")
        let cost = try #require(object["cost"] as? [String: Any])
        let mean = try #require(cost["mean"] as? [String: Any])
        #expect(abs((mean["baseline"] as? Double ?? 0) - 0.02) < 1e-12 && abs((mean["candidate"] as? Double ?? 0) - 0.05) < 1e-12)
        let p95 = try #require(cost["p95"] as? [String: Any])
        #expect(abs((p95["baseline"] as? Double ?? 0) - 0.029) < 1e-12 && abs((p95["candidate"] as? Double ?? 0) - 0.059) < 1e-12)
        let test = try #require(cost["test"] as? [String: Any])
        #expect(abs((test["pValue"] as? Double ?? 0) - 0.08085559837005224) < 1e-12)
        #expect(test["direction"] as? String == "unchanged")

        let table = try await skillForgeCommand(arguments + ["2.0"])
        func cells(_ measure: String, in output: String) -> [String] {
            let line = output.split(separator: "\n").first { $0.hasPrefix(measure + " ") }.map(String.init) ?? ""
            return line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        #expect(cells("cost mean", in: table.stdout) == ["cost mean", "$0.0200", "$0.0500", "+150.0%", "Mann-Whitney p = 0.081: unchanged"], "\(table.stdout)")
        #expect(cells("cost p95", in: table.stdout) == ["cost p95", "$0.0290", "$0.0590", "+103.4%"], "\(table.stdout)")

        let csv = try parseCSV(try await skillForgeCommand(arguments + ["2.0", "--format", "csv"]).stdout)
        let costRow = try #require(csv.first { $0["measure"] == "cost_mean" })
        #expect(costRow["baseline"].flatMap(Double.init).map { abs($0 - 0.02) < 1e-12 } == true)
        #expect(costRow["p_value"].flatMap(Double.init).map { abs($0 - 0.08085559837005224) < 1e-12 } == true)

        // Version 3.0 has no known cost: not compared.
        let unknown = try await skillForgeCommand(arguments + ["3.0"])
        #expect(cells("cost mean", in: unknown.stdout) == ["cost mean", "$0.0200", "n/a", "not compared: known for 3 and 0 runs"], "\(unknown.stdout)")
        let unknownJSON = try await skillForgeCommand(arguments + ["3.0", "--format", "json"])
        let unknownObject = try #require(try JSONSerialization.jsonObject(with: Data(unknownJSON.stdout.utf8)) as? [String: Any])
        #expect(unknownObject["cost"] is NSNull)
        #expect((unknownObject["reasons"] as? [String])?.contains("cost: not compared, cost known for 3 of 3 baseline runs and 0 of 3 candidate runs") == true)
    }

    /// In the last week: "a" costs $0.10 a run, "b" and "c" $0.01, "d" is unknown. By hand: the median of
    /// 0.10, 0.01 and 0.01 is 0.01, so "a" is 10.0x (severity 10 / 2 = 5); unknown is no reason for "d".
    @Test("candidates names costly skills, with --cost-factor, a mean_cost_usd CSV column, and refuses a factor of 1")
    func candidates() async throws {
        let directory = try TemporaryDirectory()
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        let costs: [(String, Double?)] = [("a", 0.1), ("b", 0.01), ("c", 0.01), ("d", nil)]
        let db = try await importRuns(costs.map { ($0.0, nil, $0.1, now - 3_600_000) }, in: directory)

        let table = try await skillForgeCommand(["candidates", "--db", db, "--min-runs", "1"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("$0.1000 per run, 10.0x the median skill ($0.0100)"), "\(table.stdout)")
        let csv = try parseCSV(try await skillForgeCommand(["candidates", "--db", db, "--min-runs", "1", "--all", "--format", "csv"]).stdout)
        let bySkill = Dictionary(uniqueKeysWithValues: csv.map { ($0["skill_id"] ?? "", $0) })
        #expect(bySkill["a"]?["recommendation"] == "optimize")
        #expect(bySkill["a"]?["mean_cost_usd"].flatMap(Double.init).map { abs($0 - 0.1) < 1e-12 } == true)
        #expect(bySkill["d"]?["mean_cost_usd"] == "" && bySkill["d"]?["reasons"] == "")

        let lenient = try await skillForgeCommand(["candidates", "--db", db, "--min-runs", "1", "--cost-factor", "11"])
        #expect(lenient.stdout.hasPrefix("Nothing stands out in the last 1w"), "\(lenient.stdout)")
        #expect(lenient.stdout.contains("no skill is slow, token-hungry, costly, failing or regressing."))
        let refused = try await skillForgeCommand(["candidates", "--db", db, "--cost-factor", "1"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--cost-factor"), "\(refused.stderr)")
    }

    /// 2026-11-20: $0.01 and $0.03 and one unknown (mean 0.02, total 0.04 over 2); 2026-11-21: one unknown. By hand.
    @Test("trend shows cost per run and total per bucket, n/a (JSON null, empty CSV cells) where none is known")
    func trend() async throws {
        let directory = try TemporaryDirectory()
        let day20: Int64 = 1_795_132_800_000
        let db = try await importRuns(
            [("s", nil, 0.01, day20 + 3_600_000), ("s", nil, 0.03, day20 + 7_200_000), ("s", nil, nil, day20 + 10_800_000),
             ("s", nil, nil, day20 + 86_400_000 + 3_600_000)], in: directory)
        let arguments = ["trend", "s", "--db", db, "--since", "2026-11-20", "--until", "2026-11-22"]

        let table = try await skillForgeCommand(arguments)
        #expect(table.status == 0, "\(table.stderr)")
        // Cells are two or more spaces apart; the last two are cost/run and cost.
        let rows = table.stdout.split(separator: "\n").map { line in
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        #expect(rows.first?.suffix(3) == ["tokens/run", "cost/run", "cost"], "\(table.stdout)")
        #expect(rows.first { $0.first == "2026-11-20" }?.suffix(2) == ["$0.0200", "$0.0400"], "\(table.stdout)")
        #expect(rows.first { $0.first == "2026-11-21" }?.suffix(2) == ["n/a", "n/a"], "\(table.stdout)")
        #expect(table.stderr.contains("note: cost known for 2 of 4 runs"), "\(table.stderr)")

        let json = try await skillForgeCommand(arguments + ["--format", "json"])
        let points = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(points.map { $0["costRuns"] as? Int } == [2, 0])
        #expect(abs((points[0]["meanCostUsd"] as? Double ?? 0) - 0.02) < 1e-12)
        #expect(abs((points[0]["totalCostUsd"] as? Double ?? 0) - 0.04) < 1e-12)
        #expect(points[1]["meanCostUsd"] is NSNull && points[1]["totalCostUsd"] is NSNull)

        let csv = try parseCSV(try await skillForgeCommand(arguments + ["--format", "csv"]).stdout)
        #expect(csv.map { $0["cost_runs"] } == ["2", "0"])
        #expect(csv[0]["total_cost_usd"].flatMap(Double.init).map { abs($0 - 0.04) < 1e-12 } == true)
        #expect(csv[1]["mean_cost_usd"] == "" && csv[1]["total_cost_usd"] == "")
    }
}
