import ArgumentParser
import Foundation
import SkillForge
import Workload

/// Fills a database with the peers' workload, for benchmarks.
@main
struct GenerateWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-workload",
        abstract: "Write the peers' deterministic workload into a Skill Forge database.",
        discussion: """
            Examples:
              swift run -c release generate-workload --db /tmp/skill-forge-10m.db --rows 10000000
              swift run -c release generate-workload --db /tmp/small.db --rows 100000 --compare-runs 10000
              swift run -c release generate-workload --jsonl /tmp/w.jsonl --csv /tmp/w.csv --rows 1000000
              swift run -c release generate-workload --claude-code /tmp/transcripts --sessions 200
            """)

    @Option(help: "The database to create (must not exist).")
    var db: String?

    @Option(help: "Also write the rows as metric JSONL (without run ids: the importer derives them).")
    var jsonl: String?

    @Option(help: "Also write the rows as CSV for sqlite3's .import, with the run ids the importer would derive.")
    var csv: String?

    @Option(help: "Also write synthetic Claude Code transcripts (one file per session) into this new directory.")
    var claudeCode: String?

    @Option(help: "Sessions of --claude-code transcripts, 40 skill executions each.")
    var sessions = 200

    @Option(help: "Rows of the 200-skill workload.")
    var rows = 10_000_000

    @Option(help: "Runs of each of two versions of skill 'compare-me'.")
    var compareRuns = 100_000

    @Option(help: "Rows per transaction.")
    var batch = 100_000

    @Flag(help: "Give the --jsonl rows versions: \"1.0\" for even rows, \"2.0\" for odd ones.")
    var versions = false

    func validate() throws {
        for path in [db, jsonl, csv, claudeCode].compactMap({ $0 }) where FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(path) exists; give a new path.")
        }
        if db == nil && jsonl == nil && csv == nil && claudeCode == nil {
            throw ValidationError("Give --db, --jsonl, --csv or --claude-code.")
        }
    }

    func run() throws {
        if let claudeCode { try writeTranscripts(into: claudeCode) }
        if jsonl != nil || csv != nil { try writeFiles() }
        guard let db else { return }
        let database = try ProfilerDB(path: db)
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        func insert(_ rows: some Sequence<SkillMetrics>) throws {
            var iterator = rows.makeIterator()
            var chunk: [SkillMetrics] = []
            chunk.reserveCapacity(batch)
            repeat {
                chunk.removeAll(keepingCapacity: true)
                while chunk.count < batch, let row = iterator.next() { chunk.append(row) }
                written += try database.insert(contentsOf: chunk).inserted
                let seconds = Double(start.duration(to: clock.now).components.seconds) + 1e-9
                FileHandle.standardError.write(Data("\r\(written) rows, \(Int(Double(written) / seconds)) rows/s  ".utf8))
            } while chunk.count == batch
        }
        try insert(Workload(count: rows))
        try insert(ComparisonWorkload(runs: compareRuns))
        let elapsed = start.duration(to: clock.now)
        print("\nwrote \(written) rows to \(db) in \(elapsed)")
    }

    /// Writes the workload as import files, in constant memory.
    private func writeFiles() throws {
        let jsonlWriter = try jsonl.map { path in try FileWriter(path: path) }
        let csvWriter = try csv.map { path in try FileWriter(path: path) }
        try csvWriter?.write("skill_id,execution_ms,tokens_in,tokens_out,success,timestamp,run_id\n")
        for (index, row) in Workload(count: rows).enumerated() {
            let version = versions ? #","version":"\#(index % 2 == 0 ? "1.0" : "2.0")""# : ""
            try jsonlWriter?.write(
                #"{"skill_id":"\#(row.skillId)","execution_ms":\#(row.executionMs),"tokens_in":\#(row.tokensIn),"#
                    + #""tokens_out":\#(row.tokensOut),"success":\#(row.success),"timestamp":\#(row.timestamp)\#(version)}"#
                    + "\n")
            try csvWriter?.write(
                "\(row.skillId),\(row.executionMs),\(row.tokensIn),\(row.tokensOut),\(row.success ? 1 : 0),"
                    + "\(row.timestamp),\(RunIdentity.derived(for: row))\n")
        }
        try jsonlWriter?.close()
        try csvWriter?.close()
    }
}

extension GenerateWorkload {
    /// Writes `sessions` transcripts into a new directory and says how many rows they hold.
    private func writeTranscripts(into directory: String) throws {
        let workload = TranscriptWorkload(sessions: sessions)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for session in 0..<sessions {
            let writer = try FileWriter(path: directory + "/" + workload.fileName(ofSession: session))
            try workload.writeSession(session) { try writer.write($0) }
            try writer.close()
        }
        print("wrote \(sessions) transcripts to \(directory): \(workload.expectedRows) rows to import")
    }
}

/// Buffered text output to a new file.
final class FileWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
        else { throw ValidationError("cannot create \(path)") }
        self.handle = handle
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 20 { try flush() }
    }

    func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
