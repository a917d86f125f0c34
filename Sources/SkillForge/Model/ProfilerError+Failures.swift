// One factory per code: each writes the code's message and keeps its details, so
// that a failure reads the same wherever it is thrown, and `throw .busy(path: path)`
// reads like the case of an enum.

// MARK: - Storage: opening a database

extension ProfilerError {
    /// No database file exists at `path` (and it was not to be created).
    public static func databaseNotFound(path: String) -> ProfilerError {
        ProfilerError(
            code: .databaseNotFound, message: "no database at \(path): nothing has been recorded there yet", path: path)
    }

    /// The directory that should hold the database file `path` does not exist.
    public static func directoryNotFound(path: String) -> ProfilerError {
        ProfilerError(
            code: .directoryNotFound, message: "cannot create the database \(path): its directory does not exist",
            path: path)
    }

    /// The file exists but is not an SQLite database.
    public static func notADatabase(path: String, cause: (any Error & Sendable)? = nil) -> ProfilerError {
        ProfilerError(
            code: .notADatabase, message: "\(path) is not a Skill Forge database (it is not an SQLite file)", path: path,
            cause: cause)
    }

    /// The file is an SQLite database that holds something other than Skill Forge's table, for `reason`.
    public static func notSkillForge(path: String, reason: String) -> ProfilerError {
        ProfilerError(
            code: .notSkillForge,
            message: "\(path) is an SQLite database but not a Skill Forge one: \(reason). The file was not changed.",
            path: path, detail: .reason(reason))
    }

    /// The file holds no Skill Forge data yet (a zero-byte or table-less file), and was opened read-only.
    public static func nothingRecorded(path: String) -> ProfilerError {
        ProfilerError(
            code: .nothingRecorded, message: "\(path) holds no Skill Forge data yet: nothing has been recorded there",
            path: path)
    }

    /// The database file could not be opened or created, for `reason`.
    public static func cannotOpen(path: String, reason: String, cause: (any Error & Sendable)? = nil) -> ProfilerError {
        ProfilerError(
            code: .cannotOpen, message: "cannot open the database \(path): \(reason)", path: path,
            detail: .reason(reason), cause: cause)
    }

    /// The database was created by a newer Skill Forge, which applied `unknownMigrations`.
    public static func schemaTooNew(path: String, unknownMigrations: [String]) -> ProfilerError {
        ProfilerError(
            code: .schemaTooNew,
            message: "\(path) was written by a newer version of Skill Forge (schema "
                + "\(unknownMigrations.joined(separator: ", "))); upgrade skill-forge to use it. The file was not changed.",
            path: path, detail: .unknownMigrations(unknownMigrations))
    }
}

// MARK: - Storage: reading and writing

extension ProfilerError {
    /// A metric broke a validation rule; nothing was written.
    public static func invalidMetric(_ field: InvalidField) -> ProfilerError {
        ProfilerError(code: .invalidMetric, message: field.description, detail: .invalidField(field))
    }

    /// The database `path` cannot be written: a read-only file, directory or file system, or opened read-only.
    public static func readOnly(path: String, cause: (any Error & Sendable)? = nil) -> ProfilerError {
        ProfilerError(
            code: .readOnly, message: "cannot write to the database \(path): the file or its directory is read-only",
            path: path, cause: cause)
    }

    /// Another connection held the lock of `path` for longer than the busy timeout.
    public static func busy(path: String, cause: (any Error & Sendable)? = nil) -> ProfilerError {
        ProfilerError(
            code: .busy, message: "the database \(path) stayed locked by another process; try again", path: path,
            cause: cause)
    }

    /// The database file is damaged.
    public static func corrupt(path: String, cause: (any Error & Sendable)? = nil) -> ProfilerError {
        ProfilerError(
            code: .corrupt,
            message: "the database \(path) is damaged (SQLite reports corruption); restore it from a backup",
            path: path, cause: cause)
    }

    /// The disk that holds `path` is full.
    public static func diskFull(path: String, cause: (any Error & Sendable)? = nil) -> ProfilerError {
        ProfilerError(
            code: .diskFull, message: "cannot write to the database \(path): the disk is full", path: path, cause: cause)
    }

    /// A row with this `run_id` is already stored.
    public static func duplicateRunId(_ runId: String) -> ProfilerError {
        ProfilerError(
            code: .duplicateRunId, message: "a run with run_id \(runId.debugDescription) is already stored",
            detail: .runId(runId))
    }

    /// No row has this id.
    public static func metricNotFound(id: Int64) -> ProfilerError {
        ProfilerError(code: .metricNotFound, message: "no metric has id \(id)", detail: .metricId(id))
    }

    /// Any other failure of the database `path`, with the backend's own `message`.
    public static func database(path: String, message: String, cause: (any Error & Sendable)? = nil) -> ProfilerError {
        ProfilerError(
            code: .database, message: "database error in \(path): \(message)", path: path, detail: .reason(message),
            cause: cause)
    }
}

// MARK: - Profiling

extension ProfilerError {
    /// The command `executable` cannot be started at all, for `reason`.
    public static func cannotLaunch(
        executable: String, reason: String, cause: (any Error & Sendable)? = nil
    ) -> ProfilerError {
        ProfilerError(
            code: .cannotLaunch, message: "cannot run \(executable): \(reason)",
            detail: .launch(executable: executable, reason: reason), cause: cause)
    }
}

// MARK: - Analysis

extension ProfilerError {
    /// A time series would have `count` buckets of `bucket`, more than ``TimeBucket/maximumCount``.
    public static func tooManyBuckets(count: Int, bucket: TimeBucket) -> ProfilerError {
        ProfilerError(
            code: .tooManyBuckets,
            message: "the window holds \(count) \(bucket.rawValue)s, more than the \(TimeBucket.maximumCount) a time "
                + "series can show; use a wider bucket or a shorter window",
            detail: .buckets(count: count, bucket: bucket))
    }
}
