import Foundation
import GRDB
import Testing

@testable import SkillForge

@Suite("Errors: codes, messages, details and causes")
struct ErrorTests {
    // MARK: - Causes

    @Test("opening a file that is not a database keeps SQLite's NOTADB error as the cause")
    func notADatabaseKeepsItsCause() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.db")
        try String(repeating: "plain notes, not SQLite\n", count: 100).write(toFile: path, atomically: true, encoding: .utf8)

        let error = try #require(throws: ProfilerError.self) { try ProfilerDB(path: path) }
        #expect(error.code == .notADatabase)
        #expect(error.path == path)
        let cause = try #require(error.cause as? DatabaseError)
        #expect(cause.resultCode == .SQLITE_NOTADB)
        #expect(error.description == "\(path) is not a Skill Forge database (it is not an SQLite file)")
    }

    @Test("a write blocked by another connection's lock is busy, with SQLite's BUSY error as the cause")
    func busyKeepsItsCause() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shared.db")
        let db = try ProfilerDB(path: path, busyTimeout: .milliseconds(50))
        let other = try DatabaseQueue(path: path)

        var error: ProfilerError?
        try other.inTransaction(.immediate) { _ in
            // This connection holds the write lock until the transaction ends.
            error = #expect(throws: ProfilerError.self) { try db.insert(run()) }
            return .rollback
        }
        let busy = try #require(error)
        #expect(busy.code == .busy)
        #expect(busy.path == path)
        #expect((busy.cause as? DatabaseError)?.resultCode == .SQLITE_BUSY)
        #expect(busy.description == "the database \(path) stayed locked by another process; try again")
        #expect(try db.count() == 0)
    }

    @Test("a file without execute permission cannot be launched, with EACCES as the cause")
    func launchFailureKeepsErrno() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("plain.sh")
        try "echo hi".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)

        let error = try await #require(throws: ProfilerError.self) {
            try await CommandProfiler(store: try ProfilerDB.inMemory()).profile(
                skill: "x", command: SkillCommand(executable: path), iterations: 1)
        }
        #expect(error.code == .cannotLaunch)
        #expect(error.executable == path)
        #expect(error.reason == "the file is not executable")
        #expect((error.cause as? POSIXError)?.code == .EACCES)
        #expect(error.description == "cannot run \(path): the file is not executable")
    }

    @Test("a missing executable cannot be launched, with ENOENT as the cause")
    func missingExecutableKeepsErrno() async throws {
        let error = try await #require(throws: ProfilerError.self) {
            try await CommandProfiler(store: try ProfilerDB.inMemory()).profile(
                skill: "x", command: SkillCommand(executable: "/no/such/skill.sh"), iterations: 1)
        }
        #expect(error.code == .cannotLaunch)
        #expect(error.reason == "no such file")
        #expect((error.cause as? POSIXError)?.code == .ENOENT)
    }

    // MARK: - Equality

    @Test("equality and hashing compare code, message, path and details, never the cause")
    func equalityIgnoresTheCause() {
        let withCause = ProfilerError.busy(path: "a.db", cause: DatabaseError(resultCode: .SQLITE_BUSY))
        let withOtherCause = ProfilerError.busy(path: "a.db", cause: POSIXError(.EIO))
        let withoutCause = ProfilerError.busy(path: "a.db")
        #expect(withCause == withoutCause)
        #expect(withCause == withOtherCause)
        #expect(withCause.hashValue == withoutCause.hashValue)
        #expect(Set([withCause, withOtherCause, withoutCause]).count == 1)

        #expect(ProfilerError.busy(path: "a.db") != .busy(path: "b.db"))
        #expect(ProfilerError.busy(path: "a.db") != .corrupt(path: "a.db"))
        #expect(ProfilerError.duplicateRunId("r1") != .duplicateRunId("r2"))

        let unreadable = ImportError.unreadableInput(file: "runs.csv", problem: "is empty", cause: POSIXError(.EIO))
        #expect(unreadable == .unreadableInput(file: "runs.csv", problem: "is empty"))
        #expect(unreadable != .unreadableInput(file: "other.csv", problem: "is empty"))
    }

    // MARK: - Codes

    @Test("every code is distinct, and is described by its name")
    func codesAreDistinct() {
        let codes: [ProfilerError.Code] = [
            .invalidMetric, .databaseNotFound, .directoryNotFound, .notADatabase, .notSkillForge, .nothingRecorded,
            .readOnly, .cannotOpen, .schemaTooNew, .busy, .corrupt, .diskFull, .duplicateRunId, .metricNotFound,
            .database, .cannotLaunch, .tooManyBuckets,
        ]
        let names = [
            "invalidMetric", "databaseNotFound", "directoryNotFound", "notADatabase", "notSkillForge", "nothingRecorded",
            "readOnly", "cannotOpen", "schemaTooNew", "busy", "corrupt", "diskFull", "duplicateRunId", "metricNotFound",
            "database", "cannotLaunch", "tooManyBuckets",
        ]
        #expect(Set(codes).count == 17)
        #expect(codes.map(\.description) == names)

        let importCodes: [ImportError.Code] = [.invalidRecord, .unreadableInput, .database, .cancelled]
        #expect(Set(importCodes).count == 4)
        #expect(importCodes.map(\.description) == ["invalidRecord", "unreadableInput", "database", "cancelled"])
    }

    @Test("each factory gives its code, and its details through the typed accessors")
    func factoriesKeepTheirDetails() {
        let duplicate = ProfilerError.duplicateRunId("r1")
        #expect(duplicate.code == .duplicateRunId)
        #expect(duplicate.runId == "r1")
        #expect(duplicate.path == nil)
        #expect(duplicate.metricId == nil)
        #expect(duplicate.reason == nil)

        let newer = ProfilerError.schemaTooNew(path: "x.db", unknownMigrations: ["v98", "v99"])
        #expect(newer.code == .schemaTooNew)
        #expect(newer.path == "x.db")
        #expect(newer.unknownMigrations == ["v98", "v99"])

        #expect(ProfilerError.metricNotFound(id: 404).metricId == 404)
        let foreign = ProfilerError.notSkillForge(path: "a.db", reason: "it holds a table named users")
        #expect(foreign.reason == "it holds a table named users")
        #expect(ProfilerError.database(path: "a.db", message: "disk I/O error").reason == "disk I/O error")

        let buckets = ProfilerError.tooManyBuckets(count: 10_001, bucket: .hour)
        #expect(buckets.bucketCount == 10_001)
        #expect(buckets.bucket == .hour)

        let field = InvalidField(field: "tokens_in", number: -5, problem: "must be zero or more")
        #expect(ProfilerError.invalidMetric(field).invalidField == field)
        #expect(ProfilerError.busy(path: "a.db").invalidField == nil)

        let record = ImportError.invalidRecord(SourceLocation(file: "runs.jsonl", line: 12), problem: "bad")
        #expect(record.code == .invalidRecord)
        #expect(record.file == "runs.jsonl")
        #expect(record.location == SourceLocation(file: "runs.jsonl", line: 12))
        #expect(record.problem == "bad")
        #expect(record.databaseError == nil)

        let database = ImportError.database(.busy(path: "a.db"))
        #expect(database.code == .database)
        #expect(database.databaseError == ProfilerError.busy(path: "a.db"))
    }

    @Test("a stored run's duplicate is caught by its code, with the run id")
    func catchingByCode() throws {
        let db = try ProfilerDB.inMemory()
        try db.insert(run(runId: "r1"))
        do {
            try db.insert(run(runId: "r1"))
            Issue.record("the second insert of r1 was stored")
        } catch let error where error.code == .duplicateRunId {
            #expect(error.runId == "r1")
        }
    }

    // MARK: - Messages

    @Test("messages are the sentences the CLI prints")
    func messages() {
        #expect(ProfilerError.duplicateRunId("r1").description == #"a run with run_id "r1" is already stored"#)
        #expect(ProfilerError.directoryNotFound(path: "no/dir/a.db").description
            == "cannot create the database no/dir/a.db: its directory does not exist")
        let newer: String = """
            x.db was written by a newer version of Skill Forge (schema v98, v99); upgrade skill-forge to use it. \
            The file was not changed.
            """
        #expect(ProfilerError.schemaTooNew(path: "x.db", unknownMigrations: ["v98", "v99"]).description == newer)
        let buckets: String = """
            the window holds 10001 hours, more than the 10000 a time series can show; \
            use a wider bucket or a shorter window
            """
        #expect(ProfilerError.tooManyBuckets(count: 10_001, bucket: .hour).description == buckets)
        #expect(ProfilerError.metricNotFound(id: 404).description == "no metric has id 404")
        #expect(ProfilerError.database(path: "a.db", message: "disk I/O error").description
            == "database error in a.db: disk I/O error")
        #expect(ProfilerError.invalidMetric(InvalidField(field: "tokens_in", number: -5, problem: "must be zero or more"))
            .description == "invalid tokens_in -5: must be zero or more")

        #expect(ImportError.invalidRecord(SourceLocation(file: "runs.jsonl", line: 12), problem: "missing skill_id")
            .description == "runs.jsonl:12: missing skill_id")
        #expect(ImportError.unreadableInput(file: "runs.csv", problem: "is empty").description == "runs.csv: is empty")
        #expect(ImportError.database(.busy(path: "a.db")).description
            == "the database a.db stayed locked by another process; try again")
        #expect(ImportError.cancelled.description == "import cancelled")
    }
}
