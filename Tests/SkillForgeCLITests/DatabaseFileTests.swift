import Foundation
import Testing

/// The seed's own DDL, as the seed (or `sqlite3` with its SQL) creates the table.
private let seedDDL = """
    CREATE TABLE IF NOT EXISTS skill_metrics (
      id INTEGER PRIMARY KEY AUTOINCREMENT, skill_id TEXT NOT NULL, execution_ms INTEGER NOT NULL,
      tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, success BOOLEAN NOT NULL, timestamp INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS idx_skill_id ON skill_metrics(skill_id);
    CREATE INDEX IF NOT EXISTS idx_timestamp ON skill_metrics(timestamp);
    """

/// The commands that only read, with arguments that make each do real work on skill `s`.
private let readCommands: [[String]] = [
    ["stats"], ["stats", "s"], ["skills"], ["metrics", "s"], ["trend", "s", "--last", "30d"],
    ["compare", "s", "--baseline", "1", "--candidate", "2"], ["candidates", "--last", "3650d"], ["export"],
]

/// Records three runs of skill `s` (two of version 1, one of version 2) with `skill-forge record`.
private func recordRuns(into db: String) async throws {
    for (ms, version) in [(5, "1"), (7, "1"), (9, "2")] {
        let result = try await skillForge(
            "record", "--db", db, "--skill", "s", "--ms", "\(ms)", "--tokens-in", "1", "--tokens-out", "2",
            "--version", version)
        try #require(result.status == 0, "\(result.stderr)")
    }
}

@Suite("Database files that are not ours, empty, old, read-only or on a full disk")
struct DatabaseFileTests {
    // MARK: - Files Skill Forge must not change

    @Test("an SQLite file with other tables is refused by every command, byte for byte unchanged", arguments: [
        ["stats"], ["skills"], ["metrics", "s"], ["export"], ["record", "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1"],
        ["delete", "--id", "1"], ["prune", "--before", "2001-01-01"], ["vacuum"],
    ])
    func foreignDatabase(_ command: [String]) async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("app.db")
        try #require(try await sqlite3(db, "CREATE TABLE foo(x); INSERT INTO foo VALUES (1);").status == 0)
        let before = try await sha256(of: db)

        let result = try await runProcess(skillForgeBinary, command + ["--db", db])
        #expect(result.status == 1)
        #expect(result.stderr == """
            Error: \(db) is an SQLite database but not a Skill Forge one: it has no skill_metrics table, \
            only foo. The file was not changed.

