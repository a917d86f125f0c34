extension ProfilerError {
    /// What kind of failure a ``ProfilerError`` is.
    ///
    /// A code is a value, not the case of a frozen enum: new codes (a new storage
    /// backend's, say) can be added without breaking a caller's `switch`, which
    /// therefore always has a `default`. Its description is its name.
    ///
    /// ```swift
    /// switch error.code {
    /// case .busy, .readOnly: print("cannot write now: \(error)")
    /// case .duplicateRunId: print("already stored")
    /// default: throw error
    /// }
    /// ```
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// One case per code, so that no two codes can be equal by mistake.
        private enum Kind: String, Hashable, Sendable {
            case databaseNotFound, directoryNotFound, notADatabase, notSkillForge, nothingRecorded, cannotOpen, schemaTooNew
            case invalidMetric, readOnly, busy, corrupt, diskFull, duplicateRunId, metricNotFound, database
            case cannotLaunch
            case tooManyBuckets
        }

        private var kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// The code's name, such as `busy`.
        public var description: String { kind.rawValue }

        // MARK: - Storage: opening a database

        /// No database file exists at the path, and it was not to be created.
        public static let databaseNotFound = Code(.databaseNotFound)
        /// The directory that should hold the database file does not exist.
        public static let directoryNotFound = Code(.directoryNotFound)
        /// The file exists but is not an SQLite database.
        public static let notADatabase = Code(.notADatabase)
        /// The file is an SQLite database that holds something other than Skill Forge's table; it was left untouched.
        public static let notSkillForge = Code(.notSkillForge)
        /// The file holds no Skill Forge data yet (a zero-byte or table-less file), and was opened read-only.
        public static let nothingRecorded = Code(.nothingRecorded)
        /// The database file could not be opened or created.
        public static let cannotOpen = Code(.cannotOpen)
        /// The database was created by a newer Skill Forge; it was left untouched.
        public static let schemaTooNew = Code(.schemaTooNew)

        // MARK: - Storage: reading and writing

        /// A metric broke a validation rule; nothing was written.
        public static let invalidMetric = Code(.invalidMetric)
        /// The database cannot be written: a read-only file, directory or file system, or opened read-only.
        public static let readOnly = Code(.readOnly)
        /// Another connection held the database lock for longer than the busy timeout.
        public static let busy = Code(.busy)
        /// The database file is damaged.
        public static let corrupt = Code(.corrupt)
        /// The disk is full.
        public static let diskFull = Code(.diskFull)
        /// A row with this `run_id` is already stored.
        public static let duplicateRunId = Code(.duplicateRunId)
        /// No row has this id.
        public static let metricNotFound = Code(.metricNotFound)
        /// Any other failure of the storage backend; its own message is the error's ``ProfilerError/reason``.
        public static let database = Code(.database)

        // MARK: - Profiling

        /// A command to profile cannot be started at all.
        public static let cannotLaunch = Code(.cannotLaunch)

        // MARK: - Analysis

        /// A time series would have more buckets than ``TimeBucket/maximumCount``.
        public static let tooManyBuckets = Code(.tooManyBuckets)
    }
}
