/// Everything that can go wrong when profiling, storing or reading metrics, in words a user understands.
///
/// ```swift
/// do {
///     let db = try ProfilerDB(path: "metrics/skill-forge.db")
/// } catch .directoryNotFound(let path) {
///     print("create \(path) first")
/// }
/// ```
public enum ProfilerError: Error, Sendable, Hashable {
    /// A metric broke a validation rule; nothing was written.
    case invalidMetric(InvalidField)
    /// No database file exists at this path (and it was not to be created).
    case databaseNotFound(path: String)
    /// The directory that should hold the database file does not exist.
    case directoryNotFound(path: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The file is an SQLite database that holds something other than Skill Forge's table; it was left untouched.
    case notSkillForge(path: String, reason: String)
    /// The file exists but holds no Skill Forge data yet (a zero-byte or table-less file), and was opened read-only.
    case nothingRecorded(path: String)
    /// The database cannot be written: a read-only file, directory or file system.
    case readOnly(path: String)
    /// The database file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The database was created by a newer Skill Forge; it was left untouched.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// Another connection held the database lock for longer than the busy timeout.
    case busy(path: String)
    /// SQLite found the file damaged.
    case corrupt(path: String)
    /// The disk is full.
    case diskFull(path: String)
    /// A row with this `run_id` is already stored.
    case duplicateRunId(String)
    /// No row has this id.
    case metricNotFound(id: Int64)
    /// Any other database failure, with SQLite's message.
    case database(path: String, message: String)
    /// A command to profile cannot be started at all.
    case cannotLaunch(executable: String, reason: String)
    /// A time series would have more buckets than ``TimeBucket/maximumCount``.
    case tooManyBuckets(count: Int, bucket: TimeBucket)
}

extension ProfilerError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidMetric(let field):
            return field.description
        case .databaseNotFound(let path):
            return "no database at \(path): nothing has been recorded there yet"
        case .directoryNotFound(let path):
            return "cannot create the database \(path): its directory does not exist"
        case .notADatabase(let path):
            return "\(path) is not a Skill Forge database (it is not an SQLite file)"
        case .notSkillForge(let path, let reason):
            return "\(path) is an SQLite database but not a Skill Forge one: \(reason). The file was not changed."
        case .nothingRecorded(let path):
            return "\(path) holds no Skill Forge data yet: nothing has been recorded there"
        case .readOnly(let path):
            return "cannot write to the database \(path): the file or its directory is read-only"
        case .cannotOpen(let path, let reason):
            return "cannot open the database \(path): \(reason)"
        case .schemaTooNew(let path, let migrations):
            return "\(path) was written by a newer version of Skill Forge (schema "
                + "\(migrations.joined(separator: ", "))); upgrade skill-forge to use it. The file was not changed."
        case .busy(let path):
            return "the database \(path) stayed locked by another process; try again"
        case .corrupt(let path):
            return "the database \(path) is damaged (SQLite reports corruption); restore it from a backup"
        case .diskFull(let path):
            return "cannot write to the database \(path): the disk is full"
        case .duplicateRunId(let runId):
            return "a run with run_id \(runId.debugDescription) is already stored"
        case .metricNotFound(let id):
            return "no metric has id \(id)"
        case .database(let path, let message):
            return "database error in \(path): \(message)"
        case .cannotLaunch(let executable, let reason):
            return "cannot run \(executable): \(reason)"
        case .tooManyBuckets(let count, let bucket):
            return "the window holds \(count) \(bucket.rawValue)s, more than the \(TimeBucket.maximumCount) a time series "
                + "can show; use a wider bucket or a shorter window"
        }
    }
}

/// A field of a metric that breaks a validation rule.
///
/// Its description names the field, the value and the rule:
/// `execution_ms -5: must be zero or more`.
public struct InvalidField: Error, Sendable, Hashable, CustomStringConvertible {
    /// The column name of the field, such as `tokens_in`.
    public var field: String
    /// The offending value, quoted and shortened for display.
    public var value: String
    /// The rule the value breaks.
    public var problem: String

    /// Creates a validation failure; `value` is quoted and shortened for display.
    public init(field: String, value: String, problem: String) {
        self.field = field
        let shown = value.count > 60 ? value.prefix(57) + "..." : Substring(value)
        self.value = String(shown).debugDescription
        self.problem = problem
    }

    /// Creates a validation failure for a numeric value.
    public init(field: String, number: some BinaryInteger, problem: String) {
        self.field = field
        self.value = String(number)
        self.problem = problem
    }

    public var description: String {
        "invalid \(field) \(value): \(problem)"
    }
}