            """)
        #expect(try await sha256(of: db) == before)
        #expect(try names(in: directory) == ["app.db"])
    }

    @Test("a skill_metrics table of other columns is refused before anything is added to the file")
    func foreignTable() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("other.db")
        try #require(try await sqlite3(db, "CREATE TABLE skill_metrics(name TEXT, duration REAL)").status == 0)
        let before = try await sha256(of: db)

        let result = try await skillForge(
            "record", "--db", db, "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1")
        #expect(result.status == 1)
        #expect(result.stderr.contains("not a Skill Forge one: its skill_metrics table lacks the columns id, skill_id"))
        #expect(try await sha256(of: db) == before)
        #expect(try await sqlite3(db, ".tables").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "skill_metrics")
    }

    @Test("a zero-byte file stays zero bytes when read, and a write command makes it a database")
    func zeroByteFile() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("empty.db")
        try Data().write(to: URL(fileURLWithPath: db))
        for command in readCommands {
            let result = try await runProcess(skillForgeBinary, command + ["--db", db])
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr == "Error: \(db) holds no Skill Forge data yet: nothing has been recorded there\n")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int == 0)
        #expect(try names(in: directory) == ["empty.db"])

        try await recordRuns(into: db)
        #expect(try await sqlite3(db, "SELECT COUNT(*) FROM skill_metrics").stdout == "3\n")
    }

    @Test("a file made by the seed's DDL is read as it is, and migrated by the first write")
    func seedMadeFile() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("seed.db")
        let rows = """
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp)
            VALUES ('s', 40, 10, 20, 1, 1764547200000), ('s', 60, 30, 40, 0, 1764547260000);
            """
        try #require(try await sqlite3(db, seedDDL + rows).status == 0)
        let before = try await sha256(of: db)

        // The seed's rows have no versions: compare them by time instead.
        let byTime = [
            "compare", "s", "--baseline-window", "2025-12-01T00:00:00Z..2025-12-01T00:00:30Z",
            "--candidate-window", "2025-12-01T00:00:30Z..2025-12-01T00:02:00Z",
        ]
        for command in readCommands.filter({ $0[0] != "compare" }) + [byTime] {
            let result = try await runProcess(skillForgeBinary, command + ["--db", db])
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        // Hand-worked: mean of 40 and 60 ms; one failure in two runs; tokens 30 and 70 per run.
        let stats = try await skillForge("stats", "s", "--db", db, "--format", "json")
        let summaries = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [[String: Any]]
        let summary = try #require(summaries?.first, "\(stats.stdout)")
        #expect(summary["runs"] as? Int == 2)
        #expect(summary["failures"] as? Int == 1)
        #expect((summary["executionMs"] as? [String: Any])?["mean"] as? Double == 50)
        #expect(try await sha256(of: db) == before)
        #expect(try await sqlite3(db, ".tables").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "skill_metrics")

        try await recordRuns(into: db)
        #expect(try await sqlite3(db, "SELECT COUNT(*), COUNT(version) FROM skill_metrics").stdout == "5|3\n")
        #expect(try await sqlite3(db, "SELECT COUNT(*) FROM grdb_migrations").stdout != "0\n")
    }

    // MARK: - Files the user can only read

    @Test(
        "every read command works on a mode-444 file as an unprivileged user, and leaves no file behind",
        .enabled(if: runsAsRoot, "needs root to become the user nobody"))
    func unwritableFile() async throws {
        let directory = try TemporaryDirectory()
        let data = try TemporaryDirectory()
        let db = data.path("r.db")
        try await recordRuns(into: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: data.url.path)
        let backups = directory.path("backups")
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: backups)

        for command in readCommands + [["backup", backups + "/copy.db"]] {
            let result = try await skillForgeAsNobody(command + ["--db", db], copyingBinaryInto: directory)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        let copy = try await skillForgeAsNobody(["stats", "s", "--db", backups + "/copy.db"], copyingBinaryInto: directory)
        #expect(copy.stdout.contains("s         3"), "\(copy.stdout)")
        // A write is refused with a clear message, and leaves nothing either.
        let write = try await skillForgeAsNobody(
            ["record", "--db", db, "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1"],
            copyingBinaryInto: directory)
        #expect(write.status == 1)
        #expect(write.stderr == "Error: cannot write to the database \(db): the file or its directory is read-only\n")
        #expect(try names(in: data) == ["r.db"])

        // The owner can make it writable again and write at once: nothing was left in the way.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db)
        try await recordRuns(into: db)
        #expect(try await sqlite3(db, "SELECT COUNT(*) FROM skill_metrics").stdout == "6\n")
    }

    @Test(
        "read commands work on an immutable file (chattr +i) and a read-only mount",
        .enabled(if: runsAsRoot, "chattr and mount need root"))
    func readOnlyFileSystems() async throws {
        let data = try TemporaryDirectory()
        let db = data.path("r.db")
        try await recordRuns(into: db)

        let view = try await TemporaryMount(readOnlyViewOf: data)
        for command in readCommands {
            let result = try await runProcess(skillForgeBinary, command + ["--db", view.path("r.db")])
            #expect(result.status == 0, "read-only mount, \(command): \(result.stderr)")
        }
        let refused = try await skillForge(
            "record", "--db", view.path("r.db"), "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("read-only"), "\(refused.stderr)")
        view.unmount()

        let chattr = try await runProcess("/usr/bin/env", ["chattr", "+i", db])
        guard chattr.status == 0 else {
            print("skipping chattr +i: this file system does not support it (\(chattr.stderr))")
            return
        }
        defer { _ = try? Process.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["chattr", "-i", db]).waitUntilExit() }
        for command in readCommands {
            let result = try await runProcess(skillForgeBinary, command + ["--db", db])
            #expect(result.status == 0, "chattr +i, \(command): \(result.stderr)")
        }
        #expect(try names(in: data) == ["r.db"])
    }

    // MARK: - Full disks

    @Test(
        "a full disk is reported as such, and leaves no stub that breaks sqlite3",
        .enabled(if: runsAsRoot, "mounting a small tmpfs needs root"))
    func fullDisk() async throws {
        let disk = try await TemporaryMount(tmpfsOf: 4096)
        let db = disk.path("d.db")
        try await recordRuns(into: db)
        #expect(try names(in: disk.directory) == ["d.db"])
        // Fill the disk to the last byte (dd stops with "No space left on device").
        _ = try await runProcess("/usr/bin/env", ["dd", "if=/dev/zero", "of=\(disk.path("filler"))", "bs=4096"])

        let result = try await skillForge(
            "record", "--db", db, "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1")
        #expect(result.status == 1)
        #expect(result.stderr == "Error: cannot write to the database \(db): the disk is full\n")
        // No shared-memory stub was left: it made every later open fail, sqlite3's too.
        #expect(try names(in: disk.directory) == ["d.db", "filler"])

        let newDatabase = try await skillForge(
            "record", "--db", disk.path("new.db"), "--skill", "s", "--ms", "1", "--tokens-in", "1", "--tokens-out", "1")
        #expect(newDatabase.stderr.hasSuffix("the disk is full\n"))
        #expect(try names(in: disk.directory) == ["d.db", "filler"])

        try FileManager.default.removeItem(atPath: disk.path("filler"))
        #expect(try await sqlite3(db, "SELECT COUNT(*) FROM skill_metrics").stdout == "3\n")
    }

    // MARK: - Backups

    @Test(
        "a backup that runs out of space leaves nothing at the destination, and a retry succeeds",
        .enabled(if: runsAsRoot, "mounting a small tmpfs needs root"))
    func backupOnFullDisk() async throws {
        let data = try TemporaryDirectory()
        let db = data.path("big.db")
        try await recordRuns(into: db)
        // About 2 MB of rows, more than the 1 MB disk below holds.
        let bulk = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, error)
            SELECT 'bulk', i, 1, 1, 0, 1764547200000 + i, printf('%.1000c', 'x') FROM n;
            """
        try #require(try await sqlite3(db, bulk).status == 0)
        let disk = try await TemporaryMount(tmpfsOf: 1024)

        let destination = disk.path("copy.db")
        let failed = try await skillForge("backup", "--db", db, destination)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("the disk is full"), "\(failed.stderr)")
        #expect(try names(in: disk.directory) == [])

        let roomy = try TemporaryDirectory()
        let retry = try await skillForge("backup", "--db", db, roomy.path("copy.db"))
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(try await sqlite3(roomy.path("copy.db"), "SELECT COUNT(*) FROM skill_metrics").stdout == "2003\n")
    }

    @Test("Ctrl-C or SIGTERM stops a backup and removes what it wrote; kill -9 never leaves a partial file at the destination")
    func interruptedBackup() async throws {
        let data = try TemporaryDirectory()
        let db = data.path("big.db")
        try await recordRuns(into: db)
        // About 60 MB, so that the copy takes long enough to be caught in the middle.
        let bulk = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
            INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, error)
            SELECT 'bulk', i, 1, 1, 0, 1764547200000 + i, hex(randomblob(1000)) FROM n;
            """
        try #require(try await sqlite3(db, bulk).status == 0)

        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, 143), (SIGKILL, SIGKILL)] {
            // On a loaded machine the copy can end before the signal lands: try again then.
            var caught = false
            for _ in 1...5 where !caught {
                let backups = try TemporaryDirectory()
                let destination = backups.path("copy.db")
                let backup = try RunningProcess(["backup", "--db", db, destination])
                // Signal it as soon as its temporary copy appears.
                let folder = backups.url.path
                let signalled = await backup.send(signal) {
                    (try? FileManager.default.contentsOfDirectory(atPath: folder).isEmpty) == false
                }
                let exitStatus = await backup.waitForExit()
                if !signalled || FileManager.default.fileExists(atPath: destination) {
                    // Too late: the backup was complete (the move into place is atomic).
                    #expect(try await sqlite3(destination, "SELECT COUNT(*) FROM skill_metrics").stdout == "30003\n")
                    continue
                }
                caught = true
                #expect(exitStatus == status)
                if signal != SIGKILL {
                    #expect(try names(in: backups) == [], "Ctrl-C or a kill removes the partial copy")
                }
                // Nothing at the destination stands in the way of the next try.
                let retry = try await skillForge("backup", "--db", db, destination)
                #expect(retry.status == 0, "\(retry.stderr)")
                #expect(try await sqlite3(destination, "SELECT COUNT(*) FROM skill_metrics").stdout == "30003\n")
            }
            #expect(caught, "every backup finished before signal \(signal) reached it")
        }
    }

    @Test("backup refuses an existing file unless --force, and then replaces it whole")
    func backupForce() async throws {
        let data = try TemporaryDirectory()
        let db = data.path("live.db")
        try await recordRuns(into: db)
        let destination = data.path("copy.db")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: destination))

        let refused = try await skillForge("backup", "--db", db, destination)
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: \(destination) already exists; pass --force to overwrite it\n")
        #expect(FileManager.default.contents(atPath: destination) == Data("precious".utf8))

        let forced = try await skillForge("backup", "--force", "--db", db, destination)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try await sqlite3(destination, "SELECT COUNT(*) FROM skill_metrics").stdout == "3\n")
        #expect(try names(in: data) == ["copy.db", "live.db"])
    }

    // MARK: - Failed first commands

    @Test("a first command that fails leaves no empty database behind")
    func failedFirstCommand() async throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("new.db")
        let profile = try await skillForge("profile", "--db", db, "--skill", "s", "--", directory.path("no-such-program"))
        #expect(profile.status != 0)
        let bad = directory.path("bad.jsonl")
        try Data(#"{"skillId":"s","executionMs":-1,"tokensIn":1,"tokensOut":1,"success":true}"#.utf8 + [0x0A])
            .write(to: URL(fileURLWithPath: bad))
        let imported = try await skillForge("import", "--db", db, bad)
        #expect(imported.status == 1)
        #expect(try names(in: directory) == ["bad.jsonl"])
    }
}
